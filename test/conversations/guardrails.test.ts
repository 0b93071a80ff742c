import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { schema, WriteConflict } from "../../db";
import type { ServiceDeps } from "../../src/services/deps";
import { planParentTicket } from "../../src/services/tickets";
import { UnitOfWork } from "../../src/services/unit-of-work";
import {
  codeIn,
  createTestParentline,
  DEMO,
  makeRequest,
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
    expect((await makeRequest(app, PARENT, { text: "Second" })).join(" ")).toContain(
      "You can make another one in 3 minutes",
    );
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
