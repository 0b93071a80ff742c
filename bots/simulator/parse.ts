// Parses a simulator send request into an InboundMessage (pure).
import { z } from "zod";
import { type InboundMessage, normalizePhone } from "../../src/contracts";
import { RENDER_MODES } from "./channel-views";

export const simulatorSendBody = z.object({
  address: z.string().min(1).max(32),
  text: z.string().min(1).max(4096),
  /** Optional client-chosen id: sending the same id twice is a replay and is answered once. */
  id: z.string().min(1).max(64).optional(),
  /** The id of a message the phone was sent (its history lists it), as a reply to it. */
  replyTo: z.string().min(1).max(64).optional(),
  /** Each reply also as that channel's phone shows it (`shown`), through its own renderer. */
  render: z.enum(RENDER_MODES).optional(),
});

export type SimulatorSendBody = z.infer<typeof simulatorSendBody>;

export type ParseResult =
  | { ok: true; message: InboundMessage }
  | { ok: false; field: string; reason: string };

export function parseSimulatorSend(
  body: SimulatorSendBody,
  options: { defaultCountry: string; now: number; newId: () => string },
): ParseResult {
  const address = normalizePhone(body.address, options.defaultCountry);
  if (!address) return { ok: false, field: "address", reason: "is not a phone number" };
  return {
    ok: true,
    message: {
      channel: "simulator",
      address,
      // Ids are chosen by whoever calls the simulator, so they are only unique per phone.
      providerMessageId: body.id ? `${address}:${body.id}` : options.newId(),
      text: body.text,
      ...(body.replyTo ? { replyTo: body.replyTo } : {}),
      receivedAt: options.now,
    },
  };
}
