import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { schema } from "../../db";
import {
  codeIn,
  createTestParentline,
  DEMO,
  type TestParentline,
  verifyParent,
} from "../support/parentline";

const PARENT = DEMO.parentWithOneChild; // Michael Barnes, one child (Chloe, 5A)
const minutes = (n: number) => n * 60_000;

async function guardianRow(app: TestParentline, phone: string) {
  const [row] = await app.db
    .select()
    .from(schema.guardians)
    .where(eq(schema.guardians.phone, phone));
  if (!row) throw new Error(`no guardian ${phone}`);
  return row;
}

async function historyOf(app: TestParentline, address: string) {
  const response = await app.json(
    "GET",
    `/dev/chat/history?address=${encodeURIComponent(address)}`,
  );
  return (
    (await response.json()) as { messages: { text: string; kind?: string; direction: string }[] }
  ).messages;
}

describe("the parent conversation", () => {
  it("persists its snapshot as JSON the database can read, with machine name and version", async () => {
    const app = await createTestParentline();
    await app.say(PARENT, "hi"); // first write: insert
    await app.say(PARENT, "resend"); // later writes: version-checked update
    const rows = app.db.$client
      .prepare(
        "select machine, machine_version, version, json_extract(snapshot, '$.value') as state from conversations",
      )
      .all();
    expect(rows).toEqual([
      { machine: "parent", machine_version: 3, version: 1, state: "awaitingCode" },
    ]);
  });

  it("shows every menu choice as an option", async () => {
    const app = await createTestParentline();
    await verifyParent(app, PARENT);
    const { body } = await app.say(PARENT, "menu");
    expect(body.replies.at(-1)?.options?.map((option) => option.label)).toEqual([
      "New request",
      "My requests",
      "Announcements",
      "Talk to a person",
      "Language",
      "Settings",
      "Help",
    ]);
  });

  it("switches to Spanish, remembers it for the guardian, and understands Spanish commands", async () => {
    const app = await createTestParentline();
    await verifyParent(app, PARENT);
    await app.say(PARENT, "Language");
    const switched = await app.say(PARENT, "Español");
    expect(switched.texts[0]).toBe("Listo, a partir de ahora le escribiré en español.");
    expect(switched.body.replies.at(-1)?.options?.[0]?.label).toBe("Nueva consulta");
    expect((await guardianRow(app, PARENT)).language).toBe("es");
    const help = await app.say(PARENT, "ayuda");
    expect(help.texts[0]).toContain("Responda con el número de una opción");
  });

  it("treats free text at the menu as a new request and keeps the text", async () => {
    const app = await createTestParentline();
    await verifyParent(app, PARENT);
    const asked = await app.say(PARENT, "Chloe lost her jumper on Tuesday");
    expect(asked.texts.join(" ")).toContain("What is it about?");
    const summary = await app.say(PARENT, "Other");
    expect(summary.texts.join(" ")).toContain("Message: Chloe lost her jumper on Tuesday");
    const done = await app.say(PARENT, "Send");
    expect(done.texts[0]).toMatch(/T-1001 has been sent to .*front office/);
  });

  it("adds a message to an open request, asking which one, and counts it for its assignee's next alert", async () => {
    const app = await createTestParentline();
    app.clock.set(Date.parse("2026-11-23T17:00:00Z")); // Monday 09:00 at Greenfield
    const teacherPhone = "+14155550184"; // Ms Priya Rao, class teacher of 5A
    await app.say(teacherPhone, codeIn((await app.say(teacherPhone, "hi")).texts));
    await verifyParent(app, PARENT);
    await app.say(PARENT, "New request");
    await app.say(PARENT, "Academics");
    await app.say(PARENT, "Homework question");
    await app.say(PARENT, "Send");
    const which = await app.say(PARENT, "Also, she has a dentist appointment on Friday");
    expect(which.texts[0]).toBe("Is this about one of your open requests, or something new?");
    expect(which.body.replies[0]?.options?.map((o) => o.label)).toEqual([
      "T-1001: Academics (Chloe)",
      "New request",
    ]);
    const added = await app.say(PARENT, "1");
    expect(added.texts[0]).toBe("Thank you, I've added that to T-1001 for Ms Rao.");

    const [ticket] = await app.db.select().from(schema.tickets);
    const thread = await app.db
      .select()
      .from(schema.ticketMessages)
      .where(eq(schema.ticketMessages.ticketId, ticket?.id ?? 0));
    expect(thread.map((m) => m.body)).toEqual([
      "Homework question",
      "Also, she has a dentist appointment on Friday",
    ]);
    await app.dispatcher.dispatchDue();
    // Her chat had the new request's alert a moment ago: the follow-up waits, counted.
    const alerts = (await historyOf(app, teacherPhone)).filter((m) => m.kind === "alert");
    expect(alerts.map((m) => m.text.split("\n")[0])).toEqual([
      "New request T-1001 from Michael Barnes about Chloe (5A) · Academics",
    ]);
    const [counted] = await app.db.select().from(schema.tickets);
    expect(counted?.unalertedMessages).toBe(1);
  });

  it("puts a parent who asks for a person through to the front office as urgent", async () => {
    const app = await createTestParentline();
    await verifyParent(app, PARENT);
    const prompt = await app.say(PARENT, "Talk to a person");
    expect(prompt.texts[0]).toContain("what would you like to talk about");
    const done = await app.say(PARENT, "Please call me about the school trip");
    expect(done.texts[0]).toMatch(/the front office has your request T-1001/);
    const [ticket] = await app.db.select().from(schema.tickets);
    expect(ticket).toMatchObject({
      priority: "urgent",
      category: "other",
      routingReason: "urgent: front office",
    });
  });

  it("lists the latest announcements sent to the guardian", async () => {
    const app = await createTestParentline();
    await verifyParent(app, PARENT);
    expect((await app.say(PARENT, "Announcements")).texts[0]).toBe(
      "There are no announcements for you yet.",
    );
    const guardian = await guardianRow(app, PARENT);
    const [admin] = await app.db
      .select()
      .from(schema.staff)
      .where(and(eq(schema.staff.schoolId, guardian.schoolId), eq(schema.staff.role, "admin")));
    const [announcement] = await app.db
      .insert(schema.announcements)
      .values({
        schoolId: guardian.schoolId,
        authorStaffId: admin?.id ?? 0,
        audience: { school: true },
        body: "Picnic on Friday",
        status: "sent",
        createdAt: app.clock.now(),
      })
      .returning();
    await app.db.insert(schema.announcementRecipients).values({
      announcementId: announcement?.id ?? 0,
      guardianId: guardian.id,
      schoolId: guardian.schoolId,
    });
    expect((await app.say(PARENT, "Announcements")).texts[0]).toBe(
      "Latest announcements:\nNov 23: Picnic on Friday",
    );
  });

  it("after 30 idle minutes drops the half-finished request and starts at the menu", async () => {
    const app = await createTestParentline();
    await verifyParent(app, PARENT);
    await app.say(PARENT, "New request");
    await app.say(PARENT, "Fees");
    app.clock.advance(minutes(31));
    const resumed = await app.say(PARENT, "2");
    expect(resumed.texts[0]).toBe(
      "It's been a while, so I've set aside what we were doing. Here is the menu again.",
    );
    expect(resumed.texts).toContain("You have no open requests.");
    expect(await app.db.select().from(schema.tickets)).toHaveLength(0);
  });

  it("carries on after a short pause without a note", async () => {
    const app = await createTestParentline();
    await verifyParent(app, PARENT);
    await app.say(PARENT, "New request");
    app.clock.advance(minutes(29));
    const next = await app.say(PARENT, "Fees");
    expect(next.texts[0]).toContain("Please write your message about Fees");
  });

  it("verifies by a child's admission number, sending the code only to the phone on file", async () => {
    const app = await createTestParentline();
    const stranger = "+14155550177";
    expect((await app.say(stranger, "hi")).texts[0]).toContain(
      "or you know your child's admission number, type it here",
    );
    const [chloe] = await app.db
      .select()
      .from(schema.students)
      .where(eq(schema.students.firstName, "Chloe"));
    const sent = await app.say(stranger, (chloe?.admissionNo ?? "").toLowerCase());
    expect(sent.texts.join(" ")).toContain("We sent a 6-digit code to +1•••••0102");
    expect(sent.body.replies.some((reply) => reply.kind === "otp")).toBe(false);
    const code = codeIn((await historyOf(app, PARENT)).map((m) => m.text));
    expect((await app.say(stranger, code)).texts[0]).toBe("Thanks, Michael, you're verified.");
  });

  it("pauses a guardian who floods the chat and answers only once, without flagging them", async () => {
    const app = await createTestParentline();
    await verifyParent(app, PARENT); // 2 messages
    for (let n = 0; n < 58; n += 1) await app.say(PARENT, "menu");
    const paused = await app.say(PARENT, "menu");
    expect(paused.texts).toHaveLength(1);
    expect(paused.texts[0]).toContain("lot of messages from you in a few minutes");
    // The first message was at 09:00 UTC (1:00 AM in Los Angeles): the window calms at 1:05.
    expect(paused.texts[0]).toContain("pause here until 1:05 AM PST");
    expect(paused.texts[0]).toContain("call the office on +14155550100");
    expect((await guardianRow(app, PARENT)).flaggedAt).toBeNull();
    expect((await app.say(PARENT, "menu")).texts).toEqual([]);
    app.clock.advance(minutes(6));
    expect((await app.say(PARENT, "menu")).texts.at(-1)).toBe("How can I help?");
  });

  it("ends the pause when it said, however much the guardian writes during it", async () => {
    const app = await createTestParentline();
    await verifyParent(app, PARENT);
    for (let n = 0; n < 59; n += 1) await app.say(PARENT, "menu");
    // 60 more during the pause, a minute before it ends: none answered, none counted.
    app.clock.advance(minutes(4));
    for (let n = 0; n < 60; n += 1) expect((await app.say(PARENT, "menu")).texts).toEqual([]);
    app.clock.advance(minutes(1) + 1);
    expect((await app.say(PARENT, "menu")).texts.at(-1)).toBe("How can I help?");
  });

  it("flags a guardian paused a second time within a day, for the admin to handle", async () => {
    const app = await createTestParentline();
    await verifyParent(app, PARENT);
    for (let n = 0; n < 59; n += 1) await app.say(PARENT, "menu");
    expect((await guardianRow(app, PARENT)).flaggedAt).toBeNull();
    app.clock.advance(minutes(60));
    for (let n = 0; n < 61; n += 1) await app.say(PARENT, "menu");
    expect((await guardianRow(app, PARENT)).flagReason).toBe("flooding: paused twice within a day");
  });
});
