// Fans committed staff events out to the open /v1/events streams of this process. A commit that
// records an event calls notify(); one query then serves every listener. Listeners are grouped by
// scope (everyone with the same view shares one visibility check) and each event is serialised and
// encoded once, so the per-stream work is a cursor check and a synchronous enqueue. A listener
// resumes from the table first, so nothing between is lost. A stream lasts only as long as its
// session holds: it ends when its access token expires, and is re-checked when its member changes
// and on every heartbeat.
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
  setTimeout: (callback: () => void, ms: number) => unknown;
  clearTimeout: (handle: unknown) => void;
}

export const HEARTBEAT_MS = 15_000;

export interface Listener {
  scope: EventScope;
  /** Writes one SSE frame (already encoded); the hub never waits on a slow client. */
  write: (frame: Uint8Array) => void;
  /** The signed-in session the stream belongs to; without one the stream lasts until cancelled. */
  session?: ListenerSession;
}

export interface ListenerSession {
  staffId: number;
  /** Streams with the same key share one check. */
  key: string;
  /** When the access token it was opened with expires, from now: the stream ends then. */
  expiresInMs: number;
  /** Whether the stream may go on: the session is live and the member's view is as it was. */
  stillValid: () => Promise<boolean>;
  /** Ends the stream (the client sees it close). */
  end: () => void;
}

interface Subscription extends Listener {
  /** The last event id this listener has been given. */
  cursor: number;
  /** Live events that arrived while the listener was catching up from the table. */
  pending: StaffEventRow[] | null;
}

/** Listeners with the same view: one maySee() per event serves all of them. */
interface ScopeGroup {
  scope: EventScope;
  subscriptions: Set<Subscription>;
}

export function sseFrame(event: StaffEventRow): string {
  return `id: ${event.id}\nevent: ${event.type}\ndata: ${JSON.stringify({ id: event.id, type: event.type, createdAt: new Date(event.createdAt).toISOString(), ...(event.payload as object) })}\n\n`;
}

const encoder = new TextEncoder();
const HEARTBEAT_FRAME = encoder.encode(": heartbeat\n\n");

/**
 * The key of a listener's view: everything maySee() reads. An admin sees the whole school whoever
 * they are; anyone else's view also depends on who they are and what they teach or handle, as it
 * was loaded when their stream opened.
 */
export function scopeKey(scope: EventScope): string {
  const { viewer } = scope;
  if (viewer.role === "admin") return `admin:${viewer.schoolId}`;
  const classes = [...scope.classIds].sort((a, b) => a - b).join(",");
  const categories = [...scope.categories].sort().join(",");
  return `${viewer.role}:${viewer.schoolId}:${viewer.staffId}:${classes}:${categories}`;
}

/** An event's frame, serialised and encoded on first use and then shared by every stream. */
class EncodedEvent {
  private bytes: Uint8Array | null = null;
  constructor(readonly row: StaffEventRow) {}
  get frame(): Uint8Array {
    this.bytes ??= encoder.encode(sseFrame(this.row));
    return this.bytes;
  }
}

export class StaffEventHub {
  private readonly groups = new Map<string, ScopeGroup>();
  private count = 0;
  private seen: number | null = null;
  private draining: Promise<void> | null = null;
  private again = false;
  private heartbeat: unknown = null;
  private rechecking: Promise<void> | null = null;

  constructor(
    private readonly db: Database,
    private readonly timers: Timers = globalThis as unknown as Timers,
    private readonly heartbeatMs = HEARTBEAT_MS,
  ) {}

  get size() {
    return this.count;
  }

  /**
   * Starts a listener after `lastEventId` (its Last-Event-ID), or from now when absent: missed
   * events of its school are replayed from the table, then it receives live ones. Returns the
   * function that ends it.
   */
  async subscribe(listener: Listener, resumeAfter: number | null): Promise<() => void> {
    const now = await this.highWater();
    const subscription: Subscription = { ...listener, cursor: resumeAfter ?? now, pending: [] };
    const key = scopeKey(listener.scope);
    let group = this.groups.get(key);
    if (!group) {
      group = { scope: listener.scope, subscriptions: new Set() };
      this.groups.set(key, group);
    }
    group.subscriptions.add(subscription);
    this.count++;
    this.startHeartbeat();
    // Catch up from the table up to the point live fan-out had reached.
    while (subscription.cursor < now) {
      const batch = await eventsAfter(this.db, listener.scope.viewer.schoolId, subscription.cursor);
      const upToNow = batch.filter((event) => event.id <= now);
      for (const event of upToNow) this.deliverOne(subscription, new EncodedEvent(event));
      if (upToNow.length < batch.length || batch.length === 0) break;
    }
    subscription.cursor = Math.max(subscription.cursor, now);
    const pending = subscription.pending ?? [];
    subscription.pending = null;
    for (const event of pending) this.deliverOne(subscription, new EncodedEvent(event));
    const joined = group;
    const session = listener.session;
    const expiry = session
      ? this.timers.setTimeout(() => session.end(), session.expiresInMs)
      : null;
    (expiry as { unref?: () => void } | null)?.unref?.();
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      if (expiry !== null) this.timers.clearTimeout(expiry);
      joined.subscriptions.delete(subscription);
      if (joined.subscriptions.size === 0 && this.groups.get(key) === joined)
        this.groups.delete(key);
      this.count--;
      if (this.count === 0) this.stopHeartbeat();
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

  /**
   * Ends the streams whose session no longer holds (signed out, revoked, expired, the member
   * deactivated or their view changed): one member's when told they changed, else every stream.
   */
  async recheck(staffId?: number): Promise<void> {
    const subscriptions = [...this.groups.values()].flatMap((group) =>
      [...group.subscriptions].filter(
        (subscription) =>
          subscription.session &&
          (staffId === undefined || subscription.session.staffId === staffId),
      ),
    );
    const checks = new Map<string, Promise<boolean>>();
    for (const subscription of subscriptions) {
      const session = subscription.session as ListenerSession;
      let check = checks.get(session.key);
      if (!check) {
        // A failing check (the database closing at shutdown) leaves the stream to its own end.
        check = session.stillValid().catch(() => true);
        checks.set(session.key, check);
      }
      if (!(await check)) session.end();
    }
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
      for (const row of batch) this.fanOut(new EncodedEvent(row));
      from = batch.at(-1)?.id ?? from;
      this.seen = from;
    }
  }

  /** One visibility check per group, then a synchronous write per stream that may see it. */
  private fanOut(event: EncodedEvent) {
    for (const group of this.groups.values()) {
      const visible = maySee(group.scope, event.row);
      for (const subscription of group.subscriptions) {
        if (subscription.pending) subscription.pending.push(event.row);
        else if (event.row.id > subscription.cursor) {
          subscription.cursor = event.row.id;
          if (visible) subscription.write(event.frame);
        }
      }
    }
  }

  private deliverOne(subscription: Subscription, event: EncodedEvent) {
    if (event.row.id <= subscription.cursor) return;
    subscription.cursor = event.row.id;
    if (maySee(subscription.scope, event.row)) subscription.write(event.frame);
  }

  private startHeartbeat() {
    if (this.heartbeat !== null) return;
    this.heartbeat = this.timers.setInterval(() => {
      for (const group of this.groups.values())
        for (const subscription of group.subscriptions) subscription.write(HEARTBEAT_FRAME);
      // Also picks up events, and session or directory changes, made by another process on the
      // same database.
      void this.notify();
      if (!this.rechecking) {
        this.rechecking = this.recheck().finally(() => {
          this.rechecking = null;
        });
      }
    }, this.heartbeatMs);
    (this.heartbeat as { unref?: () => void }).unref?.();
  }

  private stopHeartbeat() {
    if (this.heartbeat === null) return;
    this.timers.clearInterval(this.heartbeat);
    this.heartbeat = null;
  }
}
