// The database layer's public surface on both runtimes: schema, the seam, the atomic-write helpers.
// Node's factory, backups and group commit are in db/node.ts; the Durable Object's in
// db/durable-object.ts.

export {
  commitAtomically,
  commitEachAlone,
  type GroupCommit,
  type PlannedWrite,
  WriteConflict,
  type WriteResult,
} from "./atomic";
export {
  type Database,
  type SqlClient,
  type SqlRunResult,
  type SqlStatement,
  writeResultOf,
} from "./database";
export { placeholder, preparedPerDatabase } from "./prepared";
export * as schema from "./schema";
