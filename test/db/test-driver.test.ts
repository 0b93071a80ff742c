// The suites that run in more than one project (better-sqlite3; the Durable Object's driver over
// an emulated storage; a real Durable Object in workerd) really get the database they name.
import { describe, expect, it } from "vitest";
import { createTestParentline, DEMO, verifyParent } from "../support/parentline";
import { openTestDatabase, testDriver } from "../support/test-runtime";

/** better-sqlite3's own connection has `pragma`; the object's SqlClient over `sql.exec` has not. */
const isBetterSqlite3 = (db: ReturnType<typeof openTestDatabase>) =>
  typeof (db.$client as { pragma?: unknown }).pragma === "function";

describe(`the test database (${testDriver})`, () => {
  it("is opened through the driver the project names", () => {
    expect(isBetterSqlite3(openTestDatabase())).toBe(testDriver === "better-sqlite3");
  });

  it.runIf(testDriver === "workerd")("is a Durable Object's own SQLite, inside workerd", () => {
    expect(navigator.userAgent).toBe("Cloudflare-Workers");
    const db = openTestDatabase();
    const tables = db.$client
      .prepare<[], { name: string }>("select name from sqlite_master where type = 'table'")
      .all()
      .map((table) => table.name);
    expect(tables).toContain("tickets");
    // An object's SQLite refuses SQL transactions: its storage API owns them.
    expect(() => db.$client.prepare("begin").run()).toThrow(/transactionSync\(\) APIs/);
  });

  it("runs a parent's verification, named raw statements and guarded writes included", async () => {
    const app = await createTestParentline();
    expect(isBetterSqlite3(app.db)).toBe(testDriver === "better-sqlite3");
    await verifyParent(app, DEMO.parentWithOneChild);
    const row = app.db.$client
      .prepare<{ channel: string }, { verified: number }>(
        "select count(*) as verified from channel_identities where channel = @channel",
      )
      .get({ channel: "simulator" });
    expect(row?.verified).toBe(1);
  });
});
