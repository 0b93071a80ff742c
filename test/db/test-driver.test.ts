// The suites that run twice (better-sqlite3, and the Durable Object's driver in the durable-sqlite
// project) really get the driver they name.
import { describe, expect, it } from "vitest";
import { isNodeDatabase } from "../../db/node";
import { openTestDatabase, testDriver } from "../support/durable-storage";
import { createTestParentline, DEMO, verifyParent } from "../support/parentline";

describe(`the test database (${testDriver})`, () => {
  it("is opened through the driver the project names", () => {
    expect(isNodeDatabase(openTestDatabase())).toBe(testDriver !== "durable-sqlite");
  });

  it("runs a parent's verification, named raw statements and guarded writes included", async () => {
    const app = await createTestParentline();
    expect(isNodeDatabase(app.db)).toBe(testDriver !== "durable-sqlite");
    await verifyParent(app, DEMO.parentWithOneChild);
    const row = app.db.$client
      .prepare<{ channel: string }, { verified: number }>(
        "select count(*) as verified from channel_identities where channel = @channel",
      )
      .get({ channel: "simulator" });
    expect(row?.verified).toBe(1);
  });
});
