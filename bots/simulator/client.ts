// The simulator's "provider": an in-memory phone per address that keeps what it was sent and what
// its person typed. Like a phone, it shows one-time codes, so it lives only in memory (a restart
// clears it) and only in development.
import type { ReplyOption } from "../../src/contracts";

export interface PhoneEntry {
  direction: "in" | "out";
  text: string;
  options?: ReplyOption[];
  /** Someone's own words the text quotes (the SMS view leaves them as written). */
  quoted?: string[];
  kind?: string;
  outboxId?: number;
  /** The phone has told the sender it arrived (a delivery receipt moved the outbox row). */
  acknowledged?: boolean;
  at: number;
}

export class SimulatedPhones {
  private readonly logs = new Map<string, PhoneEntry[]>();

  constructor(private readonly maxEntriesPerPhone = 500) {}

  record(address: string, entry: PhoneEntry): void {
    const log = this.logs.get(address) ?? [];
    log.push(entry);
    if (log.length > this.maxEntriesPerPhone) log.splice(0, log.length - this.maxEntriesPerPhone);
    this.logs.set(address, log);
  }

  history(address: string): readonly PhoneEntry[] {
    return this.logs.get(address) ?? [];
  }

  /** What arrived for the given outbox rows, in row order. */
  delivered(address: string, outboxIds: readonly number[]): PhoneEntry[] {
    const wanted = new Set(outboxIds);
    return this.history(address)
      .filter((entry) => entry.outboxId !== undefined && wanted.has(entry.outboxId))
      .sort((a, b) => (a.outboxId ?? 0) - (b.outboxId ?? 0));
  }
}
