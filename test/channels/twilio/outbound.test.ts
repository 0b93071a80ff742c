import { describe, expect, it } from "vitest";
import { createTestParentline, DEMO, type TestParentline } from "../../support/parentline";
import {
  enqueue,
  inboundSms,
  isOptedOut,
  outboxRow,
  PUBLIC_BASE_URL,
  pathOf,
  postTwilio,
  readForm,
  sendInbound,
  statusCallback,
  TWILIO_ENV,
  TWILIO_NUMBER,
  tableCounts,
  twimlMessages,
  useTwilioTestbed,
} from "./support";

const PARENT = DEMO.parentWithOneChild;
let app: TestParentline;
const twilio = useTwilioTestbed((created) => {
  app = created;
});

/** Queues a row, lets the dispatcher send it, and returns the row id and what Twilio got. */
async function sendOne(draft: Parameters<typeof enqueue>[1] = {}) {
  const id = await enqueue(app, draft);
  await app.dispatcher.dispatchDue();
  const sent = twilio.created.at(-1);
  if (!sent) throw new Error("nothing reached Twilio");
  return { id, sent };
}

/** Posts Twilio's status callback for `sent` to the URL we gave it. */
function postStatus(
  sent: { sid: string; to: string; statusCallback: string | null },
  status: string,
  extra: Record<string, string> = {},
  options: Parameters<typeof postTwilio>[3] = {},
) {
  return postTwilio(
    app,
    pathOf(sent.statusCallback ?? ""),
    statusCallback(sent, status, extra),
    options,
  );
}

describe("sending", () => {
  it("creates the message from TWILIO_FROM with a status callback carrying the outbox id", async () => {
    const { id, sent } = await sendOne({ body: "Your form is ready." });
    expect(sent).toMatchObject({
      to: PARENT,
      from: TWILIO_NUMBER,
      messagingServiceSid: null,
      body: "Your form is ready.",
      statusCallback: `${PUBLIC_BASE_URL}/webhooks/twilio/status?outbox=${id}`,
    });
    expect(await outboxRow(app.db, id)).toMatchObject({
      status: "sent",
      providerMessageId: sent.sid,
    });
  });

  it("writes WhatsApp addresses with the whatsapp: prefix on the wire only", async () => {
    const { id, sent } = await sendOne({ channel: "twilio-whatsapp" });
    expect(sent).toMatchObject({ to: `whatsapp:${PARENT}`, from: `whatsapp:${TWILIO_NUMBER}` });
    expect(await outboxRow(app.db, id)).toMatchObject({ address: PARENT, status: "sent" });
  });

  it("sends through the Messaging Service when no TWILIO_FROM is set", async () => {
    await app.stop();
    const { TWILIO_FROM: _from, ...withService } = TWILIO_ENV;
    app = await createTestParentline({
      ...withService,
      TWILIO_MESSAGING_SERVICE_SID: "MG317387ead7453320cb9e25bf71762b59",
    });
    const { sent } = await sendOne();
    expect(sent).toMatchObject({
      from: null,
      messagingServiceSid: "MG317387ead7453320cb9e25bf71762b59",
    });
  });

  it("numbers the options, SMS having no buttons", async () => {
    const { sent } = await sendOne({
      kind: "reply",
      body: "Which child is this about?",
      options: [
        { id: "s1", label: "Mia" },
        { id: "s2", label: "Noah" },
      ],
    });
    expect(sent.body).toBe("Which child is this about?\n\n1. Mia\n2. Noah");
  });

  it("splits a reply over 1600 characters at a sentence boundary, the receipt being the last part", async () => {
    const sentence = "The school trip leaves at eight and returns at four. ";
    const body = sentence.repeat(40).trim(); // 2 119 characters
    const { id } = await sendOne({ body });

    expect(twilio.created).toHaveLength(2);
    const [first, second] = twilio.created;
    expect(first?.body.length).toBeLessThanOrEqual(1600);
    expect(first?.body.endsWith("returns at four.")).toBe(true);
    expect(`${first?.body} ${second?.body}`).toBe(body);
    expect(await outboxRow(app.db, id)).toMatchObject({ providerMessageId: second?.sid });
  });

  it("sends an attachment as MediaUrl (MMS, or WhatsApp media) with the text", async () => {
    const media = [
      { url: "https://school.example/newsletter.pdf", contentType: "application/pdf" },
    ];
    await sendOne({ channel: "twilio-whatsapp", kind: "announcement", body: "Newsletter", media });
    const form = twilio.requests.at(-1);
    expect(form?.getAll("MediaUrl")).toEqual(["https://school.example/newsletter.pdf"]);
    expect(form?.get("Body")).toBe("Newsletter");
    await sendOne({ body: "No attachment" });
    expect(twilio.requests.at(-1)?.has("MediaUrl")).toBe(false);
  });

  it("puts the attachment on the last part of a split text only", async () => {
    const body = "The school trip leaves at eight and returns at four. ".repeat(40).trim();
    const media = [{ url: "https://school.example/map.png", contentType: "image/png" }];
    await sendOne({ kind: "announcement", body, media });
    expect(twilio.requests.map((form) => form.getAll("MediaUrl"))).toEqual([
      [],
      ["https://school.example/map.png"],
    ]);
  });
});

describe("status callbacks", () => {
  it("move the row sent → delivered → read, and never backwards", async () => {
    const { id, sent } = await sendOne({ channel: "twilio-whatsapp" });
    expect((await outboxRow(app.db, id)).status).toBe("sent");

    for (const ignored of ["queued", "sending", "accepted"]) {
      const response = await postStatus(sent, ignored);
      expect(response.status).toBe(200);
      expect((await outboxRow(app.db, id)).status).toBe("sent");
    }
    expect((await postStatus(sent, "delivered")).status).toBe(200);
    expect((await outboxRow(app.db, id)).status).toBe("delivered");
    await postStatus(sent, "read");
    expect((await outboxRow(app.db, id)).status).toBe("read");
    // Late, out-of-order callbacks leave it read.
    await postStatus(sent, "delivered");
    await postStatus(sent, "sent");
    expect((await outboxRow(app.db, id)).status).toBe("read");
  });

  it("of a split text: the last part's progress is the row's, and any part's failure is", async () => {
    const body = "The school trip leaves at eight and returns at four. ".repeat(40).trim();
    const { id } = await sendOne({ body });
    const [first, last] = twilio.created;
    if (!first || !last) throw new Error("expected two parts");
    expect(first.statusCallback).toBe(
      `${PUBLIC_BASE_URL}/webhooks/twilio/status?outbox=${id}&part=earlier`,
    );
    expect(last.statusCallback).toBe(`${PUBLIC_BASE_URL}/webhooks/twilio/status?outbox=${id}`);

    // The first part's delivery says nothing of the last's.
    expect((await postStatus(first, "delivered")).status).toBe(200);
    expect((await outboxRow(app.db, id)).status).toBe("sent");
    await postStatus(last, "delivered");
    expect((await outboxRow(app.db, id)).status).toBe("delivered");
    // The first part never arrived after all (reported late): the parent is missing part of it.
    await postStatus(first, "undelivered", { ErrorCode: "30003" });
    expect(await outboxRow(app.db, id)).toMatchObject({
      status: "undelivered",
      lastError: "provider error 30003",
    });
    // And a late delivery of the last part does not hide it.
    await postStatus(last, "delivered");
    expect((await outboxRow(app.db, id)).status).toBe("undelivered");
  });

  it("record undelivered with Twilio's error code (the recorded callback)", async () => {
    const { id, sent } = await sendOne();
    const recorded = readForm("status-callback-undelivered.form");
    const response = await postTwilio(app, pathOf(sent.statusCallback ?? ""), {
      ...recorded,
      MessageSid: sent.sid,
      SmsSid: sent.sid,
      To: sent.to,
    });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/xml/);
    expect(await outboxRow(app.db, id)).toMatchObject({
      status: "undelivered",
      lastError: "provider error 30003",
    });
  });

  it("find an inline TwiML reply's row through the outbox id in the callback URL", async () => {
    const answer = await sendInbound(app, inboundSms(PARENT, "hi"));
    const [first] = twimlMessages(answer.xml);
    const id = Number(new URL(first?.action ?? "").searchParams.get("outbox"));
    const response = await postTwilio(
      app,
      pathOf(first?.action ?? ""),
      statusCallback({ sid: "SM00000000000000000000000000000abc", to: PARENT }, "delivered"),
    );
    expect(response.status).toBe(200);
    expect((await outboxRow(app.db, id)).status).toBe("delivered");
  });

  it("with error 21610 opt the address out", async () => {
    const { id, sent } = await sendOne();
    await postStatus(sent, "failed", { ErrorCode: "21610" });
    expect(await outboxRow(app.db, id)).toMatchObject({ status: "failed" });
    expect(await isOptedOut(app.db, "sms", PARENT)).toBe(true);
  });

  it("that are forged or unsigned are refused with 403 and change nothing", async () => {
    const { id, sent } = await sendOne();
    const before = await tableCounts(app.db);
    const forged = await postStatus(
      sent,
      "failed",
      { ErrorCode: "21610" },
      { signature: "Zm9yZ2Vk" },
    );
    const unsigned = await postStatus(sent, "delivered", {}, { signature: null });
    // The outbox id is part of what Twilio signs: moving it to another row breaks the signature.
    const moved = await postTwilio(
      app,
      `/webhooks/twilio/status?outbox=${id + 1}`,
      statusCallback(sent, "delivered"),
      { signedUrl: sent.statusCallback ?? "" },
    );

    expect([forged.status, unsigned.status, moved.status]).toEqual([403, 403, 403]);
    expect(await outboxRow(app.db, id)).toMatchObject({ status: "sent" });
    expect(await tableCounts(app.db)).toEqual(before);
    expect(await isOptedOut(app.db, "sms", PARENT)).toBe(false);
  });

  it("without MessageStatus is malformed (400)", async () => {
    const { sent } = await sendOne();
    const { MessageStatus: _status, ...incomplete } = statusCallback(sent, "delivered");
    const response = await postTwilio(app, pathOf(sent.statusCallback ?? ""), incomplete);
    expect(response.status).toBe(400);
  });
});

describe("Twilio refusing a send", () => {
  it("429 puts the row back until Retry-After, then it goes", async () => {
    twilio.answerNext(twilio.error("error-20429.json", { "Retry-After": "7" }));
    const id = await enqueue(app, {});
    await app.dispatcher.dispatchDue();

    const waiting = await outboxRow(app.db, id);
    expect(waiting).toMatchObject({ status: "pending", attempts: 0 });
    expect(waiting.nextAttemptAt).toBe(app.clock.now() + 7_000);
    expect(twilio.created).toHaveLength(0);

    app.clock.advance(6_999);
    expect(await app.dispatcher.dispatchDue()).toBe(0);
    app.clock.advance(1);
    expect(await app.dispatcher.dispatchDue()).toBe(1);
    expect(twilio.created).toHaveLength(1);
    expect(await outboxRow(app.db, id)).toMatchObject({ status: "sent" });
  });

  it("429 on a split text's second part: the retry sends that part only", async () => {
    twilio.answerNext("created", twilio.error("error-20429.json", { "Retry-After": "7" }));
    const body = "The school trip leaves at eight and returns at four. ".repeat(40).trim();
    const id = await enqueue(app, { body });
    await app.dispatcher.dispatchDue();
    expect(twilio.created).toHaveLength(1);
    expect(await outboxRow(app.db, id)).toMatchObject({ status: "pending", attempts: 0 });

    app.clock.advance(60_000); // past Retry-After and the segments' pacing
    await app.dispatcher.dispatchDue();
    expect(twilio.created.map((message) => message.body).join(" ")).toBe(body);
    expect(await outboxRow(app.db, id)).toMatchObject({
      status: "sent",
      providerMessageId: twilio.created[1]?.sid,
    });
  });

  it("21610 (unsubscribed) parks the row and opts the address out", async () => {
    twilio.answerNext(twilio.error("error-21610.json"));
    const id = await enqueue(app, {});
    await app.dispatcher.dispatchDue();

    expect(await outboxRow(app.db, id)).toMatchObject({ status: "dead" });
    expect(await isOptedOut(app.db, "sms", PARENT)).toBe(true);
    // Nothing more goes to them: the next row is parked without a call to Twilio.
    const next = await enqueue(app, {});
    await app.dispatcher.dispatchDue();
    expect(await outboxRow(app.db, next)).toMatchObject({
      status: "dead",
      lastError: "recipient opted out",
    });
    expect(twilio.requests).toHaveLength(1);
  });

  it("21211 (invalid number) parks the row for good, keeping the number out of the error", async () => {
    twilio.answerNext(twilio.error("error-21211.json"));
    const id = await enqueue(app, {});
    await app.dispatcher.dispatchDue();

    const row = await outboxRow(app.db, id);
    expect(row).toMatchObject({
      status: "dead",
      lastError: "Twilio error 21211 (HTTP 400); no other channel to try",
    });
    expect(await isOptedOut(app.db, "sms", PARENT)).toBe(false);
  });

  it("5xx is retried later with backoff", async () => {
    twilio.answerNext(twilio.error("error-20500.json"));
    const id = await enqueue(app, {});
    await app.dispatcher.dispatchDue();

    const row = await outboxRow(app.db, id);
    expect(row).toMatchObject({ status: "pending", attempts: 1 });
    expect(row.lastError).toBe("Twilio error 20500 (HTTP 500)");
    app.clock.advance(1_000);
    await app.dispatcher.dispatchDue();
    expect(await outboxRow(app.db, id)).toMatchObject({ status: "sent" });
  });
});
