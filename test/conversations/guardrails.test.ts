import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { schema, WriteConflict } from "../../db";
import { UnitOfWork } from "../../src/outbox/unit-of-work";
import type { ServiceDeps } from "../../src/services/deps";
import { planParentTicket } from "../../src/services/tickets";
import {
  codeIn,
  createTestParentline,
  DEMO,
  makeRequest,
  STAFF,
  signInStaff,
  type TestParentline,
  verifyParent,
} from "../support/parentline";

const minutes = (n: number) => n * 60_000;
const PARENT = DEMO.parentWithOneChild;

async function ticketsOf(app: TestParentline, guardianPhone: string) {
  const [guardian] = await app.db
    .select()
    .from(schema.guardians)
    .where(eq(schema.guardians.phone, guardianPhone));
  return app.db
    .select()
    .from(schema.tickets)
    .where(eq(schema.tickets.guardianId, guardian?.id ?? 0));
}

describe("guardrails in the parent conversation", () => {
  it("allows the third open ticket, refuses the fourth kindly and names the open ones", async () => {
    const app = await createTestParentline();
    await verifyParent(app, PARENT);
    for (const n of [1, 2, 3]) {
      expect((await makeRequest(app, PARENT, { text: `Question ${n}` })).join(" ")).toMatch(
        /Your request T-\d+ has been sent/,
      );
      app.clock.advance(minutes(11));
    }
    const refused = (await makeRequest(app, PARENT, { text: "Question 4" })).join(" ");
    expect(refused).toContain("You already have 3 open requests (T-1001, T-1002, T-1003)");
    expect(await ticketsOf(app, PARENT)).toHaveLength(3);
  });

  it("keeps 10 minutes between new tickets and says how many remain", async () => {
    const app = await createTestParentline();
    await verifyParent(app, PARENT);
    await makeRequest(app, PARENT, { text: "First" });
    app.clock.advance(minutes(7) + 1);
    const refused = (await makeRequest(app, PARENT, { text: "Second" })).join(" ");
    // 09:07 UTC is 1:07 AM in Los Angeles: the next request is possible at 1:10.
    expect(refused).toContain("new ones wait 3 minutes: you can make another from 1:10 AM PST");
    expect(refused).toContain("call the office on +14155550100");
    app.clock.advance(minutes(3));
    expect((await makeRequest(app, PARENT, { text: "Second" })).join(" ")).toMatch(
      /Your request T-1002 has been sent/,
    );
  });

  it("allows five new tickets in a rolling week and gives the date of the next", async () => {
    const app = await createTestParentline();
    await verifyParent(app, PARENT);
    for (const n of [1, 2, 3, 4, 5]) {
      await makeRequest(app, PARENT, { text: `Week question ${n}` });
      // Resolved by staff, so only the weekly cap is in play.
      await app.db.update(schema.tickets).set({ status: "resolved" });
      app.clock.advance(minutes(11));
    }
    const refused = (await makeRequest(app, PARENT, { text: "Sixth" })).join(" ");
    expect(refused).toContain("You've made 5 requests this week");
    expect(refused).toContain("Monday, November 30"); // first ticket + 7 days, in Los Angeles time
    expect(await ticketsOf(app, PARENT)).toHaveLength(5);
  });

  it("holds the open-ticket cap when one guardian sends from two chats at the same instant", async () => {
    const app = await createTestParentline();
    await verifyParent(app, PARENT);
    // A second chat of the same guardian: verified by a code sent to the phone on file.
    const other = "+14155550177";
    await app.say(other, "hi");
    await app.say(other, PARENT);
    const history = (await (
      await app.json("GET", `/dev/chat/history?address=${encodeURIComponent(PARENT)}`)
    ).json()) as {
      messages: { text: string }[];
    };
    await app.say(other, codeIn(history.messages.map((m) => m.text).slice(-1)));
    for (const n of [1, 2]) {
      await makeRequest(app, PARENT, { text: `Open ${n}` });
      app.clock.advance(minutes(11));
    }
    for (const address of [PARENT, other]) {
      await app.say(address, "menu");
      await app.say(address, "1");
      await app.say(address, "Academics");
      await app.say(address, "At the same moment");
    }
    const [first, second] = await Promise.all([app.say(PARENT, "Send"), app.say(other, "Send")]);
    const answers = [...first.texts, ...second.texts].join(" ");
    expect(answers.match(/has been sent to/g)).toHaveLength(1);
    expect(answers).toContain("You already have 3 open requests");
    expect(await ticketsOf(app, PARENT)).toHaveLength(3);
  });
});

describe("a request a guardrail holds back", () => {
  it("is refused before the parent writes it, and what they write is kept where staff find it", async () => {
    const app = await createTestParentline();
    await verifyParent(app, PARENT);
    await makeRequest(app, PARENT, { text: "First question" });
    app.clock.advance(minutes(2));
    await app.say(PARENT, "New request");
    const warned = (await app.say(PARENT, "Academics")).texts.join(" ");
    expect(warned).toContain("new ones wait 8 minutes");
    expect(warned).toContain("If you write your message now, I'll add it to T-1001");

    await app.say(PARENT, "Isla late tomorrow, doctor");
    const sent = (await app.say(PARENT, "Send")).texts.join(" ");
    expect(sent).toContain("I've added what you wrote to T-1001, so the school sees it.");
    expect(await ticketsOf(app, PARENT)).toHaveLength(1);

    const token = await signInStaff(app, STAFF.rao);
    const found = await app.json("GET", "/v1/tickets?q=doctor", undefined, token);
    const body = (await found.json()) as { tickets: { reference: string }[] };
    expect(body.tickets.map((ticket) => ticket.reference)).toEqual(["T-1001"]);
  });

  it("does not hold back an attendance note or 'talk to a person' by the cooldown", async () => {
    const app = await createTestParentline();
    await verifyParent(app, PARENT);
    await makeRequest(app, PARENT, { text: "First question" });
    app.clock.advance(minutes(1));
    const attendance = await makeRequest(app, PARENT, {
      category: "Attendance & leave",
      text: "Chloe is late tomorrow, doctor",
    });
    expect(attendance.join(" ")).toMatch(/Your request T-1002 has been sent/);
    await app.say(PARENT, "Talk to a person");
    const person = await app.say(PARENT, "Please call me about the trip");
    expect(person.texts.join(" ")).toMatch(/has your request T-1003/);
  });

  it("does not hold back an attendance note by the weekly cap", async () => {
    const app = await createTestParentline();
    await verifyParent(app, PARENT);
    for (const n of [1, 2, 3, 4, 5]) {
      await makeRequest(app, PARENT, { text: `Week question ${n}` });
      await app.db.update(schema.tickets).set({ status: "resolved" });
      app.clock.advance(minutes(11));
    }
    const attendance = await makeRequest(app, PARENT, {
      category: "Attendance & leave",
      text: "Chloe is absent today, fever",
    });
    expect(attendance.join(" ")).toMatch(/Your request T-1006 has been sent/);
  });
});

describe("the conditional ticket insert", () => {
  it("refuses, at commit, a ticket whose check passed before a racing one committed", async () => {
    const app = await createTestParentline();
    const [guardian] = await app.db
      .select()
      .from(schema.guardians)
      .where(eq(schema.guardians.phone, PARENT));
    const [link] = await app.db
      .select()
      .from(schema.guardianStudents)
      .where(eq(schema.guardianStudents.guardianId, guardian?.id ?? 0));
    const deps = {
      db: app.db,
      now: app.clock.now,
      secrets: undefined as never,
      config: undefined as never,
      log: app.log,
      phoneChannels: () => ["simulator"],
    } satisfies ServiceDeps;
    const draft = {
      guardianId: guardian?.id ?? 0,
      schoolId: guardian?.schoolId ?? 0,
      studentId: link?.studentId ?? null,
      category: "fees" as const,
      text: "Racing",
      media: [],
      channel: "simulator",
      address: PARENT,
    };
    const one = new UnitOfWork();
    const two = new UnitOfWork();
    // Both pass the check (no tickets yet) before either writes…
    expect((await planParentTicket(deps, one, draft)).status).toBe("created");
    expect((await planParentTicket(deps, two, draft)).status).toBe("created");
    await one.commit(app.db);
    // …and the cooldown, evaluated inside the insert, stops the second.
    await expect(two.commit(app.db)).rejects.toThrow(WriteConflict);
    expect(await ticketsOf(app, PARENT)).toHaveLength(1);
    const messages = await app.db.select().from(schema.ticketMessages);
    expect(messages).toHaveLength(1);
  });
});
