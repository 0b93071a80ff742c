// The outbox dispatcher: claims due rows under a lease (a crashed dispatcher's rows come back when
// the lease runs out), sends each through its channel, and records the receipt or the failure.
import { eq, sql } from "drizzle-orm";
import { type Database, schema, WriteConflict } from "../../db";
import {
  type Channel,
  ChannelSendError,
  type DeliveryReceipt,
  type OutboundMessage,
  sendFailureOf,
} from "../contracts";
import type { Logger } from "../logger";
import { maskPhone } from "../logger";
import type { Metrics } from "../metrics";
import { type CancelRun, type Scheduler, timerScheduler } from "../runtime/scheduler";
import type { Secrets } from "../security";
import { fallbackTarget } from "./fallback";
import { isOptedOut, setOptedOut } from "./opt-outs";
import { type OutboxRow, outboundMessageOf } from "./outbound-message";
import { SendPacer } from "./pacer";
import { SendBudget } from "./send-budget";
import {
  addressOfStatement,
  claimStatement,
  dueIds,
  earlierDueStatement,
  lastInboundStatement,
  type Settlement,
  settleStatement,
  undeliveredRowStatement,
} from "./statements";
import { UnitOfWork } from "./unit-of-work";

const { outbox, announcementRecipients } = schema;

/** Which chat a row goes to. */
interface RowAddress {
  id: number;
  channel: string;
  address: string;
}

/** How many sends (to different addresses) one dispatcher has waiting on providers at once. */
const SENDS_IN_FLIGHT = 8;

/** How long a kick waits, so that the rows of several steps close together go in one look. */
const KICK_COALESCE_MS = 5;

/** The longest deliverNow waits for a send slot before leaving the row to the dispatcher's loop. */
const INLINE_PACING_WAIT_MS = 50;

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
  /** How the dispatcher waits for a send slot (tests pass a fake). */
  sleep?: (ms: number) => Promise<void>;
  /** When the next look runs: Node's timers, or a Durable Object's alarm. */
  scheduler?: Scheduler;
  /**
   * The provider requests one run (an alarm's look, one inline send) may make, failed ones too;
   * unset, no limit. The rest stay due and the next run follows at once.
   */
  sendsPerRun?: number;
}

export class OutboxDispatcher {
  private readonly now: () => number;
  private readonly owner: string;
  private readonly leaseMs: number;
  private readonly pollMs: number;
  private readonly batchSize: number;
  private readonly maxAttempts: number;
  private cancelTimer: CancelRun | undefined;
  private readonly scheduler: Scheduler;
  private running: Promise<void> | undefined;
  private wanted = false;
  private stopped = true;
  /** When the pending timer fires (performance.now() time); infinity when none is pending. */
  private timerAt = Number.POSITIVE_INFINITY;
  private readonly pacer: SendPacer;
  private readonly sleep: (ms: number) => Promise<void>;
  /** Inline sends (deliverNow) in flight. */
  private inlineSends = 0;
  /** Whether an inline send left a row behind one in flight since none were in flight. */
  private leftBehindInline = false;
  /** deliverSoon's sends, which nobody else awaits: stop() waits for them. */
  private readonly delivering = new Set<Promise<void>>();

  constructor(private readonly options: DispatcherOptions) {
    this.now = options.now ?? Date.now;
    this.owner =
      options.owner ?? `dispatcher-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
    this.leaseMs = options.leaseMs ?? 30_000;
    this.pollMs = options.pollMs ?? 250;
    this.batchSize = options.batchSize ?? 50;
    this.maxAttempts = options.maxAttempts ?? 5;
    this.pacer = new SendPacer(this.now);
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.scheduler = options.scheduler ?? timerScheduler;
  }

  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  /** Stops polling and waits for the batch in hand, and the sends deliverSoon started, to finish. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.cancelTimer?.();
    this.timerAt = Number.POSITIVE_INFINITY;
    await this.running;
    await this.settled();
  }

  /** Resolves once every send deliverSoon has started so far has finished. */
  async settled(): Promise<void> {
    await Promise.all(this.delivering);
  }

  /**
   * New rows were queued: look within a few ms rather than at the next poll. Kicks that come while
   * a look is already that close share it, so a busy webhook does not run one query per message.
   */
  kick(): void {
    if (this.stopped || this.timerAt <= performance.now() + KICK_COALESCE_MS) return;
    this.schedule(KICK_COALESCE_MS);
  }

  /**
   * A row was put back until `retryAt` (the pace, a 429, a retry): look then rather than at the
   * poll, which on a Durable Object is seconds away, so the rows behind it in its chat do not wait.
   */
  private lookAt(retryAt: number): void {
    const delay = Math.max(0, Math.ceil(retryAt - this.now()));
    if (this.stopped || this.timerAt <= performance.now() + delay) return;
    this.schedule(delay);
  }

  private schedule(delay: number) {
    this.cancelTimer?.();
    this.timerAt = performance.now() + delay;
    this.cancelTimer = this.scheduler.after(delay, () => {
      this.timerAt = Number.POSITIVE_INFINITY;
      return this.tick();
    });
  }

  private async tick(): Promise<void> {
    if (this.running) {
      this.wanted = true;
      return;
    }
    // One budget for the whole run, the looks a kick asks for during it included: they are made
    // in the same invocation.
    const budget = new SendBudget(this.options.sendsPerRun);
    this.running = (async () => {
      try {
        do {
          this.wanted = false;
          await this.dispatchBatches(budget);
        } while (this.wanted && !this.stopped && !budget.spent);
      } catch (error) {
        this.options.log.error({ err: error }, "outbox dispatch failed");
      }
    })();
    await this.running;
    this.running = undefined;
    // A spent budget with rows still due: the next run (a new invocation) follows at once.
    const next = budget.spent && this.anyDue() ? 0 : this.pollMs;
    // A kick during the run has already set a sooner look: the poll must not push it back.
    if (!this.stopped && this.timerAt > performance.now() + next) this.schedule(next);
  }

  /** Batch after batch until one comes back short or the budget is spent. */
  private async dispatchBatches(budget: SendBudget) {
    for (;;) {
      const limit = Math.min(this.batchSize, budget.left);
      if (limit <= 0 || (await this.dispatchDue(budget)) < limit) return;
      if (this.stopped || budget.spent) return;
    }
  }

  private anyDue(): boolean {
    return dueIds(this.options.db, { now: this.now(), limit: 1 }).length > 0;
  }

  /**
   * Claims and sends one batch of due rows; returns how many it claimed. No more rows are claimed
   * than the budget has requests left, so a row is not claimed (an attempt counted) only to wait.
   */
  async dispatchDue(budget = new SendBudget()): Promise<number> {
    const now = this.now();
    const limit = Math.min(this.batchSize, budget.left);
    if (limit <= 0) return 0;
    const due = dueIds(this.options.db, { now, limit });
    if (due.length === 0) return 0;
    // Claimed only if still due: another dispatcher may have taken some meanwhile.
    const claimed = this.claim(due, now);
    await this.sendAll(claimed, budget);
    return claimed.length;
  }

  /**
   * Sends the given rows now if they are still due (the inline path: a webhook or the simulator
   * answering in its own response). Rows another dispatcher holds are left to it.
   */
  async deliverNow(ids: number[]): Promise<void> {
    // A webhook waits for this: a send that would wait long for its slot (a busy channel) is left
    // to the dispatcher's loop rather than holding the provider's request open. That is checked
    // before claiming: over a channel's limit, a claim and its release were two commits for nothing.
    // An inline send is an invocation of its own (the webhook's request) with the same cap.
    const budget = new SendBudget(this.options.sendsPerRun);
    const ready = this.withSlotNow(this.withEarlierDue(ids)).slice(0, budget.left);
    const claimed = ready.length > 0 ? this.claim(ready, this.now()) : [];
    // A row left behind (no slot, or an earlier one still in flight) goes from the loop: look soon,
    // and again once these sends are over (the earlier one in flight may be one of another inline
    // send's, which the loop's look cannot wait for).
    const claimedIds = new Set(claimed.map((row) => row.id));
    if (ids.some((id) => !claimedIds.has(id))) {
      this.leftBehindInline = true;
      this.kick();
    }
    this.inlineSends += 1;
    try {
      await this.sendAll(claimed, budget, INLINE_PACING_WAIT_MS);
    } finally {
      this.inlineSends -= 1;
      if (this.leftBehindInline) this.kick();
      if (this.inlineSends === 0) this.leftBehindInline = false;
    }
  }

  /**
   * deliverNow without holding the caller: a webhook acknowledges its provider at once instead of
   * waiting for our send through the provider's API (its latency included a round trip to it).
   */
  deliverSoon(ids: number[]): void {
    if (ids.length === 0) return;
    const delivery = this.deliverNow(ids).catch((error: unknown) => {
      // The rows are still in the outbox: the dispatcher's loop sends them.
      this.options.log.error({ err: error }, "outbox delivery failed");
    });
    this.delivering.add(delivery);
    void delivery.finally(() => this.delivering.delete(delivery));
  }

  /**
   * The rows of `ids` with, ahead of them, the rows to the same addresses queued earlier and due
   * now (a reply put back by the pace, a notice the loop has not reached): one address's messages
   * leave in order, and the inline send need not wait for the loop to send those first.
   */
  private withEarlierDue(ids: number[]): RowAddress[] {
    const addressOf = addressOfStatement(this.options.db);
    const earlierDue = earlierDueStatement(this.options.db);
    const rows = ids.flatMap((id) => addressOf.get({ id }) ?? []);
    const first = new Map<string, RowAddress>();
    for (const row of rows) {
      const key = `${row.channel} ${row.address}`;
      if ((first.get(key)?.id ?? Number.POSITIVE_INFINITY) > row.id) first.set(key, row);
    }
    const now = this.now();
    const ahead = [...first.values()].flatMap((row) =>
      earlierDue.all({ channel: row.channel, address: row.address, before: row.id, now }),
    );
    return [...ahead, ...rows];
  }

  /** Those of `rows` whose channel and address have a send slot within the inline wait. */
  private withSlotNow(rows: RowAddress[]): number[] {
    return rows
      .filter((row) => {
        const channel = this.options.channels.get(row.channel);
        // A row for a channel that is off is claimed all the same, and parked dead by send().
        return !channel || this.pacer.hasSlotWithin(channel, row.address, INLINE_PACING_WAIT_MS);
      })
      .map((row) => row.id);
  }

  /** Claims those of `ids` still due under this lease. */
  private claim(ids: number[], now: number): OutboxRow[] {
    return claimStatement(this.options.db).all({
      ids: JSON.stringify(ids),
      now,
      owner: this.owner,
      leaseUntil: now + this.leaseMs,
    });
  }

  /**
   * Sends a batch as lanes, one per address, several lanes at a time: a provider answers each
   * request in tens to hundreds of milliseconds, and one request at a time would cap a channel far
   * below its send limit. Within a lane rows go in id order, so messages to one address leave in the
   * order they were queued; once one is put back for later, the rest of its lane waits behind it.
   */
  private async sendAll(rows: OutboxRow[], budget: SendBudget, maxPacingWaitMs?: number) {
    const lanes = new Map<string, OutboxRow[]>();
    for (const row of rows.sort((a, b) => a.id - b.id)) {
      const address = `${row.channel} ${row.address}`;
      const lane = lanes.get(address);
      if (lane) lane.push(row);
      else lanes.set(address, [row]);
    }
    const waiting = [...lanes.values()];
    const worker = async () => {
      for (let lane = waiting.shift(); lane; lane = waiting.shift()) {
        await this.sendLane(lane, budget, maxPacingWaitMs);
      }
    };
    await Promise.all(
      Array.from({ length: Math.min(SENDS_IN_FLIGHT, waiting.length) }, () => worker()),
    );
  }

  /** One address's rows in order; the first put back for later holds the rest back with it. */
  private async sendLane(lane: OutboxRow[], budget: SendBudget, maxPacingWaitMs?: number) {
    for (const [index, row] of lane.entries()) {
      const retryAt = await this.send(row, budget, maxPacingWaitMs);
      if (retryAt === undefined) continue;
      this.lookAt(retryAt);
      for (const behind of lane.slice(index + 1)) await this.release(behind, retryAt);
      return;
    }
  }

  /** Sends one claimed row; returns when it will be tried again if it was put back for later. */
  private async send(
    row: OutboxRow,
    budget: SendBudget,
    maxPacingWaitMs?: number,
  ): Promise<number | undefined> {
    const channel = this.options.channels.get(row.channel);
    if (!channel) {
      await this.settle(row, {
        status: "dead",
        lastError: `channel ${row.channel} is not enabled`,
      });
      return;
    }
    if (await this.suppressed(row)) return;
    let message: OutboundMessage;
    try {
      message = await this.outboundFor(row, channel);
    } catch (error) {
      return this.failed(row, channel, error);
    }
    // Counted before the send, so a failed one counts too: it made its requests all the same.
    const requests = channel.requestsFor?.(message) ?? 1;
    if (!budget.take(requests)) {
      const now = this.now();
      await this.release(row, now);
      return now;
    }
    const cost = channel.sendCost?.(message) ?? 1;
    const slot = this.pacer.take(channel, row.address, cost, maxPacingWaitMs);
    if (!slot.go) {
      budget.giveBack(requests);
      await this.release(row, slot.retryAt);
      return slot.retryAt;
    }
    if (slot.waitMs > 0) await this.sleep(slot.waitMs);
    try {
      const receipt = await channel.send(message);
      await this.settle(row, {
        status: "sent",
        providerMessageId: receipt.providerMessageId,
        sentAt: this.now(),
      });
    } catch (error) {
      return this.failed(row, channel, error);
    }
  }

  /** The row as a channel is given it: placeholders filled, and the service window where it matters. */
  private async outboundFor(row: OutboxRow, channel: Channel): Promise<OutboundMessage> {
    const lastInboundAt = channel.capabilities.customerServiceWindowMs
      ? await this.lastInboundAt(row)
      : undefined;
    return outboundMessageOf(row, this.options.secrets, lastInboundAt);
  }

  private async lastInboundAt(row: OutboxRow): Promise<number | undefined> {
    const found = await lastInboundStatement(this.options.db).get(row);
    return found?.at ?? undefined;
  }

  /** An opted-out address receives nothing but the opt-out confirmation; the row is parked. */
  private async suppressed(row: OutboxRow): Promise<boolean> {
    if (row.kind === "opt_out") return false;
    if (!(await isOptedOut(this.options.db, row))) return false;
    await this.settle(row, { status: "dead", lastError: "recipient opted out" });
    return true;
  }

  /**
   * Puts a claimed row back, unsent and not counted as an attempt, until `retryAt`. The metric
   * counts no send either: a row the pace or a run's budget holds back asked no provider, and a
   * large announcement puts hundreds back, which must not read as a storm of retries.
   */
  private async release(row: OutboxRow, retryAt: number, why?: string) {
    this.settleQuery(row, {
      status: "pending",
      attempts: row.attempts - 1,
      nextAttemptAt: Math.ceil(retryAt),
      putBack: true,
      ...(why ? { lastError: why } : {}),
    }).run();
  }

  /** Records a failed send by its kind; returns the retry time when the row will be tried again. */
  private async failed(
    row: OutboxRow,
    channel: Channel,
    error: unknown,
  ): Promise<number | undefined> {
    const reason = error instanceof Error ? error.message : String(error);
    const failure = sendFailureOf(error);
    const details = error instanceof ChannelSendError ? error.details : {};
    this.options.log.warn(
      {
        outboxId: row.id,
        channel: row.channel,
        address: maskPhone(row.address),
        attempts: row.attempts,
        failure,
        providerCode: details.providerCode,
      },
      "outbox send failed",
    );
    switch (failure) {
      case "rate_limited": {
        const until = this.now() + (details.retryAfterMs ?? 1_000);
        this.pacer.pause(channel.name, until);
        // The provider was asked and refused: a send attempt, though not counted against the row.
        this.count(row, "retry");
        await this.release(row, until, reason);
        return until;
      }
      case "blocked":
        await setOptedOut(this.options.db, row, true, this.now());
        await this.settle(row, { status: "dead", lastError: reason });
        return;
      case "outside_window":
        await this.fallBack(row, reason);
        return;
      case "rejected":
        await this.fallBack(row, reason);
        return;
      case "transient": {
        const exhausted = row.attempts >= this.maxAttempts;
        // Exponential backoff with full jitter: 1 s, 2 s, 4 s … capped at 5 minutes.
        const backoff = Math.round(
          Math.random() * Math.min(300_000, 1000 * 2 ** (row.attempts - 1)),
        );
        if (exhausted) {
          await this.settle(row, { status: "dead", lastError: reason });
          return;
        }
        const retryAt = this.now() + backoff;
        await this.settle(row, { status: "pending", lastError: reason, nextAttemptAt: retryAt });
        return retryAt;
      }
    }
  }

  /**
   * A receipt said a sent message never arrived (Meta's "failed", Twilio's "undelivered"): the
   * message goes to the next address as a refused send would. Called once per row, when the
   * receipt moved it (a replayed receipt moves nothing).
   */
  async fallBackAfterReceipt(receipt: DeliveryReceipt): Promise<void> {
    const row = await undeliveredRowStatement(this.options.db).get({
      channel: receipt.channel,
      providerMessageId: receipt.providerMessageId,
      outboxId: receipt.outboxId ?? null,
    });
    if (!row) return;
    const target = await fallbackTarget(this.options.db, row, this.options.channels);
    if (!target) return;
    const uow = new UnitOfWork();
    this.planCopy(uow, row, target);
    uow.plan(
      this.options.db
        .update(outbox)
        .set({
          lastError: `${row.lastError ?? "not delivered"}; sent by ${target.channel} instead`,
        })
        .where(eq(outbox.id, row.id)),
    );
    await uow.commit(this.options.db);
    this.count(row, "fallback");
    this.kick();
  }

  /** Plans the same message to `target` as a new row; an announcement's recipient follows it. */
  private planCopy(uow: UnitOfWork, row: OutboxRow, target: { channel: string; address: string }) {
    const now = this.now();
    const { id: _id, status: _s, attempts: _a, leaseOwner: _o, leaseExpiresAt: _e, ...copy } = row;
    uow.planInsert(
      this.options.db.insert(outbox).values({
        ...copy,
        ...target,
        status: "pending",
        attempts: 0,
        nextAttemptAt: now,
        putBack: false,
        providerMessageId: null,
        lastError: null,
        sentAt: null,
        createdAt: now,
        updatedAt: now,
      }),
      (id) => uow.outboxIds.push(id),
    );
    if (row.announcementId !== null) {
      // Runs right after the insert, in the same transaction: last_insert_rowid() is the new row.
      uow.plan(
        this.options.db
          .update(announcementRecipients)
          .set({ outboxId: sql`last_insert_rowid()`, channel: target.channel })
          .where(eq(announcementRecipients.outboxId, row.id)),
      );
    }
  }

  /**
   * The channel cannot carry this message for good (outside WhatsApp's 24-hour window, an address
   * the provider refuses): queue the same message to the next address (see fallbackTarget), in one
   * write with marking this row failed; an announcement's recipient then follows the new row.
   */
  private async fallBack(row: OutboxRow, reason: string) {
    const target = await fallbackTarget(this.options.db, row, this.options.channels);
    if (!target) {
      await this.settle(row, { status: "dead", lastError: `${reason}; no other channel to try` });
      return;
    }
    const uow = new UnitOfWork();
    this.planCopy(uow, row, target);
    uow.plan(
      this.settleQuery(row, {
        status: "failed",
        lastError: `${reason}; sent by ${target.channel} instead`,
      }),
      { guard: "outbox-lease" },
    );
    try {
      await uow.commit(this.options.db);
    } catch (error) {
      if (error instanceof WriteConflict) return; // the lease ran out and another took the row
      throw error;
    }
    this.count(row, "fallback");
    this.kick();
  }

  /** Records how a send ended, if this dispatcher still holds the row's lease. */
  private async settle(row: OutboxRow, change: Settlement) {
    this.count(row, change.status === "pending" ? "retry" : change.status);
    this.settleQuery(row, change).run();
  }

  private count(row: OutboxRow, result: string) {
    this.options.metrics?.outboxSends.inc({ channel: row.channel, result });
  }

  private settleQuery(row: OutboxRow, change: Settlement) {
    const { putBack, ...columns } = change;
    const values = {
      attempts: null,
      nextAttemptAt: null,
      providerMessageId: null,
      lastError: null,
      sentAt: null,
      ...columns,
      // Bound as SQLite's integer: neither driver binds a boolean.
      putBack: putBack === undefined ? null : Number(putBack),
      id: row.id,
      owner: this.owner,
      now: this.now(),
    };
    const statement = settleStatement(this.options.db);
    return { run: () => statement.run(values) };
  }
}
