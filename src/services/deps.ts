// What the services need from the outside world, injected so tests control the clock and secrets.
import type { Database } from "../../db";
import type { Config } from "../config";
import type { Logger } from "../logger";
import type { Metrics } from "../metrics";
import type { Scheduler } from "../runtime/scheduler";
import type { Secrets } from "../security";

export interface ServiceDeps {
  db: Database;
  secrets: Secrets;
  config: Config;
  log: Logger;
  now: () => number;
  /**
   * The enabled channels that can reach a phone number by its number, most preferred first (SMS
   * before the rest): a one-time code may only ever go to the phone on the school's record.
   */
  phoneChannels: () => readonly string[];
  /** Counters for GET /metrics; absent in tests that don't look at them. */
  metrics?: Metrics;
  /** Told after a commit that queued outbox rows, so the dispatcher looks at once. */
  outboxQueued?: () => void;
  /** Told after a commit that recorded staff events, so open /v1/events streams get them at once. */
  eventsRecorded?: () => void;
  /**
   * Told after a commit that changed a staff member or ended one of their sessions, so their open
   * /v1/events streams are checked at once.
   */
  staffAccessChanged?: (staffId: number) => void;
  /** Runs the periodic jobs later: Node's timers unless a runtime supplies its own. */
  scheduler?: Scheduler;
}
