// Fans committed staff events out to the open /v1/events streams of this process. A commit that
// records an event calls notify(); one query then serves every listener, each filtered in memory
// by its scope. A listener resumes from the table first, so nothing between is lost.
import type { Database } from "../../db";
import {
  allEventsAfter,
  type EventScope,
  eventsAfter,
  lastEventId,
  maySee,
  type StaffEventRow,
} from "./staff-events";

export interface Timers {
  setInterval: (callback: () => void, ms: number) => unknown;
  clearInterval: (handle: unknown) => void;
}

export const HEARTBEAT_MS = 15_000;

export interface Listener {
  scope: EventScope;
  /** Writes one SSE frame; the hub never waits on a slow client. */
  write: (frame: string) => void;
}

interface Subscription extends Listener {
  /** The last event id this listener has been given. */
  cursor: number;
  /** Live events that arrived while the listener was catching up from the table. */
  pending: StaffEventRow[] | null;
}

export function sseFrame(event: StaffEventRow): string {
  return `id: ${event.id}\nevent: ${event.type}\ndata: ${JSON.stringify({ id: event.id, type: event.type, createdAt: new Date(event.createdAt).toISOString(), ...(event.payload as object) })}\n\n`;
}

export class StaffEventHub {
  private readonly subscriptions = new Set<Subscription>();
  private seen: number | null = null;
  private draining: Promise<void> | null = null;
  private again = false;
  private heartbeat: unknown = null;

  constructor(
    private readonly db: Database,
    private readonly timers: Timers = globalThis as unknown as Timers,
    private readonly heartbeatMs = HEARTBEAT_MS,
  ) {}

  get size() {
    return this.subscriptions.size;
  }

  /**
   * Starts a listener after `lastEventId` (its Last-Event-ID), or from now when absent: missed
   * events of its school are replayed from the table, then it receives live ones. Returns the
   * function that ends it.
   */
  async subscribe(listener: Listener, resumeAfter: number | null): Promise<() => void> {
    const now = await this.highWater();
    const subscription: Subscription = { ...listener, cursor: resumeAfter ?? now, pending: [] };
    this.subscriptions.add(subscription);
    this.startHeartbeat();
    // Catch up from the table up to the point live fan-out had reached.
    while (subscription.cursor < now) {
      const batch = await eventsAfter(this.db, listener.scope.viewer.schoolId, subscription.cursor);
      const upToNow = batch.filter((event) => event.id <= now);
      for (const event of upToNow) this.deliver(subscription, event);
      if (upToNow.length < batch.length || batch.length === 0) break;
    }
    subscription.cursor = Math.max(subscription.cursor, now);
    const pending = subscription.pending ?? [];
    subscription.pending = null;
    for (const event of pending) this.deliver(subscription, event);
    return () => {
      this.subscriptions.delete(subscription);
      if (this.subscriptions.size === 0) this.stopHeartbeat();
    };
  }

  /** A commit recorded events: fan them out (coalesced, one query for everyone). */
  notify(): Promise<void> {
    if (this.draining) {
      this.again = true;
      return this.draining;
    }
    this.draining = (async () => {
      try {
        do {
          this.again = false;
          await this.drain();
        } while (this.again);
      } finally {
        this.draining = null;
      }
    })();
    return this.draining;
  }

  private async highWater(): Promise<number> {
    if (this.seen === null) this.seen = await lastEventId(this.db);
    return this.seen;
  }

  private async drain() {
    let from = await this.highWater();
    for (;;) {
      const batch = await allEventsAfter(this.db, from);
      if (batch.length === 0) return;
      for (const event of batch) {
        for (const subscription of this.subscriptions) {
          if (subscription.pending) subscription.pending.push(event);
          else this.deliver(subscription, event);
        }
      }
      from = batch.at(-1)?.id ?? from;
      this.seen = from;
    }
  }

  private deliver(subscription: Subscription, event: StaffEventRow) {
    if (event.id <= subscription.cursor) return;
    subscription.cursor = event.id;
    if (maySee(subscription.scope, event)) subscription.write(sseFrame(event));
  }

  private startHeartbeat() {
    if (this.heartbeat !== null) return;
    this.heartbeat = this.timers.setInterval(() => {
      for (const subscription of this.subscriptions) subscription.write(": heartbeat\n\n");
      // Also picks up events committed by another process on the same database.
      void this.notify();
    }, this.heartbeatMs);
    (this.heartbeat as { unref?: () => void }).unref?.();
  }

  private stopHeartbeat() {
    if (this.heartbeat === null) return;
    this.timers.clearInterval(this.heartbeat);
    this.heartbeat = null;
  }
}
