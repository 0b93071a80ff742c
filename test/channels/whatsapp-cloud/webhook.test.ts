// GET|POST /webhooks/whatsapp through the whole app: Meta's handshake, signed notifications that
// reach the parent conversation, the replies leaving through the Graph API (an msw stand-in that
// speaks the recorded wire format), replays, forgeries and status receipts.
import { eq } from "drizzle-orm";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { channelRegistry } from "../../../bots";
import { schema } from "../../../db";
import { fakeChannel } from "../../support/outbox-harness";
import { createTestParentline, DEMO, type TestParentline } from "../../support/parentline";
import { timed } from "../../support/unreachable-api";
import {
  buttonReplyWebhook,
  codeIn,
  graphApi,
  listReplyWebhook,
  newWamid,
  PHONE_NUMBER_ID,
  postWebhook,
  signatureOf,
  statusWebhook,
  tableCounts,
  textWebhook,
  VERIFY_TOKEN,
  WHATSAPP_ENV,
} from "./support";

const PARENT = DEMO.parentWithTwoChildren;
const TO = "14155550101";

const graph = graphApi();
const server = setupServer(graph.handler);
beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterEach(() => {
  server.resetHandlers();
  graph.calls.length = 0;
});
afterAll(() => server.close());

let app: TestParentline;
beforeEach(async () => {
  app = await createTestParentline(WHATSAPP_ENV);
});

/** Posts a signed webhook and expects Meta's 200. */
async function deliver(payload: unknown) {
  // A parent takes a moment to read and answer: the send limit's slots free up meanwhile.
  app.clock.advance(2_000);
  const response = await postWebhook(app, payload);
  expect(response.status).toBe(200);
  return response;
}

/** Texts "hi" and the code: the parent is verified and has the menu. */
async function verify() {
  await deliver(textWebhook(PARENT, "hi"));
  await deliver(textWebhook(PARENT, codeIn(graph.to(PARENT))));
}

const outboxRows = () =>
  app.db.select().from(schema.outbox).where(eq(schema.outbox.channel, "whatsapp-cloud"));

describe("GET /webhooks/whatsapp (Meta's verification handshake)", () => {
  const verifyUrl = (query: Record<string, string | undefined>) =>
    `/webhooks/whatsapp?${new URLSearchParams(
      Object.entries(query).filter((pair): pair is [string, string] => pair[1] !== undefined),
    ).toString()}`;

  it("answers hub.challenge as plain text for our verify token", async () => {
    const response = await app.app.request(
      verifyUrl({
        "hub.mode": "subscribe",
        "hub.verify_token": VERIFY_TOKEN,
        "hub.challenge": "1158201444",
      }),
    );
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/plain/);
    expect(await response.text()).toBe("1158201444");
  });

  it.each([
    {
      why: "a wrong verify token",
      query: { "hub.mode": "subscribe", "hub.verify_token": "guess", "hub.challenge": "1" },
    },
    { why: "no verify token", query: { "hub.mode": "subscribe", "hub.challenge": "1" } },
    {
      why: "another mode",
      query: { "hub.mode": "unsubscribe", "hub.verify_token": VERIFY_TOKEN, "hub.challenge": "1" },
    },
  ])("refuses $why with 403", async ({ query }) => {
    const response = await app.app.request(verifyUrl(query));
    expect(response.status).toBe(403);
    expect(await response.text()).not.toContain("1158201444");
  });
});

describe("POST /webhooks/whatsapp", () => {
  it("takes a demo parent's text to the conversation and sends the replies at once through the Graph API", async () => {
    await deliver(textWebhook(PARENT, "hi"));

    expect(graph.calls).toHaveLength(2);
    for (const call of graph.calls) {
      expect(call.phoneNumberId).toBe(PHONE_NUMBER_ID);
      expect(call.authorization).toBe(`Bearer ${WHATSAPP_ENV.WHATSAPP_CLOUD_TOKEN}`);
    }
    expect(graph.calls.map((call) => call.body)).toEqual([
      {
        messaging_product: "whatsapp",
        recipient_type: "individual",
        to: TO,
        type: "text",
        text: { body: expect.stringMatching(/^Your Parentline code is \d{6}\./) },
      },
      {
        messaging_product: "whatsapp",
        recipient_type: "individual",
        to: TO,
        type: "text",
        text: { body: expect.stringContaining("We sent a 6-digit code to +1•••••0101") },
      },
    ]);
    // Each row records the wamid the Graph API answered with, for the status webhooks.
    expect((await outboxRows()).map((row) => [row.status, row.providerMessageId])).toEqual(
      graph.calls.map((call) => ["sent", call.wamid]),
    );
  });

  it("offers the menu as a list and a child as reply buttons; tapping them moves the conversation on", async () => {
    await verify();
    const menu = graph.to(PARENT).at(-1);
    expect(menu?.body).toEqual({
      messaging_product: "whatsapp",
      recipient_type: "individual",
      to: TO,
      type: "interactive",
      interactive: {
        type: "list",
        body: { text: "How can I help?" },
        action: {
          button: "☰",
          sections: [
            {
              rows: [
                { id: "new", title: "New request" },
                { id: "mine", title: "My requests" },
                { id: "announcements", title: "Announcements" },
                { id: "talk", title: "Talk to a person" },
                { id: "language", title: "Language" },
                { id: "settings", title: "Settings" },
                { id: "help", title: "Help" },
              ],
            },
          ],
        },
      },
    });

    const before = graph.calls.length;
    await deliver(listReplyWebhook(PARENT, { id: "new", title: "New request" }));
    const children = graph.to(PARENT, before);
    expect(children.map((call) => call.body)).toEqual([
      {
        messaging_product: "whatsapp",
        recipient_type: "individual",
        to: TO,
        type: "interactive",
        interactive: {
          type: "button",
          body: { text: "Which child is this about?" },
          action: {
            buttons: [
              { type: "reply", reply: { id: expect.stringMatching(/^child:/), title: "Ava (3A)" } },
              {
                type: "reply",
                reply: { id: expect.stringMatching(/^child:/), title: "Benjamin (4B)" },
              },
            ],
          },
        },
      },
    ]);

    const ava = children[0]?.body.interactive.action.buttons[0].reply;
    const next = graph.calls.length;
    await deliver(buttonReplyWebhook(PARENT, ava));
    const topics = graph.to(PARENT, next);
    expect(topics).toHaveLength(1);
    expect(topics[0]?.body.interactive).toMatchObject({
      type: "list",
      body: { text: "What is it about?" },
    });
    expect(topics[0]?.body.interactive.action.sections[0].rows).toHaveLength(5);
  });

  it("refuses a forged or missing signature with 401 and changes nothing", async () => {
    await verify();
    const before = tableCounts(app);
    const sentBefore = graph.calls.length;
    const payload = textWebhook(PARENT, "menu");
    const body = JSON.stringify(payload);
    const forgeries = [
      null, // no header at all
      signatureOf(body, "not-the-app-secret"),
      signatureOf(JSON.stringify(textWebhook(PARENT, "something else"))),
      "sha256=",
      "garbage",
    ];
    for (const signature of forgeries) {
      const response = await postWebhook(app, payload, { signature });
      expect(response.status).toBe(401);
      expect(await response.json()).toMatchObject({ error: { code: "unauthorized" } });
    }
    expect(tableCounts(app)).toEqual(before);
    expect(graph.calls).toHaveLength(sentBefore);
    // The same payload, correctly signed, goes through.
    await deliver(payload);
    expect(tableCounts(app).inbound).toBe(before.inbound + 1);
  });

  it("refuses an unsigned webhook before reading its body: one that never ends is a 401 at once", async () => {
    const endless = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('{"object":"whatsapp_business_account",'));
      },
    });
    const { ms, result } = await timed(
      () =>
        app.app.request("/webhooks/whatsapp", {
          method: "POST",
          // Meta declares the length; this body never reaches it.
          headers: { "content-type": "application/json", "content-length": "4096" },
          body: endless,
          duplex: "half",
        } as RequestInit),
      2_000,
    );
    expect(result?.status).toBe(401);
    expect(ms).toBeLessThan(1_000);
  });

  it("refuses a tampered body even with the original's signature", async () => {
    const payload = textWebhook(PARENT, "hi");
    const signed = JSON.stringify(payload);
    const tampered = signed.replace('"hi"', '"HI"');
    const before = tableCounts(app);
    const response = await postWebhook(app, null, {
      raw: tampered,
      signature: signatureOf(signed),
    });
    expect(response.status).toBe(401);
    expect(tableCounts(app)).toEqual(before);
    expect(graph.calls).toHaveLength(0);
  });

  it("handles the same wamid delivered twice once", async () => {
    const payload = textWebhook(PARENT, "hi");
    await deliver(payload);
    const after = tableCounts(app);
    const sent = graph.calls.length;
    await deliver(payload);
    expect(tableCounts(app)).toEqual(after);
    expect(graph.calls).toHaveLength(sent);
  });

  it("handles the same wamid delivered twice at the same moment once", async () => {
    const before = tableCounts(app);
    const payload = textWebhook(PARENT, "hi");
    const responses = await Promise.all([postWebhook(app, payload), postWebhook(app, payload)]);
    expect(responses.map((response) => response.status)).toEqual([200, 200]);
    const after = tableCounts(app);
    expect(after.inbound).toBe(before.inbound + 1);
    expect(after.otpCodes).toBe(before.otpCodes + 1);
    expect(after.outbox).toBe(before.outbox + 2);
    expect(graph.calls).toHaveLength(2);
  });

  it("moves the reply's outbox row sent → delivered → read, never back", async () => {
    await deliver(textWebhook(PARENT, "hi"));
    const reply = (await outboxRows()).find((row) => row.kind === "reply");
    const wamid = reply?.providerMessageId ?? "";
    const status = async () =>
      (
        await app.db
          .select()
          .from(schema.outbox)
          .where(eq(schema.outbox.id, reply?.id ?? 0))
      )[0];

    await deliver(statusWebhook(wamid, PARENT, "sent"));
    expect((await status())?.status).toBe("sent");
    await deliver(statusWebhook(wamid, PARENT, "delivered"));
    expect((await status())?.status).toBe("delivered");
    await deliver(statusWebhook(wamid, PARENT, "read"));
    expect((await status())?.status).toBe("read");
    // Meta delivers out of order and more than once: a late "delivered" changes nothing.
    await deliver(statusWebhook(wamid, PARENT, "delivered"));
    expect((await status())?.status).toBe("read");
    // The other row (the code) was not touched.
    expect(
      (await outboxRows()).filter((row) => row.id !== reply?.id).map((row) => row.status),
    ).toEqual(["sent"]);
  });

  it("marks a row failed with Meta's error code", async () => {
    await deliver(textWebhook(PARENT, "hi"));
    const reply = (await outboxRows()).find((row) => row.kind === "reply");
    await deliver(statusWebhook(reply?.providerMessageId ?? "", PARENT, "failed"));
    const [row] = await app.db
      .select()
      .from(schema.outbox)
      .where(eq(schema.outbox.id, reply?.id ?? 0));
    expect(row).toMatchObject({ status: "failed", lastError: "provider error 131047" });
  });

  it("acknowledges a sticker, an unknown status and another number's message with 200 and does nothing", async () => {
    const sticker = textWebhook(PARENT, "unused");
    const message = sticker.entry[0].changes[0].value.messages[0];
    delete message.text;
    message.type = "sticker";
    message.sticker = { mime_type: "image/webp", sha256: "abc=", id: "1234567890" };
    const otherNumber = textWebhook(PARENT, "hi");
    otherNumber.entry[0].changes[0].value.metadata.phone_number_id = "999999999999999";
    const unknownStatus = statusWebhook(newWamid(), PARENT, "read");
    unknownStatus.entry[0].changes[0].value.statuses[0].status = "deleted";

    const before = tableCounts(app);
    for (const payload of [sticker, otherNumber, unknownStatus, { object: "page", entry: [] }]) {
      await deliver(payload);
    }
    expect(tableCounts(app)).toEqual(before);
    expect(graph.calls).toHaveLength(0);
  });

  it("answers 400 to a correctly signed body that is not JSON or not a notification, changing nothing", async () => {
    const before = tableCounts(app);
    const bodies = ['{"object":"whatsapp_business_account","entry":[', "{}", "[]", "null"];
    for (const raw of [...bodies, '{"object":"whatsapp_business_account","entry":{}}']) {
      const response = await postWebhook(app, null, { raw });
      expect(response.status, raw).toBe(400);
      expect(await response.json()).toMatchObject({ error: { code: "bad_request" } });
    }
    expect(tableCounts(app)).toEqual(before);
  });

  it("answers 413 to a body over 1 MB", async () => {
    const payload = textWebhook(PARENT, "x".repeat(1024 * 1024));
    const response = await postWebhook(app, payload);
    expect(response.status).toBe(413);
    expect(graph.calls).toHaveLength(0);
  });
});

describe("a message Meta reports failed after accepting it", () => {
  it("goes by SMS to the same number, once, however often the failure is reported", async () => {
    const sms = fakeChannel({ name: "sms" });
    app = await createTestParentline(WHATSAPP_ENV, {
      channelRegistry: { ...channelRegistry, sms: () => ({ channels: [sms.channel] }) },
    });
    await deliver(textWebhook(PARENT, "hi"));
    const reply = (await app.db.select().from(schema.outbox)).find((row) => row.kind === "reply");
    const failed = statusWebhook(reply?.providerMessageId ?? "", PARENT, "failed");

    await deliver(failed);
    await deliver(failed);
    await app.dispatcher.dispatchDue();
    // (With SMS on, the code itself goes by SMS; only the reply is a fallback.)
    const resent = sms.send.mock.calls
      .map(([message]) => message)
      .filter((m) => m.kind === "reply");
    expect(resent).toHaveLength(1);
    expect(resent[0]).toMatchObject({ address: PARENT, text: reply?.body });
    const [original] = await app.db
      .select()
      .from(schema.outbox)
      .where(eq(schema.outbox.id, reply?.id ?? 0));
    expect(original).toMatchObject({
      status: "failed",
      lastError: "provider error 131047; sent by sms instead",
    });
  });
});
