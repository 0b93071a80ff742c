import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { schema } from "../../db";
import {
  createTestParentline,
  DEMO,
  STAFF,
  signInStaff,
  type TestParentline,
  verifyParent,
} from "../support/parentline";

const PARENT = DEMO.parentWithOneChild; // Michael Barnes; Chloe is in 5A
const days = (n: number) => n * 86_400_000;

async function openTicket(app: TestParentline) {
  await verifyParent(app, PARENT);
  await app.say(PARENT, "New request");
  await app.say(PARENT, "Academics");
  await app.say(PARENT, "Is there homework this week?");
  await app.say(PARENT, "Send");
  const [ticket] = await app.db.select().from(schema.tickets);
  if (!ticket) throw new Error("no ticket");
  return { ticket, token: await signInStaff(app, STAFF.rao) };
}

async function setStatus(app: TestParentline, token: string, id: number, status: string) {
  return app.json("PATCH", `/v1/tickets/${id}`, { status }, token);
}

async function lastParentMessages(app: TestParentline, count: number) {
  await app.dispatcher.dispatchDue();
  const response = await app.json("GET", `/dev/chat/history?address=${encodeURIComponent(PARENT)}`);
  const { messages } = (await response.json()) as {
    messages: { text: string; options?: { label: string }[] }[];
  };
  return messages.slice(-count);
}

describe("resolving a ticket", () => {
  it("asks the parent in their chat to rate it, and stores the rating", async () => {
    const app = await createTestParentline();
    const { ticket, token } = await openTicket(app);
    const resolved = await setStatus(app, token, ticket.id, "resolved");
    expect(resolved.status).toBe(200);
    expect(((await resolved.json()) as { status: string }).status).toBe("resolved");
    const [question] = await lastParentMessages(app, 1);
    expect(question?.text).toBe(
      'Ms Rao has marked T-1001 as resolved. How did we do? Reply with a number from 1 (poor) to 5 (excellent). If it isn\'t sorted, choose "Reopen".',
    );
    expect(question?.options?.map((o) => o.label)).toEqual(["1", "2", "3", "4", "5", "Reopen"]);
    const rated = await app.say(PARENT, "4");
    expect(rated.texts[0]).toBe("Thank you for rating us 4 out of 5.");
    expect(rated.texts.at(-1)).toBe("How can I help?");
    const [after] = await app.db
      .select()
      .from(schema.tickets)
      .where(eq(schema.tickets.id, ticket.id));
    expect(after).toMatchObject({ status: "resolved", rating: 4 });
    expect(after?.resolvedAt).toBe(app.clock.now());
  });

  it("waits until the parent is back at the menu before asking", async () => {
    const app = await createTestParentline();
    const { ticket, token } = await openTicket(app);
    app.clock.advance(11 * 60_000);
    await app.say(PARENT, "New request");
    await setStatus(app, token, ticket.id, "resolved");
    expect((await lastParentMessages(app, 1))[0]?.text).toContain("What is it about?");
    // Leaving the request brings the question up…
    const cancelled = await app.say(PARENT, "cancel");
    expect(cancelled.texts).toEqual([
      expect.stringContaining("Ms Rao has marked T-1001 as resolved"),
    ]);
    // …and "menu" there skips it, so it can never trap the parent.
    expect((await app.say(PARENT, "menu")).texts).toEqual(["How can I help?"]);
    expect((await app.say(PARENT, "menu")).texts).toEqual(["How can I help?"]);
  });

  it("lets the parent reopen twice within 7 days, then suggests a new request", async () => {
    const app = await createTestParentline();
    const { ticket, token } = await openTicket(app);
    for (const round of [1, 2]) {
      await setStatus(app, token, ticket.id, "resolved");
      const reopened = await app.say(PARENT, "Reopen");
      expect(reopened.texts[0]).toBe("I've reopened T-1001; the school will get back to you.");
      const [row] = await app.db
        .select()
        .from(schema.tickets)
        .where(eq(schema.tickets.id, ticket.id));
      expect(row).toMatchObject({ status: "open", reopenCount: round });
    }
    await setStatus(app, token, ticket.id, "resolved");
    const refused = await app.say(PARENT, "Reopen");
    expect(refused.texts[0]).toContain("already been reopened 2 times");
    const [row] = await app.db
      .select()
      .from(schema.tickets)
      .where(eq(schema.tickets.id, ticket.id));
    expect(row?.status).toBe("resolved");
  });

  it("refuses to reopen a ticket resolved more than 7 days ago", async () => {
    const app = await createTestParentline();
    const { ticket, token } = await openTicket(app);
    await setStatus(app, token, ticket.id, "resolved");
    app.clock.advance(days(7) + 1);
    // The parent answers a week later: the chat was idle, so the question is put again first.
    const late = await app.say(PARENT, "hello again");
    expect(late.texts[0]).toBe(
      "It's been a while, so I've set aside what we were doing. Here is the menu again.",
    );
    expect(late.texts[1]).toContain("Ms Rao has marked T-1001 as resolved");
    const refused = await app.say(PARENT, "Reopen");
    expect(refused.texts[0]).toBe(
      "This request was resolved more than 7 days ago, so I can't reopen it. Please make a new request from the menu and mention it, or call the office on +14155550100.",
    );
  });

  it("refuses an illegal status change with 409 and says which moves are allowed", async () => {
    const app = await createTestParentline();
    const { ticket, token } = await openTicket(app);
    await setStatus(app, token, ticket.id, "resolved");
    await setStatus(app, token, ticket.id, "closed");
    const illegal = await setStatus(app, token, ticket.id, "open");
    expect(illegal.status).toBe(409);
    expect(await illegal.json()).toEqual({
      error: {
        code: "illegal_transition",
        message: "A ticket that is closed cannot become open",
        details: { from: "closed", to: "open", allowed: [] },
      },
    });
    const audit = await app.db
      .select()
      .from(schema.auditLog)
      .where(eq(schema.auditLog.action, "ticket.status"));
    expect(audit.map((entry) => entry.after)).toEqual([
      { status: "resolved" },
      { status: "closed" },
    ]);
  });

  it("hides another school's ticket behind a 404", async () => {
    const app = await createTestParentline();
    const { ticket } = await openTicket(app);
    const riversideAdmin = await signInStaff(app, "+12125550190");
    expect((await setStatus(app, riversideAdmin, ticket.id, "resolved")).status).toBe(404);
  });
});

describe("what the parent said about the outcome", () => {
  it("keeps free text at the rating prompt and shows it with the rating, by reference too", async () => {
    const app = await createTestParentline();
    const { ticket, token } = await openTicket(app);
    await setStatus(app, token, ticket.id, "resolved");
    await lastParentMessages(app, 1);

    const comment = await app.say(PARENT, "It wasn't in the lost property box");
    expect(comment.texts).toEqual([
      'Thank you, I\'ve added that to T-1001 for Ms Rao. Reply with a number from 1 to 5 to rate it, or choose "Reopen".',
    ]);
    expect((await app.say(PARENT, "2")).texts[0]).toBe("Thank you for rating us 2 out of 5.");

    const byReference = await app.json("GET", "/v1/tickets/T-1001", undefined, token);
    expect(byReference.status).toBe(200);
    const detail = (await byReference.json()) as {
      id: number;
      rating: number;
      ratingComment: string;
      messages: { body: string }[];
    };
    expect(detail).toMatchObject({
      id: ticket.id,
      rating: 2,
      ratingComment: "It wasn't in the lost property box",
    });
    expect(detail.messages.map((m) => m.body)).toContain("It wasn't in the lost property box");

    const listed = await app.json("GET", "/v1/tickets?q=T-1001", undefined, token);
    const list = (await listed.json()) as { tickets: { reference: string; rating: number }[] };
    expect(list.tickets).toEqual([expect.objectContaining({ reference: "T-1001", rating: 2 })]);

    const audited = await app.db.select().from(schema.auditLog);
    expect(audited.map((entry) => entry.action)).toEqual(
      expect.arrayContaining(["ticket.rating_comment", "ticket.rate"]),
    );
    expect((await app.json("GET", "/v1/tickets/T-9999", undefined, token)).status).toBe(404);
    expect((await app.json("GET", "/v1/tickets/X-1", undefined, token)).status).toBe(422);
  });
});
