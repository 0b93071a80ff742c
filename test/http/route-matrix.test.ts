// Walks every /v1 route in the OpenAPI document (so a new route cannot be forgotten): without a
// token each is 401 unless it is one of the sign-in routes; each role of the route's own school is
// allowed (2xx) or refused (403, every table unchanged) as ROLE_RULES says, and a route missing
// from ROLE_RULES fails the test; another school's staff get 404 for every id of this school and
// see none of its data. A deactivated admin's still-valid token gets 401 everywhere, a demoted
// admin's acts as a teacher's, and neither changes anything it is refused.
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { schema } from "../../db";
import { DEFAULT_LIMITS } from "../../src/domain";
import { snapshotDatabase } from "../support/database-snapshot";
import {
  createTestParentline,
  DEMO,
  STAFF,
  signInStaff,
  type TestParentline,
  verifyParent,
} from "../support/parentline";

const PUBLIC = new Set([
  "post /v1/auth/otp/request",
  "post /v1/auth/otp/verify",
  "post /v1/auth/refresh",
  "post /v1/auth/logout",
]);
/** Routes a school's system calls with an API key: no staff token opens them. */
const API_KEY_ROUTES = new Set(["post /v1/integrations/events"]);

type Role = "teacher" | "office" | "admin";
const ROLES: Role[] = ["teacher", "office", "admin"];
const everyone = { teacher: true, office: true, admin: true };
const officeAndAdmin = { teacher: false, office: true, admin: true };
const adminOnly = { teacher: false, office: false, admin: true };
const announcers = { teacher: true, office: false, admin: true };

/** Who may call each route (true) and who gets 403 (false). Every non-public route must be here. */
const ROLE_RULES: Record<string, Record<Role, boolean>> = {
  "get /v1/tickets": everyone,
  "get /v1/tickets/{id}": everyone,
  "patch /v1/tickets/{id}": everyone,
  "post /v1/tickets/{id}/replies": everyone,
  "post /v1/tickets/{id}/notes": everyone,
  "get /v1/guardians": everyone,
  "post /v1/guardians/{id}/flag": officeAndAdmin,
  "delete /v1/guardians/{id}/flag": officeAndAdmin,
  "get /v1/guardians/{id}/guardrails": everyone,
  "post /v1/guardrails/check": everyone,
  "get /v1/canned-replies": everyone,
  "post /v1/canned-replies": officeAndAdmin,
  "patch /v1/canned-replies/{id}": officeAndAdmin,
  "delete /v1/canned-replies/{id}": officeAndAdmin,
  "get /v1/school/guardrails": everyone,
  "put /v1/school/guardrails": adminOnly,
  "get /v1/school/staff-alerts": everyone,
  "put /v1/school/staff-alerts": adminOnly,
  "get /v1/classes": everyone,
  "get /v1/students": everyone,
  "get /v1/staff": everyone,
  "get /v1/audit": adminOnly,
  "post /v1/classes": adminOnly,
  "patch /v1/classes/{id}": adminOnly,
  "post /v1/students": adminOnly,
  "patch /v1/students/{id}": adminOnly,
  "post /v1/guardians": adminOnly,
  "patch /v1/guardians/{id}": adminOnly,
  "post /v1/staff": adminOnly,
  "patch /v1/staff/{id}": adminOnly,
  "post /v1/import/roster": adminOnly,
  "get /v1/events": everyone,
  "get /v1/outbox": officeAndAdmin,
  "post /v1/outbox/{id}/retry": officeAndAdmin,
  "post /v1/announcements": announcers,
  "post /v1/announcements/preview": announcers,
  "get /v1/announcements": everyone,
  "get /v1/announcements/{id}": everyone,
  "post /v1/announcements/{id}/cancel": announcers,
  "get /v1/guardians/{id}/preferences": officeAndAdmin,
  "put /v1/guardians/{id}/preferences": officeAndAdmin,
  "get /v1/staff/me/alerts": everyone,
  "put /v1/staff/me/alerts": everyone,
  "get /v1/reports/tickets": everyone,
  "get /v1/reports/announcements": everyone,
  "get /v1/exports/tickets.csv": everyone,
  "get /v1/exports/announcements/{id}/recipients.csv": everyone,
  "get /v1/jobs": adminOnly,
  "get /v1/api-keys": adminOnly,
  "post /v1/api-keys": adminOnly,
  "delete /v1/api-keys/{id}": adminOnly,
  "post /v1/integrations/events.csv": adminOnly,
};

/** Another school's allowed call that names this school's ids in its body rather than its path. */
const CROSS_SCHOOL_STATUS: Record<string, number> = {
  "post /v1/guardrails/check": 404,
  "post /v1/students": 422,
  "post /v1/announcements": 422,
  "post /v1/announcements/preview": 422,
  "post /v1/integrations/events.csv": 422,
};

/**
 * A Greenfield child in 5A, Ms Rao's class, by admission number (class names change during the
 * matrix: an admin renames class 5); another school does not know the number.
 */
const FIVE_A = { kind: "students", admissionNumbers: ["GF-2024-003"] };
/** A scheduled announcement can still be cancelled. */
const SCHEDULED_TO_5A = {
  audience: FIVE_A,
  text: "Matrix announcement",
  scheduledAt: "2027-01-04T16:00:00Z",
};
const ROSTER =
  "admission_no,first_name,last_name,class,guardian_name,guardian_phone\nM-1,Matrix,Pupil,7A,Matrix Parent,+13125550190\n";

/** Chloe of 5A absent: another school does not know the number. */
const EVENTS_CSV =
  "type,admission_no,date,period,status\nattendance.marked,GF-2024-003,2026-11-23,AM,absent\n";

/** A body each write route accepts, so the request gets past validation to the access checks. */
const BODIES: Record<string, (role: Role) => unknown> = {
  "post /v1/tickets/{id}/replies": () => ({ body: "Hello" }),
  "post /v1/tickets/{id}/notes": () => ({ body: "Note" }),
  "put /v1/staff/me/alerts": () => ({ mode: "summary" }),
  "patch /v1/tickets/{id}": () => ({ priority: "urgent" }),
  "post /v1/guardians/{id}/flag": () => ({ reason: "Testing isolation" }),
  "post /v1/guardrails/check": () => ({ guardianId: 2 }),
  "post /v1/canned-replies": (role) => ({ title: `Matrix ${role}`, body: "Body" }),
  "patch /v1/canned-replies/{id}": () => ({ body: "Changed" }),
  "put /v1/school/guardrails": () => DEFAULT_LIMITS,
  "put /v1/school/staff-alerts": () => ({ slaReminderMinutes: 90 }),
  "post /v1/classes": (role) => ({ grade: 9, section: role.slice(0, 3) }),
  "patch /v1/classes/{id}": (role) => ({ name: `Renamed ${role}` }),
  // Greenfield's 5A; another school's admin gets 422 for it.
  "post /v1/students": (role) => ({
    admissionNo: `M-${role}`,
    firstName: "Matrix",
    lastName: "Student",
    classId: 5,
  }),
  "patch /v1/students/{id}": () => ({ firstName: "Renamed" }),
  "post /v1/guardians": (role) => ({
    firstName: "Matrix",
    lastName: "Guardian",
    phone: `+1312555017${ROLES.indexOf(role)}`,
  }),
  "patch /v1/guardians/{id}": () => ({ language: "es" }),
  "post /v1/staff": (role) => ({
    firstName: "Matrix",
    lastName: "Teacher",
    phone: `+1312555018${ROLES.indexOf(role)}`,
    role: "teacher",
  }),
  "patch /v1/staff/{id}": () => ({ title: "Dr" }),
  "post /v1/import/roster": () => ROSTER,
  "post /v1/api-keys": (role) => ({ name: `Matrix ${role}` }),
  "post /v1/integrations/events.csv": () => EVENTS_CSV,
  "post /v1/announcements": () => ({ audience: FIVE_A, text: "Matrix announcement" }),
  "post /v1/announcements/preview": () => ({ audience: FIVE_A }),
  "put /v1/guardians/{id}/preferences": () => ({ announcements: "digest" }),
};

interface OpenApi {
  paths: Record<string, Record<string, unknown>>;
}
interface Route {
  method: string;
  path: string;
  key: string;
}

async function routes(app: TestParentline): Promise<Route[]> {
  const doc = (await (await app.json("GET", "/v1/openapi.json")).json()) as OpenApi;
  return Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.keys(methods).map((method) => ({ method, path, key: `${method} ${path}` })),
  );
}

/**
 * Greenfield's ids for each kind of resource in a path: a ticket every matrix persona can see
 * (about a 5A child, Ms Rao's class, in the front office's category), and a canned reply.
 */
async function greenfieldIds(app: TestParentline) {
  await verifyParent(app, DEMO.parentWithOneChild);
  for (const text of ["New request", "Other", "A question", "Send"])
    await app.say(DEMO.parentWithOneChild, text);
  const admin = await signInStaff(app, STAFF.admin);
  const deadLetter = await parkOneGreenfieldReply(app);
  const canned = (await (
    await app.json("POST", "/v1/canned-replies", { title: "Greenfield only", body: "x" }, admin)
  ).json()) as { id: number };
  const announcement = await scheduleAnnouncement(app, admin);
  const apiKey = (await (
    await app.json("POST", "/v1/api-keys", { name: "Greenfield only" }, admin)
  ).json()) as { id: number };
  return {
    admin,
    ids: {
      tickets: 1,
      guardians: 2,
      "canned-replies": canned.id,
      classes: 5,
      students: 1,
      staff: 1,
      outbox: deadLetter,
      announcements: announcement,
      "api-keys": apiKey.id,
    } as Record<string, number>,
  };
}

/** A scheduled announcement to 5A by the given staff member: one that can be cancelled. */
async function scheduleAnnouncement(app: TestParentline, token: string): Promise<number> {
  const created = await app.json("POST", "/v1/announcements", SCHEDULED_TO_5A, token);
  if (created.status !== 201) throw new Error(`announcement failed: ${await created.text()}`);
  return ((await created.json()) as { id: number }).id;
}

/** Parks one of Greenfield's sent replies as a dead letter (again), so a retry has something to take. */
async function parkOneGreenfieldReply(app: TestParentline): Promise<number> {
  const [row] = await app.db
    .select({ id: schema.outbox.id })
    .from(schema.outbox)
    .where(and(eq(schema.outbox.schoolId, 1), eq(schema.outbox.kind, "reply")))
    .limit(1);
  if (!row) throw new Error("no Greenfield reply in the outbox");
  await app.db
    .update(schema.outbox)
    .set({ status: "dead", lastError: "parked by the test" })
    .where(eq(schema.outbox.id, row.id));
  return row.id;
}

/**
 * The ids a call of this route uses: a resource of its own where an allowed call would use one up.
 * `admin` makes what it needs; `announcer` schedules the announcement a cancel cancels (teachers
 * cancel only their own).
 */
let cannedMade = 0;
async function idsFor(
  app: TestParentline,
  route: Route,
  ids: Record<string, number>,
  admin: string,
  announcer: string,
): Promise<Record<string, number>> {
  if (route.key === "delete /v1/canned-replies/{id}") {
    const fresh = await app.json(
      "POST",
      "/v1/canned-replies",
      { title: `To delete ${++cannedMade}`, body: "x" },
      admin,
    );
    return { ...ids, "canned-replies": ((await fresh.json()) as { id: number }).id };
  }
  // Each allowed retry takes the dead letter back to pending: park it again first.
  if (route.key === "post /v1/outbox/{id}/retry") await parkOneGreenfieldReply(app);
  if (route.key === "post /v1/announcements/{id}/cancel")
    return { ...ids, announcements: await scheduleAnnouncement(app, announcer) };
  return ids;
}

const fill = (path: string, ids: Record<string, number>) =>
  path.replace(/\/([a-z-]+)\/\{id\}/, (_whole, kind: string) => `/${kind}/${ids[kind] ?? 1}`);

async function call(app: TestParentline, route: Route, path: string, role: Role, token?: string) {
  const body = BODIES[route.key]?.(role);
  if (route.key === "get /v1/events") {
    // The stream stays open: its status (and headers) are the answer; nothing has happened yet.
    const response = await app.json("GET", path, undefined, token);
    await response.body?.cancel();
    return new Response(null, { status: response.status });
  }
  if (typeof body !== "string") return app.json(route.method.toUpperCase(), path, body, token);
  // A CSV upload goes as it is.
  return app.app.request(path, {
    method: route.method.toUpperCase(),
    headers: { "content-type": "text/csv", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body,
  });
}

/** The first active member of a school with this role (an office member of the front desk). */
async function memberOf(app: TestParentline, slug: string, role: Role) {
  const found = await app.db
    .select()
    .from(schema.staff)
    .innerJoin(schema.schools, eq(schema.schools.id, schema.staff.schoolId))
    .where(eq(schema.schools.slug, slug));
  const member = found.find(
    (row) => row.staff.role === role && (role !== "office" || row.staff.officeFunction === "front"),
  );
  if (!member) throw new Error(`no ${role} at ${slug}`);
  return member.staff.phone;
}

/**
 * Greenfield's admin, signed in, then changed by a second admin (who is signed in too): their
 * access token is still within its 15 minutes.
 */
async function changedAdmin(app: TestParentline, admin: string, change: Record<string, unknown>) {
  const appointed = await app.json(
    "POST",
    "/v1/staff",
    { firstName: "Second", lastName: "Admin", phone: "+13125550160", role: "admin" },
    admin,
  );
  if (appointed.status !== 201) throw new Error(`appointing failed: ${await appointed.text()}`);
  const second = await signInStaff(app, "+13125550160");
  const [row] = await app.db
    .select({ id: schema.staff.id })
    .from(schema.staff)
    .where(eq(schema.staff.phone, STAFF.admin));
  const adminId = row?.id as number;
  const changed = await app.json("PATCH", `/v1/staff/${adminId}`, change, second);
  if (changed.status !== 200) throw new Error(`change failed: ${await changed.text()}`);
  return { second, adminId };
}

describe("every /v1 route", () => {
  it("needs a token unless it signs in", async () => {
    const app = await createTestParentline();
    const all = await routes(app);
    expect(all.length).toBeGreaterThan(20);
    for (const route of all) {
      if (PUBLIC.has(route.key)) continue;
      const response = await call(app, route, fill(route.path, {}), "admin");
      expect([route.key, response.status]).toEqual([route.key, 401]);
    }
  });

  it("has a role rule, and the rule table names no route that is gone", async () => {
    const app = await createTestParentline();
    const keys = (await routes(app)).map((route) => route.key);
    expect(
      keys.filter((key) => !PUBLIC.has(key) && !API_KEY_ROUTES.has(key) && !ROLE_RULES[key]),
    ).toEqual([]);
    expect(Object.keys(ROLE_RULES).filter((key) => !keys.includes(key))).toEqual([]);
  });

  it("refuses every staff token on the routes a school's system calls with an API key, changing nothing", async () => {
    const app = await createTestParentline();
    const { ids } = await greenfieldIds(app);
    const keyRoutes = (await routes(app)).filter((route) => API_KEY_ROUTES.has(route.key));
    expect(keyRoutes.length).toBe(API_KEY_ROUTES.size);
    for (const phone of [STAFF.rao, STAFF.frontOffice, STAFF.admin]) {
      const token = await signInStaff(app, phone);
      const before = snapshotDatabase(app.db);
      for (const route of keyRoutes) {
        const response = await call(app, route, fill(route.path, ids), "admin", token);
        expect([route.key, response.status]).toEqual([route.key, 401]);
        expect([route.key, snapshotDatabase(app.db)]).toEqual([route.key, before]);
      }
    }
  });

  it("lets each role of the school do what its rule allows, and refuses the rest with 403", async () => {
    const app = await createTestParentline();
    const { admin, ids } = await greenfieldIds(app);
    const personas: Record<Role, string> = {
      teacher: STAFF.rao,
      office: STAFF.frontOffice,
      admin: STAFF.admin,
    };
    for (const role of ROLES) {
      const token = await signInStaff(app, personas[role]);
      for (const route of await routes(app)) {
        const rule = ROLE_RULES[route.key];
        if (!rule) continue;
        const routeIds = await idsFor(app, route, ids, admin, role === "office" ? admin : token);
        const before = snapshotDatabase(app.db);
        const response = await call(app, route, fill(route.path, routeIds), role, token);
        const outcome =
          response.status >= 200 && response.status < 300 ? "allowed" : response.status;
        expect([route.key, role, outcome]).toEqual([route.key, role, rule[role] ? "allowed" : 403]);
        // A refusal has no effect at all.
        if (!rule[role])
          expect([route.key, role, snapshotDatabase(app.db)]).toEqual([route.key, role, before]);
      }
    }
  });

  it("keeps one school's data from every role of another school", async () => {
    const app = await createTestParentline();
    const { ids } = await greenfieldIds(app);
    for (const role of ROLES) {
      const riverside = await signInStaff(app, await memberOf(app, "riverside", role));
      for (const route of await routes(app)) {
        const rule = ROLE_RULES[route.key];
        if (!rule) continue;
        const response = await call(app, route, fill(route.path, ids), role, riverside);
        const text = await response.text();
        // A role refusal is decided before any lookup, so it says nothing about the resource.
        if (!rule[role]) {
          expect([route.key, role, response.status]).toEqual([route.key, role, 403]);
        } else if (route.path.includes("{id}") || CROSS_SCHOOL_STATUS[route.key]) {
          const expected = CROSS_SCHOOL_STATUS[route.key] ?? 404;
          expect([route.key, role, response.status]).toEqual([route.key, role, expected]);
        } else {
          expect([route.key, role, response.status < 300]).toEqual([route.key, role, true]);
        }
        // Nothing of Greenfield's shows up in what Riverside staff get back.
        expect([route.key, /Greenfield|Michael Barnes|\+1415/.test(text)]).toEqual([
          route.key,
          false,
        ]);
      }
    }
  });

  it("refuses a deactivated admin's still-valid token with 401 and changes nothing", async () => {
    const app = await createTestParentline();
    const { admin, ids } = await greenfieldIds(app);
    await changedAdmin(app, admin, { active: false });
    const before = snapshotDatabase(app.db);
    for (const route of await routes(app)) {
      if (PUBLIC.has(route.key)) continue;
      const response = await call(app, route, fill(route.path, ids), "admin", admin);
      expect([route.key, response.status]).toEqual([route.key, 401]);
      expect([route.key, snapshotDatabase(app.db)]).toEqual([route.key, before]);
    }
  });

  it("treats a demoted admin's still-valid token as the teacher's it now is; refusals change nothing", async () => {
    const app = await createTestParentline();
    const { admin, ids } = await greenfieldIds(app);
    const { second, adminId } = await changedAdmin(app, admin, { role: "teacher" });
    // A teacher of 5A, like the matrix's teacher, so what teachers may do is allowed for the same ids.
    await app.db.insert(schema.classTeachers).values({ classId: 5, staffId: adminId, schoolId: 1 });
    for (const route of await routes(app)) {
      const rule = ROLE_RULES[route.key];
      if (!rule) continue;
      const routeIds = await idsFor(app, route, ids, second, admin);
      const before = snapshotDatabase(app.db);
      const response = await call(app, route, fill(route.path, routeIds), "teacher", admin);
      const outcome = response.status >= 200 && response.status < 300 ? "allowed" : response.status;
      expect([route.key, outcome]).toEqual([route.key, rule.teacher ? "allowed" : 403]);
      if (!rule.teacher) expect([route.key, snapshotDatabase(app.db)]).toEqual([route.key, before]);
    }
  });
});
