// Staff access follows the directory at every request: a deactivated, demoted or signed-out
// member's still-valid access token does no more than their current record allows, and a refused
// request changes nothing at all.
import { describe, expect, it } from "vitest";
import { snapshotDatabase } from "../support/database-snapshot";
import {
  createTestParentline,
  DEMO,
  makeRequest,
  STAFF,
  signInStaff,
  signInStaffWithTokens,
  type TestParentline,
  verifyParent,
} from "../support/parentline";

const SECOND_ADMIN = "+14155550170";

/** The id of the Greenfield member with this phone. */
async function staffIdOf(app: TestParentline, token: string, phone: string): Promise<number> {
  const listed = (await (await app.json("GET", "/v1/staff", undefined, token)).json()) as {
    staff: { id: number; phone: string }[];
  };
  const member = listed.staff.find((row) => row.phone === phone);
  if (!member) throw new Error(`no staff member with ${phone}`);
  return member.id;
}

/** Greenfield's admin and a second admin they appoint, both signed in. */
async function twoAdmins(app: TestParentline) {
  const admin = await signInStaff(app, STAFF.admin);
  const appointed = await app.json(
    "POST",
    "/v1/staff",
    { firstName: "Second", lastName: "Admin", phone: SECOND_ADMIN, role: "admin" },
    admin,
  );
  expect(appointed.status).toBe(201);
  const second = await signInStaff(app, SECOND_ADMIN);
  return { admin, adminId: await staffIdOf(app, second, STAFF.admin), second };
}

const status = async (response: Promise<Response>) => (await response).status;

describe("a deactivated admin's access token", () => {
  it("cannot appoint an active admin: 401, and no row, no audit entry", async () => {
    const app = await createTestParentline();
    const { admin, adminId, second } = await twoAdmins(app);
    const deactivated = await app.json("PATCH", `/v1/staff/${adminId}`, { active: false }, second);
    expect(deactivated.status).toBe(200);

    const before = snapshotDatabase(app.db);
    const appointed = await app.json(
      "POST",
      "/v1/staff",
      { firstName: "Mallory", lastName: "Sneak", phone: "+14155550171", role: "admin" },
      admin,
    );
    expect(appointed.status).toBe(401);
    expect(snapshotDatabase(app.db)).toEqual(before);
  });

  it("is refused everywhere else too, before any effect", async () => {
    const app = await createTestParentline();
    await verifyParent(app, DEMO.parentWithOneChild);
    await makeRequest(app, DEMO.parentWithOneChild, { text: "About homework" });
    const { admin, adminId, second } = await twoAdmins(app);
    const raoId = await staffIdOf(app, second, STAFF.rao);
    await app.json("PATCH", `/v1/staff/${adminId}`, { active: false }, second);

    const before = snapshotDatabase(app.db);
    const attempts = [
      app.json("PATCH", `/v1/staff/${raoId}`, { role: "admin" }, admin),
      app.json(
        "POST",
        "/v1/students",
        { admissionNo: "X-1", firstName: "Ghost", lastName: "Pupil", classId: 5 },
        admin,
      ),
      app.json(
        "POST",
        "/v1/announcements",
        { audience: { kind: "school" }, text: "School is closed", urgent: true },
        admin,
      ),
      app.json("GET", "/v1/audit", undefined, admin),
      app.json("GET", "/v1/outbox", undefined, admin),
      app.json("POST", "/v1/guardians/2/flag", { reason: "Because" }, admin),
      app.json("PUT", "/v1/school/guardrails", { maxOpenTickets: 99 }, admin),
      app.json("POST", "/v1/tickets/1/replies", { body: "Still here" }, admin),
      app.json("GET", "/v1/events", undefined, admin),
    ];
    expect(await Promise.all(attempts.map(status))).toEqual(attempts.map(() => 401));
    expect(snapshotDatabase(app.db)).toEqual(before);
  });
});

describe("a demoted admin's access token", () => {
  it("acts as the teacher they now are: admin routes 403 with nothing changed", async () => {
    const app = await createTestParentline();
    const { admin, adminId, second } = await twoAdmins(app);
    await app.json("PATCH", `/v1/staff/${adminId}`, { role: "teacher" }, second);

    const before = snapshotDatabase(app.db);
    const appointed = app.json(
      "POST",
      "/v1/staff",
      { firstName: "Mallory", lastName: "Sneak", phone: "+14155550171", role: "admin" },
      admin,
    );
    expect(await status(appointed)).toBe(403);
    expect(await status(app.json("GET", "/v1/audit", undefined, admin))).toBe(403);
    expect(snapshotDatabase(app.db)).toEqual(before);
    // What a teacher may do still works.
    expect(await status(app.json("GET", "/v1/tickets", undefined, admin))).toBe(200);
  });
});

describe("a session's access tokens", () => {
  it("stop working at once when the session signs out", async () => {
    const app = await createTestParentline();
    const session = await signInStaffWithTokens(app, STAFF.rao);
    const other = await signInStaff(app, STAFF.rao);
    expect(await status(app.json("GET", "/v1/tickets", undefined, session.accessToken))).toBe(200);
    const out = app.json("POST", "/v1/auth/logout", { refreshToken: session.refreshToken });
    expect(await status(out)).toBe(204);
    expect(await status(app.json("GET", "/v1/tickets", undefined, session.accessToken))).toBe(401);
    // Signing out one session leaves the member's others alone.
    expect(await status(app.json("GET", "/v1/tickets", undefined, other))).toBe(200);
  });

  it("stop working at once when the family is revoked for a reused refresh token", async () => {
    const app = await createTestParentline();
    const first = await signInStaffWithTokens(app, STAFF.rao);
    const rotated = (await (
      await app.json("POST", "/v1/auth/refresh", { refreshToken: first.refreshToken })
    ).json()) as { accessToken: string };
    // A rotation continues the session: both access tokens work until they expire.
    expect(await status(app.json("GET", "/v1/tickets", undefined, first.accessToken))).toBe(200);
    expect(await status(app.json("GET", "/v1/tickets", undefined, rotated.accessToken))).toBe(200);
    const reuse = app.json("POST", "/v1/auth/refresh", { refreshToken: first.refreshToken });
    expect(await status(reuse)).toBe(401);
    for (const token of [first.accessToken, rotated.accessToken])
      expect(await status(app.json("GET", "/v1/tickets", undefined, token))).toBe(401);
  });

  it("stop working when the session's refresh token has expired", async () => {
    const app = await createTestParentline();
    const { accessToken } = await signInStaffWithTokens(app, STAFF.rao);
    // The refresh family lapses after 30 days; a token signed for longer (or a skewed clock) must
    // not outlive it: here the family is expired by hand while the access token is still valid.
    app.db.$client.prepare("update refresh_tokens set expires_at = ?").run(app.clock.now());
    expect(await status(app.json("GET", "/v1/tickets", undefined, accessToken))).toBe(401);
  });
});
