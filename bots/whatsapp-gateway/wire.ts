// What travels between a runtime and its WhatsApp Web gateway, checked with zod on arrival: the
// gateway relays a parsed message or a receipt to the runtime's webhook, the runtime asks the
// gateway's /send to send an outbound message (answered with the WhatsApp message id) and its
// /link where the link stands (answered with the state and any QR code to scan).
import { z } from "zod";

const phone = z.string().regex(/^\+\d{6,15}$/, "must be an E.164 number");
/** whatsapp-web.js's serialized ids: "<fromMe>_<chat id>_<key>". */
const messageId = z.string().min(1).max(200);

export const relayBody = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("message"),
    message: z.object({
      channel: z.literal("whatsapp-web"),
      address: phone,
      providerMessageId: messageId,
      text: z.string().min(1).max(65_536),
      replyTo: messageId.optional(),
    }),
  }),
  z.object({
    kind: z.literal("receipt"),
    receipt: z.object({
      channel: z.literal("whatsapp-web"),
      providerMessageId: messageId,
      status: z.enum(["sent", "delivered", "read", "undelivered", "failed"]),
    }),
  }),
]);
export type RelayBody = z.infer<typeof relayBody>;

/** The runtime's answer to a relay: whether the message was new, whether the receipt moved a row. */
export interface RelayAnswer {
  accepted?: boolean;
  moved?: boolean;
}

export const sendRequest = z.object({
  outboxId: z.number().int().positive(),
  address: phone,
  text: z.string().max(65_536),
  options: z.array(z.object({ id: z.string(), label: z.string() })).optional(),
  media: z.array(z.object({ url: z.url(), contentType: z.string().optional() })).optional(),
});
export type SendRequest = z.infer<typeof sendRequest>;

/** The gateway's answer to a send that went. */
export interface SendAnswer {
  providerMessageId: string;
}

/** The gateway's answer to a send that did not: the outbox's SendFailure as the error code. */
export interface SendRefusal {
  error: { code: string; message: string; details?: { retryAfterMs?: number } };
}

/** The gateway's answer to GET /link: bots/whatsapp-web's LinkAnswer, the QR code drawn as a PNG. */
export const linkAnswerBody = z.object({
  state: z.string().min(1).max(300),
  qr: z
    .string()
    .regex(/^data:image\/png;base64,[A-Za-z0-9+/]+=*$/)
    .optional(),
});
