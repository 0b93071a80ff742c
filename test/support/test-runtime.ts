// The runtime a suite's Parentline and database run on. In Node (the "suite" and "durable-sqlite"
// projects) this is Node's composition root over better-sqlite3 or the emulated object storage;
// the "workerd" project swaps this module for test/support/workerd/test-runtime.ts, which builds
// the Worker's composition over a real Durable Object's storage inside workerd.
export { buildParentline, type Parentline } from "../../src/parentline";
export { openTestDatabase, testDriver } from "./durable-storage";
