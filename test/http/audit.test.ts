import { describe, expect, it } from "vitest";
import {
  createTestParentline,
  DEMO,
  signInStaff,
  type TestParentline,
  verifyParent,
} from "../support/parentline";

const PARENT = DEMO.parentWithOneChild;

async function ticketWithReplies(app: TestParentline) {
  await verifyParent(app, PARENT);
  await app.say(PARENT, "New request");
  await app.say(PARENT, "Academics");
  await app.say(PARENT, "Question");
  await app.say(PARENT, "Send");
  const teacher = await signInStaff(app, "+14155550184");
  for (const body of ["One", "Two", "Three"])
    await app.json("POST", "/v1/tickets/1/replies", { body }, teacher);
  await app.json("POST", "/v1/tickets/1/notes", { body: "Internal" }, teacher);
}

describe("GET /v1/audit", () => {
  it("lists the school's staff writes newest first, filtered and paginated, for admins", async () => {
    const app = await createTestParentline();
    await ticketWithReplies(app);
    const admin = await signInStaff(app, "+14155550190");
    const page = async (query: string) =>
      (await (await app.json("GET", `/v1/audit?${query}`, undefined, admin)).json()) as {
        entries: { action: string; entityId: string; before: unknown; after: unknown }[];
        nextCursor: string | null;
      };
    const all = await page("");
    expect(all.entries.map((entry) => entry.action)).toEqual([
      "ticket.note",
      "ticket.reply",
      "ticket.reply",
      "ticket.reply",
    ]);
    expect(all.entries[1]).toMatchObject({
      entityId: "1",
      before: { status: "waiting_for_parent" },
      after: { status: "waiting_for_parent" },
    });
    const first = await page("action=ticket.reply&limit=2");
    expect(first.entries).toHaveLength(2);
    const second = await page(`action=ticket.reply&limit=2&cursor=${first.nextCursor}`);
    expect(second.entries).toHaveLength(1);
    expect(second.nextCursor).toBeNull();
  });

  it("is for admins of that school only", async () => {
    const app = await createTestParentline();
    await ticketWithReplies(app);
    const teacher = await signInStaff(app, "+14155550184");
    expect((await app.json("GET", "/v1/audit", undefined, teacher)).status).toBe(403);
    const riverside = await signInStaff(app, "+12125550190");
    const other = (await (await app.json("GET", "/v1/audit", undefined, riverside)).json()) as {
      entries: unknown[];
    };
    expect(other.entries).toEqual([]);
    expect((await app.json("GET", "/v1/audit")).status).toBe(401);
  });
});
