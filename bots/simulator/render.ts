// Renders an outbound message for the simulated phone (pure): options stay tappable buttons, and an
// attachment shows as its link on the last line (the page has no media viewer).
import {
  forSms,
  type OutboundMessage,
  renderForChannel,
  smsSegments,
  textWithLinks,
} from "../../src/contracts";
import type { PhoneEntry } from "./client";

export function renderForPhone(message: OutboundMessage, at: number): PhoneEntry {
  return {
    direction: "out",
    text: textWithLinks(message.text, message.media),
    ...(message.options?.length ? { options: message.options } : {}),
    kind: message.kind,
    outboxId: message.outboxId,
    at,
  };
}

/** Twilio's limit for one SMS request; longer texts are split into several messages. */
const SMS_MAX_TEXT = 1600;

/**
 * A reply as an SMS parent reads it, through the same rendering Twilio's SMS channel uses: options
 * numbered in the text, Parentline's own words in GSM-7, split where SMS splits, with what each
 * message costs in segments.
 */
export function renderAsSms(reply: {
  text: string;
  options?: OutboundMessage["options"];
  kind: string;
}) {
  const { parts } = renderForChannel(forSms(reply), {
    buttons: false,
    maxTextLength: SMS_MAX_TEXT,
  });
  return parts.map((text) => ({ text, segments: smsSegments(text) }));
}
