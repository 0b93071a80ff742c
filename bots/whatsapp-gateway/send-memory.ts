// What /send remembers of each outbox row it sent, kept in the gateway's file: a request the
// runtime retries because it lost the answer (a timeout, a gateway restart between the send and
// the answer) is answered with the same WhatsApp id and sends nothing twice. Sends are kept for
// SEND_MEMORY_MS: the runtime retries a row it sent within its lease, minutes, never days later.
import { createHash } from "node:crypto";
import type { GatewayStore } from "./gateway-store";
import type { SendRequest } from "./wire";

export const SEND_MEMORY_MS = 7 * 24 * 60 * 60_000;
/** How often sends past SEND_MEMORY_MS are forgotten, at most. */
const PRUNE_EVERY_MS = 60 * 60_000;

export interface SendMemoryOptions {
  store: GatewayStore;
  now: () => number;
  keepMs?: number;
}

/** What a request asks to send; a reused outbox id with other words is another message. */
const fingerprintOf = ({ address, text, options, media }: SendRequest) =>
  createHash("sha256")
    .update(JSON.stringify([address, text, options ?? null, media ?? null]))
    .digest("base64url");

export function createSendMemory({ store, now, keepMs = SEND_MEMORY_MS }: SendMemoryOptions) {
  /** Sends under way, by outbox id: a second request while the first sends waits for it. */
  const sending = new Map<number, { fingerprint: string; id: Promise<string> }>();
  let prunedAt = Number.NEGATIVE_INFINITY;

  function prune() {
    if (now() - prunedAt < PRUNE_EVERY_MS) return;
    prunedAt = now();
    store.forgetSendsBefore(prunedAt - keepMs);
  }
  prune();

  return {
    /** Sends `request` with `send` unless this outbox row's send already went; its WhatsApp id. */
    sendOnce(request: SendRequest, send: () => Promise<string>): Promise<string> {
      const fingerprint = fingerprintOf(request);
      const under = sending.get(request.outboxId);
      if (under?.fingerprint === fingerprint) return under.id;
      const known = store.findSend(request.outboxId);
      if (known?.fingerprint === fingerprint) return Promise.resolve(known.providerMessageId);
      const id = send().then((providerMessageId) => {
        store.rememberSend(request.outboxId, { providerMessageId, fingerprint }, now());
        prune();
        return providerMessageId;
      });
      const entry = { fingerprint, id };
      sending.set(request.outboxId, entry);
      // A failed send is not remembered, so the outbox's retry tries again (resuming after the
      // parts that went, while this process runs).
      const forget = () => {
        if (sending.get(request.outboxId) === entry) sending.delete(request.outboxId);
      };
      id.then(forget, forget);
      return id;
    },
  };
}

export type SendMemory = ReturnType<typeof createSendMemory>;
