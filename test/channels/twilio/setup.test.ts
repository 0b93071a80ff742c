// When Twilio is on, which channels it brings and with what capabilities and limits, and the pure
// pieces the adapter is built from: segment counting, request rendering, status parsing.
import twilio from "twilio";
import { describe, expect, it } from "vitest";
import {
  createSmsChannel,
  parseTwilioStatus,
  renderCreateRequests,
  renderTwiml,
  SMS_CAPABILITIES,
  setUpTwilio,
  smsSegments,
  TWILIO_WHATSAPP_CAPABILITIES,
} from "../../../bots/twilio";
import { parseConfig } from "../../../src/config";
import type { Channel, ChannelSetup, OutboundMessage } from "../../../src/contracts";
import { createLogger } from "../../../src/logger";
import { createTestParentline } from "../../support/parentline";
import { readForm, TWILIO_ENV } from "./support";

function setUp(env: Record<string, string>) {
  return setUpTwilio({
    config: parseConfig({ NODE_ENV: "test", ...env }),
    log: createLogger("silent"),
    now: () => 0,
    requireStaff: async (_c, next) => next(),
  });
}

function channelsOf(setup: ChannelSetup | { off: string }): Map<string, Channel> {
  if ("off" in setup) throw new Error(`off: ${setup.off}`);
  return new Map(setup.channels.map((channel) => [channel.name, channel]));
}

const message = (text: string, extra: Partial<OutboundMessage> = {}): OutboundMessage => ({
  outboxId: 7,
  channel: "sms",
  address: "+14155550102",
  kind: "reply",
  text,
  ...extra,
});

describe("turning Twilio on", () => {
  it("is off with every missing variable named", () => {
    expect(setUp({})).toEqual({
      off: "missing TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, TWILIO_FROM or TWILIO_MESSAGING_SERVICE_SID, PUBLIC_BASE_URL",
    });
    const { PUBLIC_BASE_URL: _url, TWILIO_FROM: _from, ...rest } = TWILIO_ENV;
    expect(setUp(rest)).toEqual({
      off: "missing TWILIO_FROM or TWILIO_MESSAGING_SERVICE_SID, PUBLIC_BASE_URL",
    });
  });

  it("says why in /health", async () => {
    const app = await createTestParentline({});
    const health = (await (await app.app.request("/health")).json()) as {
      channels: Record<string, string>;
    };
    await app.stop();
    expect(health.channels.twilio).toMatch(/^off: missing TWILIO_ACCOUNT_SID/);
  });

  it("brings sms and twilio-whatsapp with their capabilities and configured limits", () => {
    const channels = channelsOf(
      setUp({
        ...TWILIO_ENV,
        TWILIO_SMS_SEGMENTS_PER_SECOND: "3",
        TWILIO_WHATSAPP_PER_SECOND: "40",
      }),
    );
    expect([...channels.keys()]).toEqual(["sms", "twilio-whatsapp"]);
    expect(channels.get("sms")?.capabilities).toEqual({
      buttons: false,
      readReceipts: false,
      inlineReply: true,
      phoneAddressed: true,
      maxTextLength: 1600,
      carrierKeywords: true,
    });
    expect(channels.get("twilio-whatsapp")?.capabilities).toEqual({
      ...SMS_CAPABILITIES,
      readReceipts: true,
      maxTextLength: 4096,
    });
    expect(channels.get("sms")?.limits).toEqual({ perSecond: 3 });
    expect(channels.get("twilio-whatsapp")?.limits).toEqual({ perSecond: 40 });
  });

  it("defaults to Twilio's long-code pace: one SMS segment a second", () => {
    const { TWILIO_SMS_SEGMENTS_PER_SECOND: _pace, ...defaults } = TWILIO_ENV;
    expect(channelsOf(setUp(defaults)).get("sms")?.limits).toEqual({ perSecond: 1 });
  });

  it("without TWILIO_WHATSAPP_FROM brings sms only, and says so", () => {
    const { TWILIO_WHATSAPP_FROM: _wa, ...smsOnly } = TWILIO_ENV;
    const setup = setUp(smsOnly);
    expect([...channelsOf(setup).keys()]).toEqual(["sms"]);
    expect("state" in setup && setup.state?.()).toBe(
      "on (sms; twilio-whatsapp off: missing TWILIO_WHATSAPP_FROM)",
    );
  });
});

describe("what a send costs", () => {
  it.each([
    ["", 1],
    ["a".repeat(160), 1],
    ["a".repeat(161), 2],
    ["a".repeat(306), 2],
    ["a".repeat(307), 3],
    // Extension characters take two septets.
    ["€".repeat(80), 1],
    ["€".repeat(81), 2],
    // One character outside GSM-7 makes the whole text UCS-2.
    ["é".repeat(160), 1],
    [`${"a".repeat(69)}😀`, 2],
    [`${"a".repeat(68)}ł`, 1],
    [`${"a".repeat(70)}ł`, 2],
    ["ł".repeat(134), 2],
    ["ł".repeat(135), 3],
  ])("an SMS of %j is %i segment(s)", (text, segments) => {
    expect(smsSegments(text)).toBe(segments);
  });

  it("is its segments on SMS (every part counted) and its parts on WhatsApp", () => {
    const channels = channelsOf(setUp(TWILIO_ENV));
    // 2 099 characters: parts of 1 595 (11 segments of 153) and 503 (4 segments).
    const long = "Short sentence here. ".repeat(100).trim();
    expect(channels.get("sms")?.sendCost?.(message("Hello"))).toBe(1);
    expect(channels.get("sms")?.sendCost?.(message(long))).toBe(11 + 4);
    expect(channels.get("twilio-whatsapp")?.sendCost?.(message(long))).toBe(1);
    expect(channels.get("twilio-whatsapp")?.sendCost?.(message(long.repeat(2)))).toBe(2);
  });

  it("is the segments of the parts still to go on a retry that resumes", async () => {
    const long = "Short sentence here. ".repeat(100).trim(); // 11 + 4 segments, as above
    let calls = 0;
    const sms = createSmsChannel({
      // Twilio takes the first part and refuses the second (its client turns that into an error).
      api: {
        createMessage: async () => {
          calls += 1;
          if (calls === 2) throw new Error("refused");
          return { sid: `SM${calls}` };
        },
      },
      sender: { from: "+14155550100" },
      publicBaseUrl: "https://school.example",
      perSecond: 1,
    });
    await expect(sms.send(message(long))).rejects.toThrow("refused");
    expect(sms.sendCost?.(message(long))).toBe(4);
    expect(await sms.send(message(long))).toEqual({ providerMessageId: "SM3" });
    expect(sms.sendCost?.(message(long))).toBe(11 + 4);
  });
});

describe("rendering", () => {
  const publicBaseUrl = "https://parentline.example.org/";

  it("gives WhatsApp its prefix and every part the row's status callback", () => {
    const requests = renderCreateRequests(message("Hi", { channel: "twilio-whatsapp" }), {
      capabilities: TWILIO_WHATSAPP_CAPABILITIES,
      sender: { from: "whatsapp:+15555550100" },
      publicBaseUrl,
    });
    expect(requests).toEqual([
      {
        to: "whatsapp:+14155550102",
        from: "whatsapp:+15555550100",
        body: "Hi",
        statusCallback: "https://parentline.example.org/webhooks/twilio/status?outbox=7",
      },
    ]);
  });

  it("renders inline replies as TwiML with an action per message, escaping the text", () => {
    const xml = renderTwiml([message("Fees < $5 & due", { options: [{ id: "a", label: "OK" }] })], {
      capabilitiesOf: () => SMS_CAPABILITIES,
      publicBaseUrl,
    });
    expect(xml).toBe(
      '<?xml version="1.0" encoding="UTF-8"?><Response><Message action="https://parentline.example.org/webhooks/twilio/status?outbox=7" method="POST">Fees &lt; $5 &amp; due\n\n1. OK</Message></Response>',
    );
    expect(renderTwiml([], { capabilitiesOf: () => SMS_CAPABILITIES, publicBaseUrl })).toBe(
      '<?xml version="1.0" encoding="UTF-8"?><Response/>',
    );
  });

  it("writes the TwiML twilio's MessagingResponse writes, for any text", () => {
    const texts = [
      "Fees < $5 & due > today",
      "She said \"hi\" and 'bye'",
      "tab\there\nline\r\nwindows line",
      "&amp; already escaped, ]]> and <![CDATA[",
      "Emoji 👋🏽, Ελληνικά, العربية, 中文",
    ];
    const ours = renderTwiml(
      texts.map((text, index) => message(text, { outboxId: index + 1 })),
      { capabilitiesOf: () => SMS_CAPABILITIES, publicBaseUrl },
    );
    const library = new twilio.twiml.MessagingResponse();
    for (const [index, text] of texts.entries())
      library.message(
        { action: `${publicBaseUrl}webhooks/twilio/status?outbox=${index + 1}`, method: "POST" },
        text,
      );
    expect(ours).toBe(library.toString());
  });

  it("drops what XML cannot carry (MessagingResponse threw on it) and keeps the rest", () => {
    const text = "bell\u0007 nul\u0000 lone\uD800 surrogate, pair 😀 kept";
    expect(() => new twilio.twiml.MessagingResponse().message(text)).toThrow(/Invalid character/);
    const xml = renderTwiml([message(text)], {
      capabilitiesOf: () => SMS_CAPABILITIES,
      publicBaseUrl,
    });
    expect(xml).toContain(">bell nul lone surrogate, pair 😀 kept</Message>");
  });
});

describe("status callbacks as receipts", () => {
  it("read the recorded callback: channel, sid, status, error code and our outbox id", () => {
    expect(
      parseTwilioStatus(readForm("status-callback-undelivered.form"), {
        outboxQuery: "42",
        defaultCountry: "US",
      }),
    ).toEqual({
      kind: "receipt",
      receipt: {
        channel: "sms",
        providerMessageId: "SMc3daf97dbd086e622f67c142a380ba61",
        outboxId: 42,
        status: "undelivered",
        errorCode: "30003",
      },
      recipient: { channel: "sms", address: "+15555550142" },
    });
  });

  it("ignore statuses before sent, and outbox ids that are not ids", () => {
    const delivered = readForm("status-callback-delivered.form");
    expect(
      parseTwilioStatus(
        { ...delivered, MessageStatus: "queued" },
        { outboxQuery: undefined, defaultCountry: "US" },
      ),
    ).toEqual({ kind: "ignored", status: "queued" });
    const parsed = parseTwilioStatus(
      { ...delivered, To: "whatsapp:+15555550142" },
      { outboxQuery: "1; drop table", defaultCountry: "US" },
    );
    expect(parsed).toMatchObject({
      kind: "receipt",
      receipt: { channel: "twilio-whatsapp", status: "delivered" },
    });
    expect(parsed.kind === "receipt" ? parsed.receipt.outboxId : "no receipt").toBeUndefined();
  });
});
