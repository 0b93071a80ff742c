// The simulator's HTTP face: the chat page, a send endpoint that answers with the bot's replies,
// and the phone's history. Its messages take the same inbound road as every provider's.
import { randomUUID } from "node:crypto";
import { zValidator } from "@hono/zod-validator";
import { Hono } from "hono";
import { z } from "zod";
import {
  ApiError,
  type AppEnv,
  cspNonce,
  type InboundRoadHandle,
  normalizePhone,
  validationHook,
} from "../../src/contracts";
import { simulatorMessageId } from "./adapter";
import { channelView, RENDER_MODES } from "./channel-views";
import type { PhoneEntry, SimulatedPhones } from "./client";
import { simulatorPage } from "./page";
import { parseSimulatorSend, simulatorSendBody } from "./parse";

export interface SimulatorRoutesOptions {
  phones: SimulatedPhones;
  road: InboundRoadHandle;
  defaultCountry: string;
  now?: () => number;
}

const presentEntry = (entry: PhoneEntry) => ({
  direction: entry.direction,
  text: entry.text,
  ...(entry.options ? { options: entry.options } : {}),
  ...(entry.kind ? { kind: entry.kind } : {}),
  // What a reply to this message names as its replyTo (the id the channel's send returned).
  ...(entry.outboxId !== undefined ? { id: simulatorMessageId(entry.outboxId) } : {}),
  at: new Date(entry.at).toISOString(),
});

/**
 * A phone showing its messages tells the sender they arrived, as a handset's delivery receipt does:
 * each shown message's outbox row moves from sent to delivered. A row the dispatcher is still
 * writing as sent is acknowledged at the next look.
 */
async function acknowledgeShown(road: InboundRoadHandle, entries: readonly PhoneEntry[]) {
  for (const entry of entries) {
    if (entry.outboxId === undefined || entry.acknowledged) continue;
    entry.acknowledged = await road.recordReceipt({
      channel: "simulator",
      providerMessageId: `sim-out-${entry.outboxId}`,
      outboxId: entry.outboxId,
      status: "delivered",
    });
  }
}

export function simulatorRoutes({
  phones,
  road,
  defaultCountry,
  now = Date.now,
}: SimulatorRoutesOptions) {
  return new Hono<AppEnv>()
    .get("/", (c) => c.html(simulatorPage(cspNonce(c))))
    .post("/send", zValidator("json", simulatorSendBody, validationHook), async (c) => {
      const parsed = parseSimulatorSend(c.req.valid("json"), {
        defaultCountry,
        now: now(),
        newId: randomUUID,
      });
      if (!parsed.ok) {
        throw new ApiError(422, "validation_failed", `address ${parsed.reason}`, [
          { path: parsed.field, message: parsed.reason },
        ]);
      }
      const { message } = parsed;
      const mode = c.req.valid("json").render;
      const outcome = await road.receive(message);
      if (outcome.accepted)
        phones.record(message.address, {
          direction: "in",
          text: message.text,
          at: message.receivedAt,
        });
      await road.deliverNow(outcome.outboxIds);
      const replies = phones.delivered(message.address, outcome.outboxIds).map((entry) => {
        const reply = {
          ...(entry.outboxId !== undefined ? { id: simulatorMessageId(entry.outboxId) } : {}),
          text: entry.text,
          ...(entry.options ? { options: entry.options } : {}),
          kind: entry.kind ?? "reply",
        };
        const shown = channelView(mode, {
          ...reply,
          ...(entry.quoted ? { quoted: entry.quoted } : {}),
        });
        return shown ? { ...reply, shown } : reply;
      });
      return c.json({ replies, duplicate: !outcome.accepted });
    })
    .get(
      "/history",
      zValidator(
        "query",
        z.object({ address: z.string().min(1), render: z.enum(RENDER_MODES).optional() }),
        validationHook,
      ),
      async (c) => {
        const query = c.req.valid("query");
        const address = normalizePhone(query.address, defaultCountry);
        if (!address) throw new ApiError(422, "validation_failed", "address is not a phone number");
        const history = phones.history(address);
        await acknowledgeShown(road, history);
        const messages = history.map((entry) => {
          const shown = presentEntry(entry);
          const view =
            entry.direction === "out"
              ? channelView(query.render, {
                  ...shown,
                  ...(entry.quoted ? { quoted: entry.quoted } : {}),
                  kind: entry.kind ?? "reply",
                })
              : null;
          return view ? { ...shown, shown: view } : shown;
        });
        return c.json({ address, messages });
      },
    );
}
