// Group commit: the units of work that reach their commit in one turn of the event loop are written
// in one SQLite transaction, each in its own savepoint. Under load many inbound steps end in the
// same turn (their requests were read in the same poll), and one COMMIT then writes each touched
// page to the WAL once for all of them instead of once per step: the appended rows of the dedupe,
// conversation and outbox tables share their pages. A unit whose guarded write changes nothing, or
// whose statement throws, rolls back to its savepoint alone and rejects; the others commit. Every
// caller is told (resolved or rejected) only after the COMMIT, so nothing is acknowledged before
// it is durable. A lone unit is written as commitAtomically writes it, without a savepoint.
import { setImmediate } from "node:timers";
import {
  atomicRunner,
  type GroupCommit,
  type PlannedWrite,
  reportCommitted,
  type WriteResult,
} from "./atomic";
import type { Database } from "./database";

interface Waiting {
  writes: PlannedWrite[];
  resolve: () => void;
  reject: (error: unknown) => void;
}

type Outcome = { results: WriteResult[] } | { error: unknown };

export function createGroupCommit(db: Database): GroupCommit {
  const runAll = atomicRunner(db);
  // Inside the outer transaction, each call of the nested transaction function is a savepoint.
  const writeGroup = db.$client.transaction((group: Waiting[]): Outcome[] =>
    group.map((unit) => {
      try {
        return { results: runAll(unit.writes) };
      } catch (error) {
        return { error };
      }
    }),
  );
  let waiting: Waiting[] = [];

  function flush() {
    const group = waiting;
    waiting = [];
    let outcomes: Outcome[];
    try {
      outcomes =
        group.length === 1
          ? [{ results: runAll((group[0] as Waiting).writes) }]
          : writeGroup(group);
    } catch (error) {
      // The lone unit failed, or the COMMIT itself did: nothing of the group was written.
      for (const unit of group) unit.reject(error);
      return;
    }
    group.forEach((unit, index) => {
      const outcome = outcomes[index] as Outcome;
      if ("error" in outcome) {
        unit.reject(outcome.error);
      } else {
        reportCommitted(unit.writes, outcome.results);
        unit.resolve();
      }
    });
  }

  return {
    commit(writes) {
      if (writes.length === 0) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        // The check phase runs once the poll phase has handed over every request it read.
        if (waiting.length === 0) setImmediate(flush);
        waiting.push({ writes, resolve, reject });
      });
    },
  };
}
