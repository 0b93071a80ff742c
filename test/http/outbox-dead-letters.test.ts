// GET /v1/outbox?status=dead and POST /v1/outbox/{id}/retry: staff see what could not be delivered
// and why, and send it again; codes, opted-out recipients and other schools' rows are refused.
import { and, desc, eq, isNotNull } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { schema } from "../../db";
import { setOptedOut } from "../../src/outbox/opt-outs";
import {
  createTestParentline,
  DEMO,
  STAFF,
  signInStaff,
  type TestParentline,
  verifyParent,
} from "../support/parentline";

const { outbox } = schema;

async function park(app: TestParentline, kind: "reply" | "otp", reason: string) {
  // The school's rows: a reply before the parent is known belongs to no school.
  const [row] = await app.db
    .select()
    .from(outbox)
    .where(and(eq(outbox.kind, kind), isNotNull(outbox.schoolId)))
    .orderBy(desc(outbox.id))
    .limit(1);
  if (!row) throw new Error(`no ${kind} row`);
  await app.db
    .update(outbox)
    .set({ status: "dead", lastError: reason, attempts: 5 })
    .where(eq(outbox.id, row.id));
  return row.id;
}

describe("dead letters", () => {
  it("are listed with their reason for office staff and sent again on retry, audited", async () => {
    const app = await createTestParentline();
    await verifyParent(app, DEMO.parentWithOneChild);
    const id = await park(app, "reply", "provider unavailable");
    const office = await signInStaff(app, STAFF.frontOffice);

    const listed = await app.json("GET", "/v1/outbox?status=dead", undefined, office);
    expect(listed.status).toBe(200);
    const page = (await listed.json()) as { messages: { id: number; lastError: string }[] };
    expect(page.messages).toEqual([
      expect.objectContaining({ id, lastError: "provider unavailable", status: "dead" }),
    ]);

    const retried = await app.json("POST", `/v1/outbox/${id}/retry`, undefined, office);
    expect(retried.status).toBe(202);
    const [row] = await app.db.select().from(outbox).where(eq(outbox.id, id));
    expect(row).toMatchObject({ status: "pending", attempts: 0, nextAttemptAt: app.clock.now() });
    await app.dispatcher.dispatchDue();
    const [sent] = await app.db.select().from(outbox).where(eq(outbox.id, id));
    expect(sent?.status).toBe("sent");

    const again = await app.json("POST", `/v1/outbox/${id}/retry`, undefined, office);
    expect(again.status).toBe(409);
    const audit = await app.db
      .select()
      .from(schema.auditLog)
      .where(eq(schema.auditLog.action, "outbox.retry"));
    expect(audit).toHaveLength(1);
    expect(audit[0]?.before).toMatchObject({ status: "dead", lastError: "provider unavailable" });
  });

  it("refuses one-time codes, opted-out recipients, teachers and other schools", async () => {
    const app = await createTestParentline();
    await verifyParent(app, DEMO.parentWithOneChild);
    const code = await park(app, "otp", "provider unavailable");
    const reply = await park(app, "reply", "provider unavailable");
    const admin = await signInStaff(app, STAFF.admin);

    const codeRetry = await app.json("POST", `/v1/outbox/${code}/retry`, undefined, admin);
    expect(codeRetry.status).toBe(409);
    expect(await codeRetry.json()).toMatchObject({ error: { code: "not_retryable" } });

    const teacher = await signInStaff(app, STAFF.rao);
    expect((await app.json("GET", "/v1/outbox", undefined, teacher)).status).toBe(403);
    expect((await app.json("POST", `/v1/outbox/${reply}/retry`, undefined, teacher)).status).toBe(
      403,
    );

    const riverside = await signInStaff(app, STAFF.riversideAdmin);
    expect((await app.json("POST", `/v1/outbox/${reply}/retry`, undefined, riverside)).status).toBe(
      404,
    );
    const theirs = (await (await app.json("GET", "/v1/outbox", undefined, riverside)).json()) as {
      messages: unknown[];
    };
    expect(theirs.messages).toEqual([]);

    await setOptedOut(
      app.db,
      { channel: "simulator", address: DEMO.parentWithOneChild },
      true,
      app.clock.now(),
    );
    const optedOut = await app.json("POST", `/v1/outbox/${reply}/retry`, undefined, admin);
    expect(optedOut.status).toBe(409);
    expect(await optedOut.json()).toMatchObject({ error: { code: "opted_out" } });
    const [row] = await app.db.select().from(outbox).where(eq(outbox.id, reply));
    expect(row?.status).toBe("dead");
  });
});
