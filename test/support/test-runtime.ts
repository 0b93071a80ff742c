// The runtime a suite's Parentline and database run on: in Node, Node's composition root over an
// in-memory better-sqlite3 database. The "workerd" vitest project swaps this module for
// test/support/workerd/test-runtime.ts, which composes a tenant object's Parentline over a real
// Durable Object's storage inside workerd.
import { openSqliteDatabase } from "../../db/node";

export { buildParentline, type Parentline } from "../../src/parentline";
export { testDatabaseFile } from "./file-database";

export const testDriver: string = "better-sqlite3";

export const openTestDatabase = () => openSqliteDatabase(":memory:");
