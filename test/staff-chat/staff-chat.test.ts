// The staff side of the chat through the simulator channel and the real inbound road: staff verify
// by one-time code, get their own menu and commands, and announce (guided or in one line) with a
// preview of the reach; teachers are kept to their classes; parents' chats are unchanged.
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { schema } from "../../db";
import {
  codeIn,
  createTestParentline,
  DEMO,
  STAFF,
  type TestParentline,
  verifyParent,
} from "../support/parentline";

const PARENT_5A = DEMO.parentWithOneChild; // Michael Barnes, Chloe in 5A
const MENU = ["Announce", "Recent announcements", "Stats", "Help"];

/** Verifies a staff member's simulator chat by the code it is sent; returns what verifying said. */
async function verifyStaff(app: TestParentline, phone: string, first = "hi") {
  const asked = await app.say(phone, first);
  expect(asked.body.replies.map((reply) => reply.kind)).toEqual(["otp", "reply"]);
  return app.say(phone, codeIn(asked.texts));
}

/** Greenfield guardians of children in 5A, counted straight from the tables. */
function familiesOf5A(app: TestParentline): number {
  return (
    app.db.$client
      .prepare(
        `select count(distinct gs.guardian_id) as n from guardian_students gs
          join students s on s.id = gs.student_id join classes c on c.id = s.class_id
          join schools sc on sc.id = c.school_id where sc.slug = 'greenfield' and c.name = '5A'`,
      )
      .get() as { n: number }
  ).n;
}

describe("verifying a staff member in the chat", () => {
  it("sends a code to the staff phone, links the address to the staff record, and shows the staff menu", async () => {
    const app = await createTestParentline();
    const asked = await app.say(STAFF.admin, "hi");
    expect(asked.texts).toEqual([
      expect.stringMatching(/^Your Parentline code is \d{6}\./),
      'We sent a 6-digit code to +1•••••0190. Please type it here. (Type "resend" for a new code.)',
    ]);
    const code = codeIn(asked.texts);
    const wrong = await app.say(STAFF.admin, code === "000000" ? "000001" : "000000");
    expect(wrong.texts).toEqual(["That code isn't right. You have 4 tries left."]);

    const verified = await app.say(STAFF.admin, code);
    expect(verified.texts).toEqual([
      "Thank you, Ms Ellison, you're verified as staff.",
      "What would you like to do?",
    ]);
    expect(verified.body.replies[1]?.options?.map((option) => option.label)).toEqual(MENU);

    const [identity] = await app.db
      .select()
      .from(schema.channelIdentities)
      .where(eq(schema.channelIdentities.address, STAFF.admin));
    const [admin] = await app.db
      .select()
      .from(schema.staff)
      .where(eq(schema.staff.phone, STAFF.admin));
    expect(identity).toMatchObject({ channel: "simulator", staffId: admin?.id, guardianId: null });
    const [conversation] = await app.db.select().from(schema.conversations);
    expect(conversation).toMatchObject({ machine: "staff", address: STAFF.admin });

    // A new conversation on the linked address needs no code.
    app.db.$client.prepare("delete from conversations").run();
    expect((await app.say(STAFF.admin, "hi")).texts).toEqual([
      "Hello Ms Ellison, this is Greenfield Primary School's staff line.",
      "What would you like to do?",
    ]);
  });

  it("carries out the command that opened the conversation once the code is in", async () => {
    const app = await createTestParentline();
    const verified = await verifyStaff(app, STAFF.admin, "/announce 5A: Picnic on Friday");
    expect(verified.texts[0]).toBe("Thank you, Ms Ellison, you're verified as staff.");
    expect(verified.texts[1]).toMatch(/^To class 5A:\n"Picnic on Friday"\n/);
  });

  it("tells a parent that staff commands are for staff, sends no code, and keeps the parent menu", async () => {
    const app = await createTestParentline();
    await verifyParent(app, PARENT_5A);
    const answer = await app.say(PARENT_5A, "/announce 5A: Free ice cream");
    expect(answer.texts).toEqual([
      "Those commands are for school staff, and this number isn't on the staff list.",
      "How can I help?",
    ]);
    expect(answer.body.replies.map((reply) => reply.kind)).toEqual(["reply", "reply"]);
    expect(await app.db.select().from(schema.announcements)).toEqual([]);
    const [conversation] = await app.db.select().from(schema.conversations);
    expect(conversation?.machine).toBe("parent");
    // The parent conversation goes on as before.
    expect((await app.say(PARENT_5A, "New request")).texts).toEqual(["What is it about?"]);
  });

  it("gives a phone that is both staff and guardian the staff menu with the parent menu one tap away", async () => {
    const app = await createTestParentline();
    // Ms Rao's phone is also on file for a Greenfield guardian.
    const [chloe] = await app.db
      .select()
      .from(schema.students)
      .where(eq(schema.students.classId, 5))
      .limit(1);
    const [guardian] = await app.db
      .insert(schema.guardians)
      .values({ schoolId: 1, firstName: "Priya", lastName: "Rao", phone: STAFF.rao })
      .returning();
    await app.db
      .insert(schema.guardianStudents)
      .values({ guardianId: guardian?.id ?? 0, studentId: chloe?.id ?? 0, schoolId: 1 });

    const verified = await verifyStaff(app, STAFF.rao);
    expect(verified.body.replies[1]?.options?.map((option) => option.label)).toEqual([
      ...MENU,
      "Parent menu",
    ]);
    // One code proved the phone for both records.
    const [identity] = await app.db
      .select()
      .from(schema.channelIdentities)
      .where(eq(schema.channelIdentities.address, STAFF.rao));
    expect(identity).toMatchObject({ guardianId: guardian?.id, staffId: expect.any(Number) });

    const parentMenu = await app.say(STAFF.rao, "Parent menu");
    expect(parentMenu.texts).toEqual([
      "Hello Priya, welcome to Greenfield Primary School's parent line.",
      "How can I help?",
    ]);
    expect((await app.db.select().from(schema.conversations))[0]?.machine).toBe("parent");
    // And back with a staff command.
    expect((await app.say(STAFF.rao, "/staff")).texts).toEqual([
      "Hello Ms Rao, this is Greenfield Primary School's staff line.",
      "What would you like to do?",
    ]);
  });
});

describe("the staff menu", () => {
  it("answers help, unknown commands, and shows the menu again on anything else", async () => {
    const app = await createTestParentline();
    await verifyStaff(app, STAFF.admin);
    const help = await app.say(STAFF.admin, "Help");
    expect(help.texts[0]).toMatch(/^Staff commands:\n\/announce – write an announcement/);
    expect((await app.say(STAFF.admin, "/dance")).texts).toEqual([
      'I don\'t know that command. Type "help" for the staff commands.',
    ]);
    expect((await app.say(STAFF.admin, "hello?")).texts).toEqual(["What would you like to do?"]);
    expect((await app.say(STAFF.admin, "2")).texts).toEqual(["There are no announcements yet."]);
  });
});

describe("/announce", () => {
  it("guides staff through audience, text and a preview of the reach, then sends", async () => {
    const app = await createTestParentline();
    await verifyParent(app, PARENT_5A);
    await verifyStaff(app, STAFF.admin);

    const audience = await app.say(STAFF.admin, "Announce");
    expect(audience.body.replies[0]?.options?.map((option) => option.label)).toEqual([
      "Whole school",
      "A grade",
      "A class",
      "Several classes",
      "Admission numbers",
    ]);
    expect((await app.say(STAFF.admin, "A class")).texts).toEqual([
      "Which class? (for example 5A)",
    ]);
    expect((await app.say(STAFF.admin, "5a")).texts).toEqual([
      "What should the announcement say? Write it in one message.",
    ]);
    const families = familiesOf5A(app);
    expect((await app.say(STAFF.admin, "Picnic on Friday")).texts).toEqual([
      "Add a photo or document? Send a link to it (https://…), or type skip.",
    ]);
    const preview = await app.say(STAFF.admin, "skip");
    expect(preview.texts).toEqual([
      [
        "To class 5A:",
        '"Picnic on Friday"',
        `It will reach 1 family of ${families} (the simulator: 1).`,
        `${families - 1} families can't be reached: ${families - 1} with no chat channel, 0 opted out.`,
        "Send it?",
      ].join("\n"),
    ]);
    expect(preview.body.replies[0]?.options?.map((option) => option.label)).toEqual([
      "Send",
      "Send as urgent",
      "Schedule",
      "Don't send",
    ]);
    expect(await app.db.select().from(schema.announcements)).toEqual([]);

    const sent = await app.say(STAFF.admin, "Send");
    expect(sent.texts).toEqual([
      'Announcement #1 is on its way. Type "/stats 1" to see how it is doing.',
    ]);
    const [announcement] = await app.db.select().from(schema.announcements);
    expect(announcement).toMatchObject({
      audience: { kind: "classes", classes: ["5A"] },
      body: "Picnic on Friday",
      urgent: false,
      scheduledAt: null,
    });
    const lastTo = async (address: string) =>
      (
        (await (
          await app.json("GET", `/dev/chat/history?address=${encodeURIComponent(address)}`)
        ).json()) as { messages: { text: string }[] }
      ).messages.at(-1)?.text;
    // 1 AM at the school: inside quiet hours, so the announcement waits for 7 AM.
    await app.dispatcher.dispatchDue();
    expect(await lastTo(PARENT_5A)).not.toContain("Picnic on Friday");
    app.clock.advance(6 * 60 * 60_000);
    await app.dispatcher.dispatchDue();
    expect(await lastTo(PARENT_5A)).toMatch(/^About \w+: Picnic on Friday$/);
  });

  it("adds a document by its https link, shows it in the preview, and sends it with the text", async () => {
    const app = await createTestParentline();
    await verifyParent(app, PARENT_5A);
    await verifyStaff(app, STAFF.admin);
    await app.say(STAFF.admin, "/announce");
    await app.say(STAFF.admin, "5A");
    await app.say(STAFF.admin, "November newsletter");
    expect((await app.say(STAFF.admin, "ftp://greenfield.example/nov.pdf")).texts).toEqual([
      "That isn't a link I can send: it must start with https:// and be reachable on the internet. Send the link, or type skip.",
    ]);
    const preview = await app.say(STAFF.admin, "https://greenfield.example/nov.pdf");
    expect(preview.texts[0]).toMatch(
      /^To class 5A:\n"November newsletter"\nwith attachment: https:\/\/greenfield\.example\/nov\.pdf\nIt will reach 1 family/,
    );
    await app.say(STAFF.admin, "Send as urgent");
    const [announcement] = await app.db.select().from(schema.announcements);
    expect(announcement?.attachment).toEqual({ url: "https://greenfield.example/nov.pdf" });
    await app.dispatcher.dispatchDue();
    const history = (await (
      await app.json("GET", `/dev/chat/history?address=${encodeURIComponent(PARENT_5A)}`)
    ).json()) as { messages: { text: string }[] };
    expect(history.messages.at(-1)?.text).toMatch(
      /^About \w+: November newsletter\nhttps:\/\/greenfield\.example\/nov\.pdf$/,
    );
  });

  it("counts an opted-out family as unreachable, and schedules from the guided form", async () => {
    const app = await createTestParentline();
    await verifyParent(app, PARENT_5A);
    app.db.$client
      .prepare("update channel_identities set opted_out_at = ? where address = ?")
      .run(app.clock.now(), PARENT_5A);
    await verifyStaff(app, STAFF.admin);
    await app.say(STAFF.admin, "/announce");
    await app.say(STAFF.admin, "5A"); // typed straight away instead of a button
    const families = familiesOf5A(app);
    await app.say(STAFF.admin, "Sports day moved");
    const preview = await app.say(STAFF.admin, "SKIP");
    expect(preview.texts[0]).toContain(
      `It will reach 0 families of ${families}.\n${families} families can't be reached: ${families - 1} with no chat channel, 1 opted out.`,
    );
    expect((await app.say(STAFF.admin, "Schedule")).texts).toEqual([
      "When should it go? Type the school's local date and time, like 2026-12-01 07:00.",
    ]);
    expect((await app.say(STAFF.admin, "2026-11-22 07:00")).texts).toEqual([
      "2026-11-22 07:00 has already passed: choose a time in the future.",
    ]);
    expect((await app.say(STAFF.admin, "2026-12-01 07:00")).texts).toEqual([
      'Announcement #1 is scheduled for Tue, Dec 1, 7:00 AM. Type "/stats 1" to follow it.',
    ]);
    const [announcement] = await app.db.select().from(schema.announcements);
    expect(announcement?.scheduledAt).toBe(Date.parse("2026-12-01T15:00:00Z"));
  });

  it("takes the one-line forms to the same preview, and cancel sends nothing", async () => {
    const app = await createTestParentline();
    await verifyStaff(app, STAFF.admin);
    const preview = await app.say(STAFF.admin, "/announce grade 5 urgent: Early pickup today");
    expect(preview.texts[0]).toMatch(
      /^To grade 5 \(urgent\):\n"Early pickup today"\nIt will reach 0 families of \d+\./,
    );
    expect(preview.body.replies[0]?.options?.map((option) => option.label)).toEqual([
      "Send",
      "Schedule",
      "Don't send",
    ]);
    expect((await app.say(STAFF.admin, "Cancel")).texts).toEqual([
      "Okay, nothing was sent.",
      "What would you like to do?",
    ]);

    const several = await app.say(STAFF.admin, "/announce 5A, 5B: Choir practice");
    expect(several.texts[0]).toMatch(/^To classes 5A, 5B:/);
    await app.say(STAFF.admin, "cancel");
    const scheduled = await app.say(STAFF.admin, "/announce school at 2026-12-01 07:00: Closed");
    expect(scheduled.texts[0]).toMatch(/^To the whole school, at Tue, Dec 1, 7:00 AM:/);
    expect((await app.say(STAFF.admin, "Send")).texts[0]).toBe(
      'Announcement #1 is scheduled for Tue, Dec 1, 7:00 AM. Type "/stats 1" to follow it.',
    );
    expect(await app.db.select().from(schema.announcements)).toHaveLength(1);
  });

  it("answers bad one-line commands clearly and changes nothing", async () => {
    const app = await createTestParentline();
    await verifyStaff(app, STAFF.admin);
    const outboxBefore = (await app.db.select().from(schema.outbox)).length;
    expect((await app.say(STAFF.admin, "/announce Picnic on Friday")).texts[0]).toMatch(
      /^I couldn't read that\. Write it like "\/announce 5A: Picnic on Friday"/,
    );
    expect((await app.say(STAFF.admin, "/announce 5A:")).texts).toEqual([
      "The announcement has no text: write it after the colon.",
    ]);
    expect((await app.say(STAFF.admin, "/announce 5A at 2026-11-01 07:00: Picnic")).texts).toEqual([
      "2026-11-01 07:00 has already passed: choose a time in the future.",
    ]);
    expect((await app.say(STAFF.admin, "/announce 5A at 2026-02-30 07:00: Picnic")).texts).toEqual([
      "2026-02-30 07:00 is not a real date and time.",
    ]);
    expect((await app.say(STAFF.admin, "/announce 9Z: Picnic")).texts).toEqual([
      "That didn't work: Unknown class: 9Z",
    ]);
    expect(await app.db.select().from(schema.announcements)).toEqual([]);
    // Only the answers were queued.
    expect((await app.db.select().from(schema.outbox)).length - outboxBefore).toBe(5);
  });

  it("keeps a teacher to their own classes and office staff out, kindly", async () => {
    const app = await createTestParentline();
    await verifyStaff(app, STAFF.rao);
    expect((await app.say(STAFF.rao, "/announce 5B: Trip money")).texts).toEqual([
      "Sorry, teachers can send announcements only to their own classes (5A). For a wider audience, please ask the school admin.",
    ]);
    expect((await app.say(STAFF.rao, "/announce school: Trip money")).texts[0]).toMatch(
      /^Sorry, teachers can send announcements only to their own classes/,
    );
    expect((await app.say(STAFF.rao, "/announce 5A: Trip money")).texts[0]).toMatch(
      /^To class 5A:/,
    );
    await app.say(STAFF.rao, "Send");
    expect(await app.db.select().from(schema.announcements)).toHaveLength(1);

    await verifyStaff(app, STAFF.frontOffice);
    expect((await app.say(STAFF.frontOffice, "/announce school: Hello")).texts).toEqual([
      "Sorry, your role can't send announcements. Please ask the school admin.",
    ]);
  });
});

describe("/announcements and /stats", () => {
  it("lists recent announcements with their counts and gives one's delivery stats", async () => {
    const app = await createTestParentline();
    await verifyParent(app, PARENT_5A);
    await verifyStaff(app, STAFF.admin);
    await app.say(STAFF.admin, "/announce 5A: Picnic on Friday");
    await app.say(STAFF.admin, "Send");
    app.clock.advance(60_000);
    await app.say(STAFF.admin, "/announce 5B at 2026-12-01 07:00: Choir");
    await app.say(STAFF.admin, "Send");

    const pending = await app.say(STAFF.admin, "/stats 1");
    expect(pending.texts).toEqual([
      'Announcement #1 (Mon, Nov 23, 1:00 AM, class 5A, sending):\n"Picnic on Friday"\nsent 0, delivered 0, read 0, failed 0, pending 1',
    ]);
    // Past the school's quiet hours (until 7 AM), the announcement goes.
    app.clock.advance(6 * 60 * 60_000);
    await app.dispatcher.dispatchDue();
    expect((await app.say(STAFF.admin, "/announcements")).texts).toEqual([
      [
        "Recent announcements:",
        "#2 Tue, Dec 1, 7:00 AM, class 5B: scheduled (sent 0, delivered 0, read 0, failed 0, pending 0)",
        "#1 Mon, Nov 23, 1:00 AM, class 5A: sending (sent 1, delivered 0, read 0, failed 0, pending 0)",
      ].join("\n"),
    ]);
    expect((await app.say(STAFF.admin, "/stats #1")).texts[0]).toContain(
      "sent 1, delivered 0, read 0, failed 0, pending 0",
    );
    // From the menu: Stats asks for the number.
    expect((await app.say(STAFF.admin, "Stats")).texts).toEqual([
      "Which announcement? Type its number (for example 12).",
    ]);
    expect((await app.say(STAFF.admin, "99")).texts).toEqual([
      "I can't find that announcement. Type /announcements to see the recent ones.",
    ]);
  });

  it("never shows another school's announcement", async () => {
    const app = await createTestParentline();
    await verifyStaff(app, STAFF.admin);
    await app.say(STAFF.admin, "/announce school: Greenfield only");
    await app.say(STAFF.admin, "Send");
    await verifyStaff(app, STAFF.riversideAdmin);
    expect((await app.say(STAFF.riversideAdmin, "/stats 1")).texts).toEqual([
      "I can't find that announcement. Type /announcements to see the recent ones.",
    ]);
    expect((await app.say(STAFF.riversideAdmin, "/announcements")).texts).toEqual([
      "There are no announcements yet.",
    ]);
  });
});

describe("when an announcement has gone out", () => {
  it("tells its author in the staff chat, once, with the counts", async () => {
    const app = await createTestParentline();
    await verifyParent(app, PARENT_5A);
    await verifyStaff(app, STAFF.admin);
    await app.say(STAFF.admin, "/announce 5A urgent: Early pick-up today");
    await app.say(STAFF.admin, "Send");
    const lastToAdmin = async () =>
      (
        (await (
          await app.json("GET", `/dev/chat/history?address=${encodeURIComponent(STAFF.admin)}`)
        ).json()) as { messages: { text: string; kind: string }[] }
      ).messages.at(-1);

    // Nothing has left yet: no summary.
    expect((await app.announcementJobs.runDue()).finished).toBe(0);
    await app.dispatcher.dispatchDue();
    expect((await app.announcementJobs.runDue()).finished).toBe(1);
    await app.dispatcher.dispatchDue();
    const families = familiesOf5A(app);
    expect(await lastToAdmin()).toMatchObject({
      kind: "alert",
      text: `Announcement #1 has gone out: 1 sent (0 delivered, 0 read), 0 failed, ${families - 1} could not be reached. Type "/stats 1" for the latest.`,
    });
    // Once: the next run finds nothing to finish.
    expect((await app.announcementJobs.runDue()).finished).toBe(0);
  });
});

describe("a confirmation delivered again after a crash", () => {
  it("finds the announcement it made instead of sending every family a second copy", async () => {
    const app = await createTestParentline();
    await verifyParent(app, PARENT_5A);
    await verifyStaff(app, STAFF.admin);
    await app.say(STAFF.admin, "/announce 5A urgent: Early pick-up today");
    const conversation = () =>
      app.db.$client
        .prepare("select snapshot, version from conversations where address = ?")
        .get(STAFF.admin) as { snapshot: string; version: number };
    const beforeSend = conversation();

    const first = await app.say(STAFF.admin, "Send", "sim-confirm-1");
    expect(first.texts[0]).toMatch(/^Announcement #1 is on its way/);
    // The crash: the announcement committed, the step did not (no dedupe key, old snapshot).
    app.db.$client
      .prepare("delete from inbound_messages where provider_message_id = ?")
      .run(`${STAFF.admin}:sim-confirm-1`); // the simulator's id is address:id
    app.db.$client
      .prepare("update conversations set snapshot = ?, version = ? where address = ?")
      .run(beforeSend.snapshot, beforeSend.version, STAFF.admin);

    const again = await app.say(STAFF.admin, "Send", "sim-confirm-1");
    expect(again.texts).toEqual(first.texts);
    expect(await app.db.select().from(schema.announcements)).toHaveLength(1);
    const queued = app.db.$client
      .prepare("select count(*) as n from outbox where announcement_id = 1")
      .get() as { n: number };
    expect(queued.n).toBe(1); // the one 5A family on a chat channel, once
  });
});
