// Renders an outbound message for the simulated phone (pure): options stay tappable buttons.
import type { OutboundMessage } from "../../src/contracts";
import type { PhoneEntry } from "./client";

export function renderForPhone(message: OutboundMessage, at: number): PhoneEntry {
  return {
    direction: "out",
    text: message.text,
    ...(message.options?.length ? { options: message.options } : {}),
    kind: message.kind,
    outboxId: message.outboxId,
    at,
  };
}
