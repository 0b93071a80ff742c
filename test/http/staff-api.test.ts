// The staff API end to end: sign-in by one-time code, access tokens, and the ticket queue a parent's
// request lands in — who may see it, replying, and paging.
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { schema } from "../../db";
import {
  codeIn,
  createTestParentline,
  DEMO,
  signInStaff,
  type TestParentline,
  verifyParent,
} from "../support/parentline";

const PARENT = DEMO.parentWithOneChild; // Greenfield, one child in 5A
const UNKNOWN_PHONE = "+14155559999";
const minutes = (n: number) => n * 60_000;

interface DemoStaff {
  id: number;
  name: string;
  role: "teacher" | "office" | "admin";
  officeFunction: string | null;
  phone: string;
  classes: string[];
}

interface DemoDirectory {
  schools: { id: number; name: string; staff: DemoStaff[] }[];
}

/** The staff member of the named school that matches, read from /dev/demo. */
async function staffOf(
  app: TestParentline,
  school: string,
  matches: (member: DemoStaff) => boolean,
): Promise<DemoStaff> {
  const demo = (await (await app.json("GET", "/dev/demo")).json()) as DemoDirectory;
  const member = demo.schools
    .find((candidate) => candidate.name.startsWith(school))
    ?.staff.find(matches);
  if (!member) throw new Error(`no such staff member at ${school}`);
  return member;
}

const classTeacherOf5A = (app: TestParentline) =>
  staffOf(app, "Greenfield", (m) => m.role === "teacher" && m.classes.join() === "5A");
const greenfieldAdmin = (app: TestParentline) =>
  staffOf(app, "Greenfield", (m) => m.role === "admin");
const transportOffice = (app: TestParentline) =>
  staffOf(app, "Greenfield", (m) => m.officeFunction === "transport");
const riversideAdmin = (app: TestParentline) =>
  staffOf(app, "Riverside", (m) => m.role === "admin");

async function historyOf(app: TestParentline, phone: string) {
  const response = await app.json("GET", `/dev/chat/history?address=${encodeURIComponent(phone)}`);
  expect(response.status).toBe(200);
  return ((await response.json()) as { messages: { text: string; kind?: string }[] }).messages;
}

/** Asks for a staff code and returns the one that arrived on the phone. */
async function requestCode(app: TestParentline, phone: string): Promise<string> {
  const response = await app.json("POST", "/v1/auth/otp/request", { phone });
  expect(response.status).toBe(202);
  await app.dispatcher.dispatchDue();
  return codeIn((await historyOf(app, phone)).map((m) => m.text).slice(-1));
}

const verify = (app: TestParentline, phone: string, code: string) =>
  app.json("POST", "/v1/auth/otp/verify", { phone, code });

const wrongCodeFor = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, "0");

async function expectInvalidCode(response: Response) {
  expect(response.status).toBe(401);
  expect(((await response.json()) as { error: { code: string } }).error.code).toBe("invalid_code");
}

async function expectUnauthorized(response: Response) {
  expect(response.status).toBe(401);
  expect(((await response.json()) as { error: { code: string } }).error.code).toBe("unauthorized");
}

/** The parent asks a new question through the menu; returns the ticket reference. */
async function openTicket(app: TestParentline, phone: string, text: string): Promise<string> {
  expect((await app.say(phone, "1")).texts.join(" ")).toContain("What is it about?");
  expect((await app.say(phone, "1")).texts.join(" ")).toContain("about Academics");
  await app.say(phone, text);
  const sent = await app.say(phone, "Send");
  const reference = sent.texts[0]?.match(/Your request (T-\d+) has been sent/)?.[1];
  if (!reference) throw new Error(`no ticket created: ${sent.texts.join(" | ")}`);
  return reference;
}

interface TicketSummary {
  id: number;
  reference: string;
  status: string;
}

interface TicketDetail extends TicketSummary {
  category: string;
  student: { name: string; className: string } | null;
  messages: { authorType: string; authorStaffId: number | null; body: string }[];
}

async function listTickets(app: TestParentline, token: string, query = "") {
  const response = await app.json("GET", `/v1/tickets${query}`, undefined, token);
  expect(response.status).toBe(200);
  return (await response.json()) as { tickets: TicketSummary[]; nextCursor: string | null };
}

/** A verified parent with one Academics ticket, its id (found by the admin) and the parent's text. */
async function parentWithTicket(app: TestParentline) {
  const text = "Is there homework this week?";
  await verifyParent(app, PARENT);
  const reference = await openTicket(app, PARENT, text);
  const adminToken = await signInStaff(app, (await greenfieldAdmin(app)).phone);
  const ticket = (await listTickets(app, adminToken)).tickets.find(
    (t) => t.reference === reference,
  );
  if (!ticket) throw new Error(`the admin cannot find ${reference}`);
  return { id: ticket.id, reference, text, adminToken };
}

describe("staff sign-in by one-time code", () => {
  it("answers a code request the same for staff, parent and unknown phones; only staff get a code", async () => {
    const app = await createTestParentline();
    const teacher = await classTeacherOf5A(app);
    const answers = [];
    for (const phone of [teacher.phone, PARENT, UNKNOWN_PHONE]) {
      const response = await app.json("POST", "/v1/auth/otp/request", { phone });
      answers.push({ status: response.status, body: await response.text() });
    }
    expect(answers[0]?.status).toBe(202);
    expect(answers[1]).toEqual(answers[0]);
    expect(answers[2]).toEqual(answers[0]);

    await app.dispatcher.dispatchDue();
    const teacherInbox = await historyOf(app, teacher.phone);
    expect(teacherInbox).toHaveLength(1);
    expect(teacherInbox[0]?.kind).toBe("otp");
    expect(codeIn([teacherInbox[0]?.text ?? ""])).toMatch(/^\d{6}$/);
    expect(await historyOf(app, PARENT)).toEqual([]);
    expect(await historyOf(app, UNKNOWN_PHONE)).toEqual([]);
    expect(await app.db.select().from(schema.otpCodes)).toHaveLength(1);
  });

  it("signs in with the right code and says who signed in", async () => {
    const app = await createTestParentline();
    const teacher = await classTeacherOf5A(app);
    const response = await verify(app, teacher.phone, await requestCode(app, teacher.phone));
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      tokenType: "Bearer",
      expiresIn: 900,
      accessToken: expect.any(String),
      staff: { id: teacher.id, name: teacher.name, role: "teacher", officeFunction: null },
    });
  });

  it("refuses a wrong code with 401 invalid_code", async () => {
    const app = await createTestParentline();
    const teacher = await classTeacherOf5A(app);
    const code = await requestCode(app, teacher.phone);
    await expectInvalidCode(await verify(app, teacher.phone, wrongCodeFor(code)));
  });

  it("refuses the code from another phone", async () => {
    const app = await createTestParentline();
    const teacher = await classTeacherOf5A(app);
    const admin = await greenfieldAdmin(app);
    const code = await requestCode(app, teacher.phone);
    await expectInvalidCode(await verify(app, admin.phone, code));
    expect((await verify(app, teacher.phone, code)).status).toBe(200);
  });

  it("kills a code after 5 wrong tries, so the right one then fails", async () => {
    const app = await createTestParentline();
    const teacher = await classTeacherOf5A(app);
    const code = await requestCode(app, teacher.phone);
    for (let attempt = 0; attempt < 5; attempt += 1) {
      await expectInvalidCode(await verify(app, teacher.phone, wrongCodeFor(code)));
    }
    await expectInvalidCode(await verify(app, teacher.phone, code));
  });

  it("still accepts the right code after 4 wrong tries", async () => {
    const app = await createTestParentline();
    const teacher = await classTeacherOf5A(app);
    const code = await requestCode(app, teacher.phone);
    for (let attempt = 0; attempt < 4; attempt += 1) {
      await expectInvalidCode(await verify(app, teacher.phone, wrongCodeFor(code)));
    }
    expect((await verify(app, teacher.phone, code)).status).toBe(200);
  });

  it("refuses a code after 10 minutes", async () => {
    const app = await createTestParentline();
    const teacher = await classTeacherOf5A(app);
    const code = await requestCode(app, teacher.phone);
    app.clock.advance(minutes(11));
    await expectInvalidCode(await verify(app, teacher.phone, code));
  });

  it("accepts a code only once", async () => {
    const app = await createTestParentline();
    const teacher = await classTeacherOf5A(app);
    const code = await requestCode(app, teacher.phone);
    expect((await verify(app, teacher.phone, code)).status).toBe(200);
    await expectInvalidCode(await verify(app, teacher.phone, code));
  });
});

describe("access tokens", () => {
  it("are required: no token is 401", async () => {
    const app = await createTestParentline();
    await expectUnauthorized(await app.json("GET", "/v1/tickets"));
  });

  it("must be well formed Bearer tokens", async () => {
    const app = await createTestParentline();
    for (const authorization of [
      "Bearer",
      "Bearer not-a-jwt",
      "Bearer a.b.c",
      "Basic dXNlcjpwYXNz",
      "eyJhbGciOiJIUzI1NiJ9.e30.x",
    ]) {
      const response = await app.app.request("/v1/tickets", { headers: { authorization } });
      await expectUnauthorized(response);
    }
  });

  it("whose payload was altered are refused", async () => {
    const app = await createTestParentline();
    const teacher = await classTeacherOf5A(app);
    const admin = await greenfieldAdmin(app);
    const token = await signInStaff(app, teacher.phone);
    const [header, payload, signature] = token.split(".");
    const claims = JSON.parse(Buffer.from(payload ?? "", "base64url").toString("utf8"));
    expect(claims.sub).toBe(String(teacher.id));
    const forged = Buffer.from(
      JSON.stringify({ ...claims, sub: String(admin.id), roles: ["admin"] }),
    ).toString("base64url");
    await expectUnauthorized(
      await app.json("GET", "/v1/tickets", undefined, `${header}.${forged}.${signature}`),
    );
    const unsigned = `${Buffer.from(JSON.stringify({ alg: "none", typ: "JWT" })).toString("base64url")}.${payload}.`;
    await expectUnauthorized(await app.json("GET", "/v1/tickets", undefined, unsigned));
  });

  it("signed with another APP_SECRET are refused", async () => {
    const app = await createTestParentline();
    // The same staff in the same database: only the signing secret differs.
    const other = await createTestParentline(
      { APP_SECRET: "another-secret-".repeat(4) },
      { db: app.db },
    );
    const teacher = await classTeacherOf5A(app);
    const foreignToken = await signInStaff(other, teacher.phone);
    expect((await other.json("GET", "/v1/tickets", undefined, foreignToken)).status).toBe(200);
    await expectUnauthorized(await app.json("GET", "/v1/tickets", undefined, foreignToken));
  });

  it("expire after 15 minutes", async () => {
    const app = await createTestParentline();
    const token = await signInStaff(app, (await classTeacherOf5A(app)).phone);
    app.clock.advance(minutes(14));
    expect((await app.json("GET", "/v1/tickets", undefined, token)).status).toBe(200);
    app.clock.advance(minutes(2));
    await expectUnauthorized(await app.json("GET", "/v1/tickets", undefined, token));
  });
});

describe("the ticket queue", () => {
  it("shows a parent's Academics request to the 5A class teacher with the parent's message", async () => {
    const app = await createTestParentline();
    const { id, reference, text } = await parentWithTicket(app);
    const teacher = await classTeacherOf5A(app);
    const token = await signInStaff(app, teacher.phone);

    const list = await listTickets(app, token);
    expect(list.tickets.map((t) => t.reference)).toEqual([reference]);
    const response = await app.json("GET", `/v1/tickets/${id}`, undefined, token);
    expect(response.status).toBe(200);
    const ticket = (await response.json()) as TicketDetail;
    expect(ticket).toMatchObject({
      id,
      reference,
      status: "open",
      category: "academics",
      student: { className: "5A" },
    });
    expect(ticket.messages).toEqual([
      expect.objectContaining({ authorType: "parent", body: text, authorStaffId: null }),
    ]);
  });

  it("shows it to the admin of the same school", async () => {
    const app = await createTestParentline();
    const { id, reference, adminToken } = await parentWithTicket(app);
    expect((await listTickets(app, adminToken)).tickets.map((t) => t.reference)).toContain(
      reference,
    );
    expect((await app.json("GET", `/v1/tickets/${id}`, undefined, adminToken)).status).toBe(200);
  });

  it("hides it from the transport office", async () => {
    const app = await createTestParentline();
    const { id } = await parentWithTicket(app);
    const token = await signInStaff(app, (await transportOffice(app)).phone);
    expect((await listTickets(app, token)).tickets.map((t) => t.id)).not.toContain(id);
    expect((await app.json("GET", `/v1/tickets/${id}`, undefined, token)).status).toBe(404);
    const reply = await app.json("POST", `/v1/tickets/${id}/replies`, { body: "Hi" }, token);
    expect(reply.status).toBe(404);
  });

  it("hides it from another school's staff, even its admin", async () => {
    const app = await createTestParentline();
    const { id } = await parentWithTicket(app);
    const token = await signInStaff(app, (await riversideAdmin(app)).phone);
    expect((await listTickets(app, token)).tickets.map((t) => t.id)).not.toContain(id);
    const response = await app.json("GET", `/v1/tickets/${id}`, undefined, token);
    expect(response.status).toBe(404);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe("not_found");
    const reply = await app.json("POST", `/v1/tickets/${id}/replies`, { body: "Hi" }, token);
    expect(reply.status).toBe(404);
    const [stored] = await app.db.select().from(schema.tickets).where(eq(schema.tickets.id, id));
    expect(stored?.status).toBe("open");
  });

  it("sends the class teacher's reply to the parent and records it", async () => {
    const app = await createTestParentline();
    const { id, reference } = await parentWithTicket(app);
    const teacher = await classTeacherOf5A(app);
    const token = await signInStaff(app, teacher.phone);
    const answer = "Yes: reading pages 10 to 12.";

    const response = await app.json("POST", `/v1/tickets/${id}/replies`, { body: answer }, token);
    expect(response.status).toBe(201);
    expect(await response.json()).toMatchObject({
      ticketId: id,
      reference,
      status: "waiting_for_parent",
      id: expect.any(Number),
    });

    const ticket = (await (
      await app.json("GET", `/v1/tickets/${id}`, undefined, token)
    ).json()) as TicketDetail;
    expect(ticket.status).toBe("waiting_for_parent");
    expect(ticket.messages.map((m) => m.authorType)).toEqual(["parent", "staff"]);
    expect(ticket.messages[1]).toMatchObject({ body: answer, authorStaffId: teacher.id });

    await app.dispatcher.dispatchDue();
    const replies = (await historyOf(app, PARENT)).filter((m) => m.kind === "staff_reply");
    expect(replies).toHaveLength(1);
    expect(replies[0]?.text.startsWith(`${reference} `)).toBe(true);
    expect(replies[0]?.text).toMatch(/^T-\d+/);
    expect(replies[0]?.text).toContain(answer);

    const audit = await app.db
      .select()
      .from(schema.auditLog)
      .where(
        and(eq(schema.auditLog.action, "ticket.reply"), eq(schema.auditLog.entityId, String(id))),
      );
    expect(audit).toEqual([
      expect.objectContaining({
        actorType: "staff",
        actorId: teacher.id,
        entity: "ticket",
        before: { status: "open" },
        after: { status: "waiting_for_parent" },
      }),
    ]);
  });

  it("answers 404 to a reply to an unknown ticket", async () => {
    const app = await createTestParentline();
    const token = await signInStaff(app, (await greenfieldAdmin(app)).phone);
    const response = await app.json("POST", "/v1/tickets/999999/replies", { body: "Hi" }, token);
    expect(response.status).toBe(404);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe("not_found");
    expect(await app.db.select().from(schema.ticketMessages)).toEqual([]);
    expect(await app.db.select().from(schema.auditLog)).toEqual([]);
  });

  it("pages with a cursor, newest first, without overlap", async () => {
    const app = await createTestParentline();
    await verifyParent(app, PARENT);
    const references: string[] = [];
    for (const text of ["First question", "Second question", "Third question"]) {
      references.push(await openTicket(app, PARENT, text));
      app.clock.advance(minutes(11)); // past the cooldown between two new requests
    }
    const token = await signInStaff(app, (await classTeacherOf5A(app)).phone);

    const first = await listTickets(app, token, "?limit=2");
    expect(first.tickets).toHaveLength(2);
    expect(first.nextCursor).not.toBeNull();
    const second = await listTickets(
      app,
      token,
      `?limit=2&cursor=${encodeURIComponent(first.nextCursor ?? "")}`,
    );
    expect(second.tickets).toHaveLength(1);
    expect(second.nextCursor).toBeNull();

    const firstIds = first.tickets.map((t) => t.id);
    const secondIds = second.tickets.map((t) => t.id);
    expect(firstIds.filter((id) => secondIds.includes(id))).toEqual([]);
    expect([...first.tickets, ...second.tickets].map((t) => t.reference)).toEqual(
      [...references].reverse(),
    );

    const whole = await listTickets(app, token, "?limit=3");
    expect(whole.tickets).toHaveLength(3);
    expect(whole.nextCursor).toBeNull();
  });
});
