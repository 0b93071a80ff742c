// The Durable Object storage the running test executes in. workerd lets an object's storage be
// used only from inside that object, so setup.ts runs each test inside a fresh object and keeps
// its storage here while the test runs.
import type { DurableSqlStorage } from "../../../db/durable-sqlite-client";

let current: { storage: DurableSqlStorage; claimed: boolean } | undefined;

export function enterObject(storage: DurableSqlStorage | undefined): void {
  current = storage && { storage, claimed: false };
}

/** The running test's object storage, given once: one object is one database. */
export function claimObjectStorage(): DurableSqlStorage {
  if (!current) throw new Error("no Durable Object: this runs only inside a workerd test");
  if (current.claimed) {
    throw new Error("a workerd test has one Durable Object, so one database: split the test");
  }
  current.claimed = true;
  return current.storage;
}
