// Inbound Twilio webhooks through the app: authentic SMS and WhatsApp messages reach the parent
// conversation and are answered inline in TwiML (or by the dispatcher through the real twilio SDK
// against msw), forged ones change nothing, replays have one effect, and bad payloads are refused
// or acknowledged as the issue says.
import { eq } from "drizzle-orm";
import { Hono } from "hono";
import { describe, expect, it, vi } from "vitest";
import { parseTwilioInbound, setUpTwilio, signTwilioWebhook } from "../../../bots/twilio";
import { schema } from "../../../db";
import { parseConfig } from "../../../src/config";
import type { AppEnv, InboundOutcome, InboundRoadHandle } from "../../../src/contracts";
import { createLogger } from "../../../src/logger";
import {
  codeIn,
  createTestParentline,
  DEMO,
  STAFF,
  type TestParentline,
} from "../../support/parentline";
import {
  type FakeTwilioMessages,
  inboundSms,
  inboundWhatsApp,
  PUBLIC_BASE_URL,
  postTwilio,
  readForm,
  sendInbound,
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

describe("an authentic SMS", () => {
  it("reaches the parent conversation and is answered inline in TwiML, code included", async () => {
    const answer = await sendInbound(app, inboundSms(PARENT, "hi"));

    expect(answer.status).toBe(200);
    expect(answer.contentType).toMatch(/^text\/xml/);
    expect(answer.replies).toHaveLength(2);
    expect(answer.replies.join("\n")).toMatch(/We sent a 6-digit code to \+1•••••0102/);
    // The code goes to the same SMS number, so it rides in the same response; nothing via the API.
    const code = codeIn(answer.replies);
    expect(twilio.created).toHaveLength(0);

    const verified = await sendInbound(app, inboundSms(PARENT, code));
    expect(verified.replies.join("\n")).toContain("you're verified");
    expect(verified.replies.join("\n")).toMatch(/1\. New request\n2\. My requests/);
  });

  it("records the inline replies as sent, with a status callback that finds their rows", async () => {
    const answer = await sendInbound(app, inboundSms(PARENT, "hi"));
    const messages = twimlMessages(answer.xml);
    const rows = await app.db.select().from(schema.outbox);

    expect(rows.map((row) => row.status)).toEqual(["sent", "sent"]);
    expect(rows.every((row) => row.channel === "sms" && row.address === PARENT)).toBe(true);
    expect(messages.map((message) => message.action).sort()).toEqual(
      rows.map((row) => `${PUBLIC_BASE_URL}/webhooks/twilio/status?outbox=${row.id}`).sort(),
    );
  });

  it("wakes the dispatcher only when a reply is left for it", async () => {
    const kick = vi.spyOn(app.dispatcher, "kick");
    await sendInbound(app, inboundSms(PARENT, "hi"));
    expect(kick).not.toHaveBeenCalled();
    // On WhatsApp the code goes by SMS, through the API: that row is the dispatcher's.
    await sendInbound(app, inboundWhatsApp(DEMO.parentWithTwoChildren, "hi"));
    expect(kick).toHaveBeenCalledTimes(1);
  });

  it("normalizes a sender written without its country code", async () => {
    const answer = await sendInbound(app, inboundSms("4155550102", "hi"));
    expect(answer.replies.join("\n")).toMatch(/code to \+1•••••0102/);
    const [conversation] = await app.db.select().from(schema.conversations);
    expect(conversation).toMatchObject({ channel: "sms", address: PARENT });
  });
});

describe("an authentic Twilio WhatsApp message", () => {
  it("is answered inline on WhatsApp while the one-time code goes by SMS through the API", async () => {
    const answer = await sendInbound(app, inboundWhatsApp(PARENT, "hi"));
    expect(answer.replies).toHaveLength(1);
    expect(answer.replies[0]).toMatch(/We sent a 6-digit code to \+1•••••0102/);

    // The code is an SMS: the dispatcher sends it with the real SDK.
    expect(await app.dispatcher.dispatchDue()).toBe(1);
    const [sms] = twilio.created;
    expect(sms).toMatchObject({ to: PARENT, from: TWILIO_NUMBER, messagingServiceSid: null });
    expect(sms?.statusCallback).toMatch(
      new RegExp(`^${PUBLIC_BASE_URL}/webhooks/twilio/status\\?outbox=\\d+$`),
    );
    const [codeRow] = await app.db
      .select()
      .from(schema.outbox)
      .where(eq(schema.outbox.channel, "sms"));
    expect(codeRow).toMatchObject({ status: "sent", providerMessageId: sms?.sid, sealed: null });

    const verified = await sendInbound(app, inboundWhatsApp(PARENT, codeIn([sms?.body ?? ""])));
    expect(verified.replies.join("\n")).toContain("you're verified");
    const [conversation] = await app.db
      .select()
      .from(schema.conversations)
      .where(eq(schema.conversations.channel, "twilio-whatsapp"));
    // The address is the bare number; the whatsapp: prefix only exists on the wire.
    expect(conversation?.address).toBe(PARENT);
  });

  it("carries its media as attachments into the ticket", async () => {
    await verifyOverWhatsApp(app, twilio);
    await sendInbound(app, inboundWhatsApp(PARENT, "Talk to a person"));
    const photo = inboundWhatsApp(PARENT, "Here is a photo of the damaged part", {
      keepMedia: true,
    });
    const answer = await sendInbound(app, photo);

    expect(answer.replies.join("\n")).toMatch(/has your request T-\d+/);
    const [message] = await app.db.select().from(schema.ticketMessages);
    expect(message?.attachments).toEqual([{ url: photo.MediaUrl0, contentType: "image/jpeg" }]);
  });
});

/** Verifies PARENT over Twilio WhatsApp, the code arriving by SMS through the fake API. */
async function verifyOverWhatsApp(app: TestParentline, twilio: FakeTwilioMessages) {
  await sendInbound(app, inboundWhatsApp(PARENT, "hi"));
  await app.dispatcher.dispatchDue();
  const code = codeIn(
    twilio
      .to(PARENT)
      .map((message) => message.body)
      .slice(-1),
  );
  const verified = await sendInbound(app, inboundWhatsApp(PARENT, code));
  if (!verified.replies.join("\n").includes("verified")) throw new Error("not verified");
}

describe("a conversation slower than the inline budget", () => {
  it("answers an empty <Response/> at once and the dispatcher sends the replies", async () => {
    // The real road behind a gate that opens only after the webhook has answered.
    let open: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      open = resolve;
    });
    let handled: Promise<InboundOutcome> | undefined;
    const slowRoad: InboundRoadHandle = {
      ...app.roadHandle,
      receive: (message, inline) => {
        handled = gate.then(() => app.roadHandle.receive(message, inline));
        return handled;
      },
    };
    const setup = setUpTwilio(
      {
        config: parseConfig({ NODE_ENV: "test", ...TWILIO_ENV }),
        log: app.log,
        now: app.clock.now,
        requireStaff: async (_c, next) => next(),
      },
      { inlineReplyBudgetMs: 20 },
    );
    if ("off" in setup || !setup.routes) throw new Error("twilio should be on");
    const mounted = setup.routes(slowRoad);
    const slowApp = { ...app, app: new Hono<AppEnv>().route(mounted.path, mounted.app) };

    const answer = await sendInbound(slowApp as TestParentline, inboundSms(PARENT, "hi"));
    expect(answer.status).toBe(200);
    expect(answer.replies).toEqual([]);
    expect(answer.xml).toContain("<Response/>");
    expect(await tableCounts(app.db)).toMatchObject({ inboundMessages: 0, outbox: 0 });

    open();
    const outcome = await handled;
    expect(outcome?.outboxIds).toHaveLength(2);
    // The webhook no longer waited when the step wrote: nothing was taken for its response.
    expect(outcome?.inlineReplies).toEqual([]);
    expect(await app.dispatcher.dispatchDue()).toBe(2);
    const texts = twilio.to(PARENT).map((message) => message.body);
    expect(texts.join("\n")).toMatch(/We sent a 6-digit code/);
    expect(codeIn(texts)).toMatch(/^\d{6}$/);
  });
});

describe("the same MessageSid delivered twice", () => {
  it("is answered once; the replay gets an empty <Response/> and changes nothing", async () => {
    const message = inboundSms(PARENT, "hi");
    const first = await sendInbound(app, message);
    expect(first.replies).toHaveLength(2);
    const before = await tableCounts(app.db);

    const replay = await sendInbound(app, message);
    expect(replay.status).toBe(200);
    expect(replay.contentType).toMatch(/^text\/xml/);
    expect(replay.replies).toEqual([]);
    expect(await tableCounts(app.db)).toEqual(before);
  });

  it("at the same moment, has one effect and one set of replies", async () => {
    const message = inboundWhatsApp(PARENT, "hi");
    const before = await tableCounts(app.db);
    const answers = await Promise.all([sendInbound(app, message), sendInbound(app, message)]);

    expect(answers.map((answer) => answer.status)).toEqual([200, 200]);
    expect(answers.map((answer) => answer.replies.length).sort()).toEqual([0, 1]);
    const after = await tableCounts(app.db);
    expect(after.inboundMessages - before.inboundMessages).toBe(1);
    expect(after.conversations - before.conversations).toBe(1);
    expect(after.otpCodes - before.otpCodes).toBe(1);
    // The WhatsApp reply and the SMS carrying the code.
    expect(after.outbox - before.outbox).toBe(2);
    expect(await app.dispatcher.dispatchDue()).toBe(1);
    expect(twilio.created).toHaveLength(1);
  });
});

describe("a webhook that is not Twilio's", () => {
  const refusals: [string, Parameters<typeof postTwilio>[3]][] = [
    ["a forged signature", { signature: "bm90IHR3aWxpbydzIHNpZ25hdHVyZQ==" }],
    ["no signature", { signature: null }],
    // Unsigned is refused before the body is read: not a 400 for its content type.
    [
      "no signature on a body that is not a form",
      { signature: null, contentType: "application/json" },
    ],
    // Signed for the URL the proxy forwarded to, not the public one Twilio called.
    ["a signature over the forwarded URL", { signedUrl: "http://localhost/webhooks/twilio" }],
  ];

  it.each(refusals)("with %s is refused with 403 and nothing changes", async (_, options) => {
    const before = await tableCounts(app.db);
    const response = await postTwilio(app, "/webhooks/twilio", inboundSms(PARENT, "hi"), options);

    expect(response.status).toBe(403);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe("forbidden");
    expect(await tableCounts(app.db)).toEqual(before);
  });

  it("with parameters changed after signing is refused", async () => {
    const signed = inboundSms(PARENT, "hi");
    const signature = signTwilioWebhook(
      TWILIO_ENV.TWILIO_AUTH_TOKEN,
      `${PUBLIC_BASE_URL}/webhooks/twilio`,
      signed,
    );
    const tampered = { ...signed, Body: "STOP" };
    const response = await postTwilio(app, "/webhooks/twilio", tampered, { signature });
    expect(response.status).toBe(403);
    expect(await tableCounts(app.db)).toMatchObject({ inboundMessages: 0, channelIdentities: 0 });
  });

  it("logs one line saying why, without the message", async () => {
    const lines: string[] = [];
    const logged = await createTestParentline(TWILIO_ENV, {
      logger: createLogger("info", { write: (line: string) => void lines.push(line) }),
    });
    const response = await postTwilio(logged, "/webhooks/twilio", inboundSms(PARENT, "secret"), {
      signature: null,
    });
    await logged.stop();

    expect(response.status).toBe(403);
    const refusals = lines.filter((line) => line.includes("twilio webhook refused"));
    expect(refusals).toHaveLength(1);
    expect(refusals[0]).toContain("no signature");
    expect(lines.join("")).not.toContain("secret");
    expect(lines.join("")).not.toContain(PARENT);
  });
});

describe("payloads Twilio signed but we cannot use", () => {
  it("acknowledges a shared location (no text, no media) with an empty <Response/>", async () => {
    const location = inboundWhatsApp(PARENT, "", {
      extra: { MessageType: "location", Latitude: "37.7749", Longitude: "-122.4194" },
    });
    const answer = await sendInbound(app, location);
    expect(answer.status).toBe(200);
    expect(answer.replies).toEqual([]);
    expect(await tableCounts(app.db)).toMatchObject({ inboundMessages: 0, outbox: 0 });
  });

  it("acknowledges a message on a Twilio channel we don't serve", async () => {
    const messenger = inboundSms(PARENT, "hi", { From: "messenger:1234567890" });
    const answer = await sendInbound(app, messenger);
    expect(answer.status).toBe(200);
    expect(answer.replies).toEqual([]);
    expect(await tableCounts(app.db)).toMatchObject({ inboundMessages: 0, conversations: 0 });
  });

  it("acknowledges WhatsApp while twilio-whatsapp is off (no TWILIO_WHATSAPP_FROM)", async () => {
    const { TWILIO_WHATSAPP_FROM: _off, ...smsOnly } = TWILIO_ENV;
    const smsApp = await createTestParentline(smsOnly);
    const answer = await sendInbound(smsApp, inboundWhatsApp(PARENT, "hi"));
    const counts = await tableCounts(smsApp.db);
    await smsApp.stop();

    expect(answer.status).toBe(200);
    expect(answer.replies).toEqual([]);
    expect(counts).toMatchObject({ inboundMessages: 0, conversations: 0 });
  });
});

describe("malformed webhooks", () => {
  it("refuses a signed form without MessageSid or From with 400", async () => {
    const { MessageSid: _sid, ...noSid } = inboundSms(PARENT, "hi");
    const response = await postTwilio(app, "/webhooks/twilio", noSid);
    expect(response.status).toBe(400);
    expect(await tableCounts(app.db)).toMatchObject({ inboundMessages: 0 });
  });

  it("refuses a body that is not form-encoded with 400", async () => {
    const response = await postTwilio(app, "/webhooks/twilio", inboundSms(PARENT, "hi"), {
      contentType: "application/json",
    });
    expect(response.status).toBe(400);
  });

  it("refuses a body over 1 MB with 413", async () => {
    const response = await postTwilio(
      app,
      "/webhooks/twilio",
      inboundSms(PARENT, "x".repeat(1024 * 1024 + 1)),
    );
    expect(response.status).toBe(413);
    expect(await tableCounts(app.db)).toMatchObject({ inboundMessages: 0 });
  });
});

describe("the recorded fixtures", () => {
  it("parse as Twilio sends them: the SMS fixture's sender is normalized and its sid kept", async () => {
    const recorded = readForm("inbound-sms.form");
    const parsed = parseTwilioInbound(recorded, {
      defaultCountry: "US",
      channels: new Set(["sms", "twilio-whatsapp"]),
      now: 1,
    });
    expect(parsed).toEqual({
      kind: "message",
      message: {
        channel: "sms",
        address: "+15555550142",
        providerMessageId: "SMb11196f91ee81f12779569d35a669008",
        text: "Hi, is my appointment still on for Friday at 10?",
        receivedAt: 1,
      },
    });
  });
});

describe("a WhatsApp reply through Twilio", () => {
  it("names the message it replies to by the SID Twilio gave it (OriginalRepliedMessageSid)", () => {
    const recorded = readForm("inbound-whatsapp.form");
    const parsed = parseTwilioInbound(
      { ...recorded, OriginalRepliedMessageSid: "SMalert0000000000000000000000000a" },
      { defaultCountry: "US", channels: new Set(["sms", "twilio-whatsapp"]), now: 1 },
    );
    expect(parsed.kind === "message" && parsed.message.replyTo).toBe(
      "SMalert0000000000000000000000000a",
    );
  });
});

describe("an MMS from staff", () => {
  it("becomes the attachment of the guided /announce: its MediaUrl, shown in the preview", async () => {
    const asked = await sendInbound(app, inboundSms(STAFF.admin, "hi"));
    await sendInbound(app, inboundSms(STAFF.admin, codeIn(asked.replies)));
    await sendInbound(app, inboundSms(STAFF.admin, "/announce"));
    await sendInbound(app, inboundSms(STAFF.admin, "5A"));
    const ask = await sendInbound(app, inboundSms(STAFF.admin, "Our new playground"));
    expect(ask.replies.join("\n")).toContain("Add a photo or document?");

    const picture = `https://api.twilio.com/2010-04-01/Accounts/ACd4b1244da430a7f5918701ba871ecafc/Messages/MM${"1".repeat(32)}/Media/ME${"2".repeat(32)}`;
    const preview = await sendInbound(
      app,
      inboundSms(STAFF.admin, "", {
        NumMedia: "1",
        MediaUrl0: picture,
        MediaContentType0: "image/jpeg",
      }),
    );
    expect(preview.replies.join("\n")).toContain(
      `"Our new playground"\nwith attachment: ${picture}\n`,
    );
    await sendInbound(app, inboundSms(STAFF.admin, "Send"));
    const [announcement] = await app.db.select().from(schema.announcements);
    expect(announcement?.attachment).toEqual({ url: picture, contentType: "image/jpeg" });
  });
});
