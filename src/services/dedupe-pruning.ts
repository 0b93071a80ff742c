// Forgets inbound dedupe keys once their provider can no longer redeliver the message: each
// channel keeps its keys a margin past its provider's redelivery window, and no longer.
import { sql } from "drizzle-orm";
import { type Database, writeResultOf } from "../../db";
import type { ChannelName } from "../contracts";

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * How long each channel's keys are kept: at least twice the longest time its provider may send
 * the same message again. Telegram keeps undelivered updates for 24 hours and, after a week with
 * no updates, numbers the next one at random, so its keys go before an old id could come back as
 * a new message (https://core.telegram.org/bots/api#getting-updates). Meta retries a webhook for
 * up to 7 days (https://developers.facebook.com/docs/graph-api/webhooks/getting-started); Twilio
 * and whatsapp-web.js ids never repeat, so the longest window serves them too.
 */
export const DEDUPE_RETENTION_MS = {
  telegram: 3 * DAY_MS,
  "whatsapp-cloud": 14 * DAY_MS,
  sms: 14 * DAY_MS,
  "twilio-whatsapp": 14 * DAY_MS,
  "whatsapp-web": 14 * DAY_MS,
  simulator: 14 * DAY_MS,
} as const satisfies Record<ChannelName, number>;

/** Rows deleted per statement, so a first prune of a long history never holds the write lock long. */
const PRUNE_BATCH = 5_000;

/** Deletes the dedupe keys past their channel's retention; returns how many went. */
export async function pruneInboundDedupe(
  db: Database,
  now: number,
  retention: Record<string, number> = DEDUPE_RETENTION_MS,
): Promise<number> {
  let pruned = 0;
  for (const [channel, keepMs] of Object.entries(retention)) {
    const before = now - keepMs;
    for (;;) {
      // Each batch walks inbound_messages_channel_time from the oldest key of the channel.
      const ran = db.run(sql`delete from inbound_messages where rowid in (
        select rowid from inbound_messages
        where channel = ${channel} and received_at < ${before}
        limit ${PRUNE_BATCH})`);
      const { changes } = writeResultOf(db.$client, ran);
      pruned += changes;
      if (changes < PRUNE_BATCH) break;
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
  return pruned;
}
