// Renders an outbound message for the simulated phone (pure): options stay tappable buttons, and an
// attachment shows as its link on the last line (the page has no media viewer).
import { type OutboundMessage, textWithLinks } from "../../src/contracts";
import type { PhoneEntry } from "./client";

export function renderForPhone(message: OutboundMessage, at: number): PhoneEntry {
  return {
    direction: "out",
    text: textWithLinks(message.text, message.media),
    ...(message.options?.length ? { options: message.options } : {}),
    ...(message.quoted?.length ? { quoted: message.quoted } : {}),
    kind: message.kind,
    outboxId: message.outboxId,
    at,
  };
}
