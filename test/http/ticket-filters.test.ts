import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { schema } from "../../db";
import {
  createTestParentline,
  DEMO,
  makeRequest,
  STAFF,
  signInStaff,
  type TestParentline,
  verifyParent,
} from "../support/parentline";

/** A one-child parent's request in the given category, then 11 minutes pass (the cooldown). */
async function request(app: TestParentline, phone: string, category: string) {
  const sent = await makeRequest(app, phone, { category, text: `About ${category}` });
  expect(sent[0]).toMatch(/has been sent to/);
  app.clock.advance(11 * 60_000);
}

async function list(app: TestParentline, token: string, query: string) {
  const response = await app.json("GET", `/v1/tickets?${query}`, undefined, token);
  expect(response.status).toBe(200);
  return ((await response.json()) as { tickets: { reference: string }[] }).tickets.map(
    (t) => t.reference,
  );
}

describe("filtering the ticket list", () => {
  it("by category, guardian, student, class, assignee and creation time", async () => {
    const app = await createTestParentline();
    const one = DEMO.parentWithOneChild;
    await verifyParent(app, one);
    await request(app, one, "Fees"); // T-1001
    const startOfSecond = app.clock.now();
    await request(app, one, "Academics"); // T-1002
    const [ticket1, ticket2] = await app.db
      .select()
      .from(schema.tickets)
      .orderBy(schema.tickets.id);
    const [student] = await app.db
      .select()
      .from(schema.students)
      .where(eq(schema.students.id, ticket2?.studentId ?? 0));
    const token = await signInStaff(app, STAFF.admin);

    expect(await list(app, token, "category=fees")).toEqual(["T-1001"]);
    expect(await list(app, token, `guardian=${ticket1?.guardianId}`)).toEqual(["T-1002", "T-1001"]);
    expect(await list(app, token, `student=${student?.id}`)).toEqual(["T-1002", "T-1001"]);
    expect(await list(app, token, `class=${student?.classId}`)).toEqual(["T-1002", "T-1001"]);
    expect(await list(app, token, `class=${(student?.classId ?? 0) + 1}`)).toEqual([]);
    expect(await list(app, token, `assignee=${ticket2?.assigneeStaffId}`)).toEqual(["T-1002"]);
    expect(await list(app, token, `createdFrom=${new Date(startOfSecond).toISOString()}`)).toEqual([
      "T-1002",
    ]);
    expect(await list(app, token, `createdTo=${new Date(startOfSecond).toISOString()}`)).toEqual([
      "T-1001",
    ]);
    expect(
      (await app.json("GET", "/v1/tickets?createdFrom=yesterday", undefined, token)).status,
    ).toBe(422);
    expect((await app.json("GET", "/v1/tickets?category=sports", undefined, token)).status).toBe(
      422,
    );
  });
});
