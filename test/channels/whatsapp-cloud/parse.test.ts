// Parsing Meta's webhook notifications (the recorded fixtures) into inbound messages and receipts.
import { describe, expect, it } from "vitest";
import { parseWhatsAppWebhook } from "../../../bots/whatsapp-cloud";
import { fixture, PHONE_NUMBER_ID } from "./support";

const options = { phoneNumberId: PHONE_NUMBER_ID, defaultCountry: "US", now: 42 };

describe("parsing a WhatsApp Cloud webhook", () => {
  it("reads a text message: the sender as E.164, the wamid as the dedupe key, Meta's timestamp", () => {
    expect(parseWhatsAppWebhook(fixture("webhook-text"), options)).toEqual({
      messages: [
        {
          channel: "whatsapp-cloud",
          address: "+15555550142",
          providerMessageId: "wamid.HBgLMTU1NTU1NTAxNDIVAgASGBQzQUY4MzkxQUM4NjMwMzMwNUUxMQA=",
          text: "Hi, is my appointment still on for Friday at 10?",
          receivedAt: 1718355600_000,
        },
      ],
      receipts: [],
      ignored: [],
    });
  });

  it("names the message a reply quotes by its wamid (context.id), as send() recorded it", () => {
    const payload = fixture("webhook-text") as {
      entry: { changes: { value: { messages: Record<string, unknown>[] } }[] }[];
    };
    const message = payload.entry[0]?.changes[0]?.value.messages[0];
    if (!message) throw new Error("fixture has no message");
    message.context = { from: "15555550100", id: "wamid.ALERT123" };
    expect(parseWhatsAppWebhook(payload, options)?.messages[0]?.replyTo).toBe("wamid.ALERT123");
  });

  it.each([
    { name: "webhook-button-reply", text: "appt_confirm_7781" },
    { name: "webhook-list-reply", text: "slot_20240614_1000" },
  ])("takes the id of the option tapped as the text ($name)", ({ name, text }) => {
    const parsed = parseWhatsAppWebhook(fixture(name), options);
    expect(parsed?.messages.map((message) => message.text)).toEqual([text]);
    expect(parsed?.messages[0]?.address).toBe("+15555550142");
  });

  it("reads a quick-reply button on a template as its payload", () => {
    const payload = fixture("webhook-text");
    const message = payload.entry[0].changes[0].value.messages[0];
    delete message.text;
    message.type = "button";
    message.button = { payload: "talk", text: "Talk to a person" };
    expect(parseWhatsAppWebhook(payload, options)?.messages[0]?.text).toBe("talk");
  });

  it("reads statuses as receipts, with the error code of a failure", () => {
    expect(parseWhatsAppWebhook(fixture("webhook-status-read"), options)?.receipts).toEqual([
      {
        channel: "whatsapp-cloud",
        providerMessageId: "wamid.HBgLMTU1NTU1NTAxNDIVAgARGBI4RjM5MUFDODYzMDMzMDVFMTEA",
        status: "read",
      },
    ]);
    expect(parseWhatsAppWebhook(fixture("webhook-status-failed"), options)?.receipts).toEqual([
      {
        channel: "whatsapp-cloud",
        providerMessageId: "wamid.HBgLMTU1NTU1NTAxNDIVAgARGBIyQTA3RkUyNjgzQjI4MEVCRUYA",
        status: "failed",
        errorCode: "131047",
      },
    ]);
  });

  it("ignores, with a reason, what it does not handle: a sticker, another business number's change", () => {
    const sticker = fixture("webhook-text");
    const message = sticker.entry[0].changes[0].value.messages[0];
    delete message.text;
    message.type = "sticker";
    message.sticker = {
      mime_type: "image/webp",
      sha256: "abc=",
      id: "1234567890",
      animated: false,
    };
    expect(parseWhatsAppWebhook(sticker, options)).toEqual({
      messages: [],
      receipts: [],
      ignored: [{ what: "sticker message", reason: "not handled" }],
    });

    const elsewhere = fixture("webhook-text");
    elsewhere.entry[0].changes[0].value.metadata.phone_number_id = "999999999999999";
    expect(parseWhatsAppWebhook(elsewhere, options)).toEqual({
      messages: [],
      receipts: [],
      ignored: [{ what: "change", reason: "for another business phone number" }],
    });
  });

  it("says a payload that is not a WhatsApp Business Account notification is none", () => {
    expect(parseWhatsAppWebhook({ object: "page", entry: [] }, options)).toBeNull();
    expect(parseWhatsAppWebhook([1, 2, 3], options)).toBeNull();
  });
});
