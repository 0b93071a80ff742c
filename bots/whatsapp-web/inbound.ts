// What the link's client events do: a private text message takes the inbound road (which dedupes
// on the WhatsApp message id) and its replies go out at once; an ack moves the outbox row.
import type { ChannelContext, InboundRoadHandle } from "../../src/contracts";
import type { WhatsAppWebMessage } from "./client";
import type { LinkListeners, WhatsAppWebLink } from "./link";
import { parseWhatsAppWebMessage, receiptFromAck } from "./parse";

export interface InboundListenerOptions {
  road: InboundRoadHandle;
  link: Pick<WhatsAppWebLink, "readyClient">;
  log: ChannelContext["log"];
  defaultCountry: string;
  now: () => number;
}

export interface WhatsAppWebInbound extends LinkListeners {
  /** Resolves once every event already received has been handled (stop waits for it). */
  settled(): Promise<void>;
}

export function createInboundListeners({
  road,
  link,
  log,
  defaultCountry,
  now,
}: InboundListenerOptions): WhatsAppWebInbound {
  const inFlight = new Set<Promise<void>>();
  const track = (work: Promise<void>, what: string) => {
    const tracked = work
      .catch((error: unknown) => log.error({ err: error }, `WhatsApp Web ${what} failed`))
      .finally(() => inFlight.delete(tracked));
    inFlight.add(tracked);
  };

  /** The phone chat id behind a hidden "<id>@lid" sender, where WhatsApp shares it. */
  async function phoneChatIdOf(lid: string): Promise<string | undefined> {
    const client = link.readyClient();
    const found = client ? await client.getContactLidAndPhone([lid]) : [];
    return found.find((entry) => entry.lid === lid)?.pn || undefined;
  }

  async function receive(raw: WhatsAppWebMessage, receivedAt: number, lid: string) {
    const phoneChatId = await phoneChatIdOf(lid);
    const parsed = phoneChatId
      ? parseWhatsAppWebMessage(raw, { defaultCountry, receivedAt, phoneChatId })
      : undefined;
    if (parsed?.kind !== "message") {
      log.info({ messageId: raw.id.id }, "WhatsApp Web message ignored: sender's number is hidden");
      return;
    }
    const outcome = await road.receive(parsed.message);
    await road.deliverNow(outcome.outboxIds);
  }

  return {
    message(raw) {
      const receivedAt = now();
      const parsed = parseWhatsAppWebMessage(raw, { defaultCountry, receivedAt });
      if (parsed.kind === "ignored") {
        // Acknowledged by doing nothing: whatsapp-web.js never redelivers an event.
        log.info({ messageId: raw.id.id, reason: parsed.reason }, "WhatsApp Web message ignored");
        return;
      }
      const work =
        parsed.kind === "hidden number"
          ? receive(raw, receivedAt, parsed.lid)
          : road.receive(parsed.message).then((outcome) => road.deliverNow(outcome.outboxIds));
      track(work, "message");
    },
    ack(raw, ack) {
      const receipt = receiptFromAck(raw, ack);
      if (!receipt) return;
      track(
        road.recordReceipt(receipt).then((moved) => {
          if (!moved) log.debug({ messageId: raw.id.id, ack }, "WhatsApp Web ack matched no row");
        }),
        "ack",
      );
    },
    async settled() {
      while (inFlight.size > 0) await Promise.all(inFlight);
    },
  };
}
