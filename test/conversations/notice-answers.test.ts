// A parent's answer to an attendance notice, through the simulator: at the menu it becomes an
// Attendance ticket on the child (the reply in the parent's language); a parent in the middle of
// a request, a "thanks", or a message a day later stay with the conversation.
import { describe, expect, it } from "vitest";
import {
  createTestParentline,
  DEMO,
  STAFF,
  signInStaff,
  type TestParentline,
  verifyParent,
} from "../support/parentline";
import { makeApiKey, sendEvent } from "../support/school-events";

const PARENT = DEMO.parentWithOneChild; // Chloe, GF-2024-003, 5A
const absent = (admissionNumber: string) => ({
  type: "attendance.marked",
  date: "2026-11-23",
  absent: [admissionNumber],
  late: [],
  period: "AM",
});

async function noticed(app: TestParentline, admissionNumber = "GF-2024-003") {
  const { key } = await makeApiKey(app, await signInStaff(app, STAFF.admin));
  expect((await sendEvent(app, key, absent(admissionNumber))).status).toBe(202);
}

const tickets = (app: TestParentline) =>
  app.db.$client
    .prepare("select category, student_id as studentId, priority from tickets order by id")
    .all();

describe("answers to attendance notices", () => {
  it("become an Attendance ticket on the child when the parent is at the menu", async () => {
    const app = await createTestParentline();
    await verifyParent(app, PARENT);
    await noticed(app);
    const { texts } = await app.say(PARENT, "Chloe is at the dentist, she'll be in after lunch");
    expect(texts).toEqual([
      "Thank you. We've passed your answer about Chloe's attendance to Ms Rao, class teacher of 5A (T-1001). You'll get the reply here.",
    ]);
    expect(tickets(app)).toEqual([{ category: "attendance", studentId: 3, priority: "normal" }]);
  });

  it("are taken from another of the guardian's verified chats than the one the notice reached", async () => {
    const app = await createTestParentline();
    await verifyParent(app, PARENT);
    await noticed(app);
    // As if the notice had failed on the chat and fallen back to an SMS to the phone on file.
    app.db.$client.prepare("update school_event_notices set channel = 'sms'").run();
    const { texts } = await app.say(PARENT, "She is ill today");
    expect(texts[0]).toContain("We've passed your answer about Chloe's attendance");
    expect(tickets(app)).toEqual([{ category: "attendance", studentId: 3, priority: "normal" }]);
  });

  it("are about the child the parent names when two of their children were marked", async () => {
    const app = await createTestParentline();
    await verifyParent(app, DEMO.parentWithTwoChildren);
    const { key } = await makeApiKey(app, await signInStaff(app, STAFF.admin));
    await sendEvent(app, key, { ...absent("GF-2024-001"), late: ["GF-2024-002"] });
    const { texts } = await app.say(DEMO.parentWithTwoChildren, "Ava has a cold, sorry");
    expect(texts[0]).toContain("your answer about Ava's attendance");
    // Benjamin's notice is still open: the next message answers it.
    const next = await app.say(DEMO.parentWithTwoChildren, "The bus was late");
    expect(next.texts[0]).toContain("your answer about Benjamin's attendance");
    expect(tickets(app)).toEqual([
      { category: "attendance", studentId: 1, priority: "normal" },
      { category: "attendance", studentId: 2, priority: "normal" },
    ]);
  });

  it("are answered in the parent's language", async () => {
    const app = await createTestParentline();
    // Guardian 8 reads Spanish; they verify like any parent.
    const spanish = "+14155550108";
    const first = await app.say(spanish, "hola");
    const code = first.texts.join(" ").match(/\b(\d{6})\b/)?.[1] ?? "";
    await app.say(spanish, code);
    await noticed(app, "GF-2024-013");
    const { texts } = await app.say(spanish, "Maya está enferma");
    expect(texts).toEqual([
      "Gracias. Pasamos su respuesta sobre la asistencia de Maya a Ms Rao, tutoría de 5A (T-1001). Recibirá la respuesta aquí.",
    ]);
  });

  it("leave a parent in the middle of a request to finish it", async () => {
    const app = await createTestParentline();
    await verifyParent(app, PARENT);
    await app.say(PARENT, "menu");
    await app.say(PARENT, "New request");
    await app.say(PARENT, "Transport");
    await noticed(app);
    const { texts } = await app.say(PARENT, "The bus was late again");
    expect(texts.join(" ")).not.toContain("attendance");
    await app.say(PARENT, "Send");
    expect(tickets(app)).toEqual([{ category: "transport", studentId: 3, priority: "normal" }]);
  });

  it("are not a thank-you, a choice from the menu, nor a message a day later", async () => {
    const app = await createTestParentline();
    await verifyParent(app, PARENT);
    await noticed(app);
    await app.say(PARENT, "Thanks");
    expect(tickets(app)).toEqual([]);
    // "2" at the menu is "My requests".
    const listed = await app.say(PARENT, "2");
    expect(listed.texts.join(" ")).not.toContain("attendance");
    expect(tickets(app)).toEqual([]);
    await app.say(PARENT, "menu");
    app.clock.advance(24 * 60 * 60_000 + 1);
    const { texts } = await app.say(PARENT, "She is better now");
    expect(texts.join(" ")).not.toContain("attendance");
    expect(tickets(app)).toEqual([]);
  });
});
