// The staff desk over HTTP in-process (app.request): what a request without a session gets, who
// may open which page, and the dead letters' retry and its refusal shown next to the message. The
// desk's cookie holds a refresh token, so one from the API opens a desk session here.
import { and, desc, eq, isNotNull } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { schema } from "../../db";
import {
  createTestParentline,
  DEMO,
  makeRequest,
  STAFF,
  type TestParentline,
  verifyParent,
} from "../support/parentline";
import { deskSession, ORIGIN } from "./desk-session";

const { outbox, ticketMessages } = schema;

/** Parks the school's newest row of this kind as a dead letter. */
async function park(app: TestParentline, kind: "reply" | "otp") {
  const [row] = await app.db
    .select()
    .from(outbox)
    .where(and(eq(outbox.kind, kind), isNotNull(outbox.schoolId)))
    .orderBy(desc(outbox.id))
    .limit(1);
  if (!row) throw new Error(`no ${kind} row`);
  await app.db
    .update(outbox)
    .set({ status: "dead", lastError: "provider unavailable", attempts: 5 })
    .where(eq(outbox.id, row.id));
  return row.id;
}

describe("the staff desk without a session", () => {
  it("sends a page load to sign in (and back), a script's request to 401, a form to the sign-in page", async () => {
    const app = await createTestParentline();
    for (const path of [
      "/staff/tickets",
      "/staff/tickets/T-1001",
      "/staff/announcements",
      "/staff/announcements/new",
      "/staff/admin",
      "/staff/admin/roster",
      "/staff/whatsapp-web",
    ]) {
      const page = await app.app.request(path);
      expect(page.status, path).toBe(303);
      expect(page.headers.get("location")).toBe(`/staff?next=${encodeURIComponent(path)}`);
    }
    const stream = await app.app.request("/staff/events", {
      headers: { accept: "text/event-stream" },
    });
    expect(stream.status).toBe(401);
    const before = (await app.db.select().from(ticketMessages)).length;
    const form = await app.app.request(`${ORIGIN}/staff/tickets/T-1001/note`, {
      method: "POST",
      headers: { origin: ORIGIN, "content-type": "application/x-www-form-urlencoded" },
      body: "body=hello",
    });
    expect(form.status).toBe(303);
    expect(form.headers.get("location")).toBe("/staff?ended=1");
    expect((await app.db.select().from(ticketMessages)).length).toBe(before);
  });
});

describe("who may open which desk page", () => {
  it("keeps the admin's pages from office staff, and the admin section from teachers", async () => {
    const app = await createTestParentline();
    const office = await deskSession(app, STAFF.frontOffice);
    expect((await office.get("/staff/admin/dead-letters")).status).toBe(200);
    for (const path of ["/staff/admin/staff", "/staff/admin/roster", "/staff/admin/audit"]) {
      expect((await office.get(path)).status, path).toBe(403);
    }
    expect((await office.get("/staff/whatsapp-web")).status).toBe(403);
    const teacher = await deskSession(app, STAFF.rao);
    expect((await teacher.get("/staff/admin")).status).toBe(403);
    expect((await teacher.get("/staff/admin/dead-letters")).status).toBe(403);
    const refused = await teacher.post("/staff/admin/staff", {
      firstName: "Eve",
      lastName: "Intruder",
      phone: "+14155559003",
      role: "admin",
    });
    expect(refused.status).toBe(403);
    const added = await app.db
      .select()
      .from(schema.staff)
      .where(eq(schema.staff.phone, "+14155559003"));
    expect(added).toEqual([]);
  });
});

describe("the classes a member picks from", () => {
  const queueClasses = (html: string) =>
    [
      ...(html.match(/<select id="class"[\s\S]*?<\/select>/)?.[0] ?? "").matchAll(
        /<option value="\d+"[^>]*>([^<]+)</g,
      ),
    ].map((option) => option[1]);
  const audienceClasses = (html: string) =>
    [...html.matchAll(/name="classes" value="([^"]+)"/g)].map((box) => box[1]);
  const ALL = ["3A", "3B", "4A", "4B", "5A", "5B"];

  it("are a teacher's own classes, in the queue's filter and the announcement's audience", async () => {
    const app = await createTestParentline();
    const teacher = await deskSession(app, STAFF.rao);
    expect(queueClasses(await (await teacher.get("/staff/tickets")).text())).toEqual(["5A"]);
    const composer = await (await teacher.get("/staff/announcements/new")).text();
    expect(audienceClasses(composer)).toEqual(["5A"]);
    expect(composer).not.toContain("The whole school");
  });

  it("are the whole school's for admins, and for office staff in the queue", async () => {
    const app = await createTestParentline();
    const admin = await deskSession(app, STAFF.admin);
    expect(queueClasses(await (await admin.get("/staff/tickets")).text())).toEqual(ALL);
    const composer = await (await admin.get("/staff/announcements/new")).text();
    expect(audienceClasses(composer)).toEqual(ALL);
    expect(composer).toContain("The whole school");
    const office = await deskSession(app, STAFF.frontOffice);
    expect(queueClasses(await (await office.get("/staff/tickets")).text())).toEqual(ALL);
    expect((await office.get("/staff/announcements/new")).status).toBe(403);
  });
});

describe("dead letters in the desk", () => {
  it("sends a message again, and refuses a one-time code next to it, unchanged", async () => {
    const app = await createTestParentline();
    await verifyParent(app, DEMO.parentWithOneChild);
    const reply = await park(app, "reply");
    const office = await deskSession(app, STAFF.frontOffice);
    const code = await park(app, "otp");

    const listed = await (await office.get("/staff/admin/dead-letters")).text();
    expect(listed).toContain(`#${reply}`);
    expect(listed).toContain("Why: provider unavailable");

    const retried = await office.post(`/staff/admin/dead-letters/${reply}/retry`, {
      status: "dead",
    });
    expect(retried.status).toBe(303);
    expect(retried.headers.get("location")).toBe(
      `/staff/admin/dead-letters?status=dead&retried=${reply}`,
    );
    const [row] = await app.db.select().from(outbox).where(eq(outbox.id, reply));
    expect(row?.status).toBe("pending");

    const refused = await office.post(`/staff/admin/dead-letters/${code}/retry`, {
      status: "dead",
    });
    expect(refused.status).toBe(409);
    const html = await refused.text();
    expect(html).toContain(`aria-describedby="retry-error-${code}"`);
    expect(html).toMatch(
      new RegExp(`id="retry-error-${code}">A one-time code is never sent twice`),
    );
    const [otp] = await app.db.select().from(outbox).where(eq(outbox.id, code));
    expect(otp?.status).toBe("dead");
  });
});

describe("a reply's delivery state on the ticket page", () => {
  it("follows the reply's own outbox row, through a fallback to another channel", async () => {
    const app = await createTestParentline();
    await verifyParent(app, DEMO.parentWithOneChild);
    await makeRequest(app, DEMO.parentWithOneChild, { text: "Is the trip on Friday?" });
    const teacher = await deskSession(app, STAFF.rao);
    for (const body of ["First answer", "Second answer"]) {
      expect((await teacher.post("/staff/tickets/T-1001/reply", { body })).status).toBe(303);
    }
    const [first, second] = await app.db
      .select()
      .from(outbox)
      .where(eq(outbox.kind, "staff_reply"))
      .orderBy(outbox.id);
    if (!first || !second) throw new Error("no reply rows");
    // The first reply could not go on its channel and went on by SMS: the dispatcher marks its row
    // failed and queues a copy (planCopy) after the second reply's row, which is delivered.
    await app.db
      .update(outbox)
      .set({ status: "failed", lastError: "outside the 24-hour window; sent by sms instead" })
      .where(eq(outbox.id, first.id));
    const { id: _id, ...copy } = first;
    await app.db.insert(outbox).values({ ...copy, channel: "sms", status: "sent" });
    await app.db.update(outbox).set({ status: "delivered" }).where(eq(outbox.id, second.id));

    const page = await (await teacher.get("/staff/tickets/T-1001")).text();
    const states = [...page.matchAll(/<li class="staff">([\s\S]*?)<\/li>/g)].map((entry) => [
      entry[1]?.match(/<p class="body">([^<]*)</)?.[1],
      entry[1]?.match(/class="badge [a-z]+"[^>]*>([^<]*)</)?.[1],
    ]);
    expect(states).toEqual([
      ["First answer", "Sent"],
      ["Second answer", "Delivered"],
    ]);
  });
});

describe("signing in to the desk", () => {
  it("counts attempts against the same limits as /v1/auth: one budget for both ways in", async () => {
    const app = await createTestParentline();
    const desk = (phone: string) =>
      app.app.request(`${ORIGIN}/staff/sign-in/code`, {
        method: "POST",
        headers: { origin: ORIGIN, "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ phone }).toString(),
      });
    for (let i = 0; i < 5; i++) {
      expect((await app.json("POST", "/v1/auth/otp/request", { phone: STAFF.rao })).status).toBe(
        202,
      );
    }
    for (let i = 0; i < 5; i++) expect((await desk(STAFF.rao)).status).toBe(200);
    const refused = await desk(STAFF.rao);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await refused.text()).toContain("Too many sign-in attempts for this phone");
  });
});

describe("the desk's live events", () => {
  it("end when the desk signs out, and a new stream is refused", async () => {
    const app = await createTestParentline();
    const teacher = await deskSession(app, STAFF.rao);
    const stream = await teacher.get("/staff/events", { accept: "text/event-stream" });
    expect(stream.status).toBe(200);
    const reader = (stream.body as ReadableStream<Uint8Array>).getReader();
    const signedOut = await teacher.post("/staff/sign-out", {});
    expect(signedOut.status).toBe(303);
    const ended = await Promise.race([
      reader.read().then((chunk) => chunk.done),
      new Promise<string>((resolve) => setTimeout(() => resolve("still open"), 2_000)),
    ]);
    expect(ended).toBe(true);
    const again = await teacher.get("/staff/events", { accept: "text/event-stream" });
    expect(again.status).toBe(401);
  });
});
