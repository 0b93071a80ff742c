// The outbox dispatcher: claims due rows under a lease (a crashed dispatcher's rows come back when
// the lease runs out), sends each through its channel, and records the receipt or the failure.
import { and, asc, eq, inArray, lte, or, sql } from "drizzle-orm";
import { type Database, schema } from "../../db";
import type { Channel } from "../contracts";
import type { Logger } from "../logger";
import { maskPhone } from "../logger";
import type { Metrics } from "../metrics";
import type { Secrets } from "../security";
import { fillPlaceholders } from "./enqueue";

const { outbox } = schema;

export interface DispatcherOptions {
  db: Database;
  channels: ReadonlyMap<string, Channel>;
  secrets: Secrets;
  log: Logger;
  now?: () => number;
  /** Identifies this dispatcher's leases. */
  owner?: string;
  leaseMs?: number;
  pollMs?: number;
  batchSize?: number;
  /** Attempts before a message is parked as dead. */
  maxAttempts?: number;
  metrics?: Pick<Metrics, "outboxSends">;
}

type OutboxRow = typeof outbox.$inferSelect;

export class OutboxDispatcher {
  private readonly now: () => number;
  private readonly owner: string;
  private readonly leaseMs: number;
  private readonly pollMs: number;
  private readonly batchSize: number;
  private readonly maxAttempts: number;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private wanted = false;
  private stopped = true;

  constructor(private readonly options: DispatcherOptions) {
    this.now = options.now ?? Date.now;
    this.owner =
      options.owner ?? `dispatcher-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
    this.leaseMs = options.leaseMs ?? 30_000;
    this.pollMs = options.pollMs ?? 250;
    this.batchSize = options.batchSize ?? 50;
    this.maxAttempts = options.maxAttempts ?? 5;
  }

  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  /** Stops polling and waits for the batch in hand to finish. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  /** New rows were queued: look now rather than at the next poll. */
  kick(): void {
    if (!this.stopped) this.schedule(0);
  }

  private schedule(delay: number) {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.tick(), delay);
  }

  private async tick(): Promise<void> {
    if (this.running) {
      this.wanted = true;
      return;
    }
    this.running = (async () => {
      try {
        do {
          this.wanted = false;
          while ((await this.dispatchDue()) === this.batchSize && !this.stopped) {}
        } while (this.wanted && !this.stopped);
      } catch (error) {
        this.options.log.error({ err: error }, "outbox dispatch failed");
      }
    })();
    await this.running;
    this.running = undefined;
    if (!this.stopped) this.schedule(this.pollMs);
  }

  /** Claims and sends one batch of due rows; returns how many it claimed. */
  async dispatchDue(): Promise<number> {
    const now = this.now();
    const due = this.options.db
      .select({ id: outbox.id })
      .from(outbox)
      .where(
        or(
          and(eq(outbox.status, "pending"), lte(outbox.nextAttemptAt, now)),
          and(eq(outbox.status, "sending"), lte(outbox.leaseExpiresAt, now)),
        ),
      )
      .orderBy(asc(outbox.id))
      .limit(this.batchSize);
    const claimed = await this.claim(inArray(outbox.id, due), now);
    await this.sendAll(claimed);
    return claimed.length;
  }

  /**
   * Sends the given rows now if they are still due (the inline path: a webhook or the simulator
   * answering in its own response). Rows another dispatcher holds are left to it.
   */
  async deliverNow(ids: number[]): Promise<void> {
    if (ids.length === 0) return;
    const now = this.now();
    const due = and(
      inArray(outbox.id, ids),
      eq(outbox.status, "pending"),
      lte(outbox.nextAttemptAt, now),
    );
    const claimed = await this.claim(due, now);
    await this.sendAll(claimed);
  }

  private claim(which: ReturnType<typeof and>, now: number): Promise<OutboxRow[]> {
    return this.options.db
      .update(outbox)
      .set({
        status: "sending",
        leaseOwner: this.owner,
        leaseExpiresAt: now + this.leaseMs,
        attempts: sql`${outbox.attempts} + 1`,
        updatedAt: now,
      })
      .where(which)
      .returning();
  }

  /** In id order, so messages to one address leave in the order they were queued. */
  private async sendAll(rows: OutboxRow[]) {
    for (const row of rows.sort((a, b) => a.id - b.id)) await this.send(row);
  }

  private async send(row: OutboxRow): Promise<void> {
    const channel = this.options.channels.get(row.channel);
    if (!channel) {
      await this.settle(row, {
        status: "dead",
        lastError: `channel ${row.channel} is not enabled`,
      });
      return;
    }
    try {
      const values = row.sealed
        ? (JSON.parse(this.options.secrets.unseal(row.sealed)) as Record<string, string>)
        : {};
      const receipt = await channel.send({
        outboxId: row.id,
        channel: row.channel as Channel["name"],
        address: row.address,
        kind: row.kind,
        text: fillPlaceholders(row.body, values),
        ...(row.options ? { options: row.options } : {}),
      });
      await this.settle(row, {
        status: "sent",
        providerMessageId: receipt.providerMessageId,
        sentAt: this.now(),
      });
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      const exhausted = row.attempts >= this.maxAttempts;
      // Exponential backoff with full jitter: 1 s, 2 s, 4 s … capped at 5 minutes.
      const backoff = Math.round(Math.random() * Math.min(300_000, 1000 * 2 ** (row.attempts - 1)));
      await this.settle(
        row,
        exhausted
          ? { status: "dead", lastError: reason }
          : { status: "pending", lastError: reason, nextAttemptAt: this.now() + backoff },
      );
      this.options.log.warn(
        {
          outboxId: row.id,
          channel: row.channel,
          address: maskPhone(row.address),
          attempts: row.attempts,
          exhausted,
        },
        "outbox send failed",
      );
    }
  }

  /** Records how a send ended, if this dispatcher still holds the row's lease. */
  private async settle(row: OutboxRow, change: Partial<typeof outbox.$inferInsert>) {
    const result = change.status === "pending" ? "retry" : (change.status ?? "unknown");
    this.options.metrics?.outboxSends.inc({ channel: row.channel, result });
    const mine = and(
      eq(outbox.id, row.id),
      eq(outbox.leaseOwner, this.owner),
      eq(outbox.status, "sending"),
    );
    const finished = change.status === "sent" || change.status === "dead";
    await this.options.db
      .update(outbox)
      .set({
        ...change,
        leaseOwner: null,
        leaseExpiresAt: null,
        updatedAt: this.now(),
        // A one-time code is erased once it has gone (or can no longer go).
        ...(finished ? { sealed: null } : {}),
      })
      .where(mine);
  }
}
