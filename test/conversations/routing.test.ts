import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { schema } from "../../db";
import {
  createTestParentline,
  DEMO,
  type TestParentline,
  verifyParent,
} from "../support/parentline";

const PARENT = DEMO.parentWithOneChild; // Michael Barnes, Chloe in 5A at Greenfield

async function request(app: TestParentline, category: string) {
  await app.say(PARENT, "New request");
  await app.say(PARENT, category);
  await app.say(PARENT, `About ${category}`);
  const sent = await app.say(PARENT, "Send");
  app.clock.advance(11 * 60_000);
  const [ticket] = await app.db
    .select()
    .from(schema.tickets)
    .orderBy(schema.tickets.id)
    .limit(1)
    .offset((await app.db.select().from(schema.tickets)).length - 1);
  const [assignee] = await app.db
    .select()
    .from(schema.staff)
    .where(eq(schema.staff.id, ticket?.assigneeStaffId ?? 0));
  return { text: sent.texts[0] ?? "", ticket, assignee };
}

describe("routing a new request", () => {
  it.each([
    ["Academics", "teacher", null, "academics: class teacher"],
    ["Attendance & leave", "teacher", null, "attendance: class teacher"],
    ["Fees", "office", "accounts", "fees: accounts office"],
    ["Transport", "office", "transport", "transport: transport office"],
    ["Other", "office", "front", "other: front office"],
  ])(
    "sends %s to the right person and stores why",
    async (category, role, officeFunction, reason) => {
      const app = await createTestParentline();
      await verifyParent(app, PARENT);
      const { text, ticket, assignee } = await request(app, category);
      expect(assignee).toMatchObject({ role, officeFunction, schoolId: ticket?.schoolId });
      expect(ticket?.routingReason).toBe(reason);
      expect(text).toContain(`has been sent to ${assignee?.title} ${assignee?.lastName}`);
    },
  );

  it("names the class teacher and the class", async () => {
    const app = await createTestParentline();
    await verifyParent(app, PARENT);
    expect((await request(app, "Academics")).text).toBe(
      "Thank you. Your request T-1001 has been sent to Ms Rao, class teacher of 5A. You'll get the reply here.",
    );
  });

  it("falls back to the school's admin when nobody is mapped", async () => {
    const app = await createTestParentline();
    await verifyParent(app, PARENT);
    await app.db
      .update(schema.staff)
      .set({ active: false })
      .where(and(eq(schema.staff.officeFunction, "transport")));
    const { ticket, assignee } = await request(app, "Transport");
    expect(assignee?.role).toBe("admin");
    expect(ticket?.routingReason).toBe("transport: no transport office is mapped");
  });

  it("sends a flagged guardian's requests to the admin", async () => {
    const app = await createTestParentline();
    await verifyParent(app, PARENT);
    await app.db
      .update(schema.guardians)
      .set({ flaggedAt: app.clock.now(), flagReason: "staff: repeated abuse" })
      .where(eq(schema.guardians.phone, PARENT));
    const { ticket, assignee } = await request(app, "Academics");
    expect(assignee?.role).toBe("admin");
    expect(ticket?.routingReason).toBe("guardian is flagged: admin handles their tickets");
  });

  it("asks which child when the guardian has two, and files it under that child", async () => {
    const app = await createTestParentline();
    const twoChildren = DEMO.parentWithTwoChildren;
    await verifyParent(app, twoChildren);
    const asked = await app.say(twoChildren, "New request");
    expect(asked.texts[0]).toBe("Which child is this about?");
    const options = asked.body.replies[0]?.options ?? [];
    expect(options).toHaveLength(2);
    await app.say(twoChildren, "2");
    await app.say(twoChildren, "Academics");
    await app.say(twoChildren, "Question about the second child");
    const sent = await app.say(twoChildren, "Send");
    const [ticket] = await app.db.select().from(schema.tickets);
    const [student] = await app.db
      .select()
      .from(schema.students)
      .where(eq(schema.students.id, ticket?.studentId ?? 0));
    expect(options[1]?.label).toContain(student?.firstName ?? "?");
    expect(sent.texts[0]).toContain("class teacher of 4B");
  });
});
