// The Durable Object storage the running test executes in. workerd lets an object's storage be
// used only from inside that object, so setup.ts runs each test inside a fresh object and keeps
// its storage here while the test runs.
import type { DurableSqlStorage } from "../../../db/durable-sqlite-client";

/** How the running test's storage was taken: once, or by a database it reopens (a restart). */
type Claim = "once" | "reopened";

let current: { storage: DurableSqlStorage; claimed?: Claim } | undefined;

export function enterObject(storage: DurableSqlStorage | undefined): void {
  current = storage && { storage };
}

/**
 * The running test's object storage. One object is one database: it is given once, or again and
 * again to the one database a test reopens.
 */
export function claimObjectStorage(claim: Claim): DurableSqlStorage {
  if (!current) throw new Error("no Durable Object: this runs only inside a workerd test");
  if (current.claimed && !(claim === "reopened" && current.claimed === "reopened")) {
    throw new Error("a workerd test has one Durable Object, so one database: split the test");
  }
  current.claimed = claim;
  return current.storage;
}
