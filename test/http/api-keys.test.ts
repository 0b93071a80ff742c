// API keys for a school's other systems: an admin makes one (shown once, kept hashed), lists and
// revokes them, every change audited; nobody else may; a revoked key sends nothing.
import { describe, expect, it } from "vitest";
import { schema } from "../../db";
import { snapshotDatabase } from "../support/database-snapshot";
import {
  createTestParentline,
  DEMO,
  STAFF,
  signInStaff,
  verifyParent,
} from "../support/parentline";
import { makeApiKey, sendEvent } from "../support/school-events";

const CHLOE_ABSENT = {
  type: "attendance.marked",
  date: "2026-11-23",
  absent: ["GF-2024-003"],
  late: [],
  period: "AM",
};

describe("API keys", () => {
  it("are shown once with a recognisable prefix, kept only as a hash, listed without the key, and audited", async () => {
    const app = await createTestParentline();
    const admin = await signInStaff(app, STAFF.admin);
    const made = await app.json("POST", "/v1/api-keys", { name: "Attendance system" }, admin);
    expect(made.status).toBe(201);
    const created = (await made.json()) as { id: number; key: string; prefix: string };
    expect(created.key).toMatch(/^plk_events_[A-Za-z0-9_-]{43}$/);
    expect(created.key.startsWith(created.prefix)).toBe(true);
    expect(created).toMatchObject({ name: "Attendance system", scope: "events", revokedAt: null });

    // The key itself is nowhere in the database.
    expect(JSON.stringify(snapshotDatabase(app.db))).not.toContain(created.key);
    const listed = await app.json("GET", "/v1/api-keys", undefined, admin);
    expect(listed.status).toBe(200);
    const text = await listed.text();
    expect(text).not.toContain(created.key);
    expect(JSON.parse(text)).toEqual({
      apiKeys: [
        expect.objectContaining({ id: created.id, prefix: created.prefix, lastUsedAt: null }),
      ],
    });
    const audit = await app.db.select().from(schema.auditLog);
    expect(audit).toEqual([
      expect.objectContaining({
        action: "api_key.create",
        entity: "api_key",
        entityId: String(created.id),
        after: { name: "Attendance system", prefix: created.prefix, scope: "events" },
      }),
    ]);
    expect(JSON.stringify(audit)).not.toContain(created.key);
  });

  it("record their last use", async () => {
    const app = await createTestParentline();
    await verifyParent(app, DEMO.parentWithOneChild);
    const admin = await signInStaff(app, STAFF.admin);
    const { key } = await makeApiKey(app, admin);
    app.clock.advance(60_000);
    expect((await sendEvent(app, key, CHLOE_ABSENT)).status).toBe(202);
    const [listed] = (
      (await (await app.json("GET", "/v1/api-keys", undefined, admin)).json()) as {
        apiKeys: { lastUsedAt: string }[];
      }
    ).apiKeys;
    expect(listed?.lastUsedAt).toBe(new Date(app.clock.now()).toISOString());
  });

  it("once revoked get 401 and send nothing; the revocation is audited", async () => {
    const app = await createTestParentline();
    await verifyParent(app, DEMO.parentWithOneChild);
    const admin = await signInStaff(app, STAFF.admin);
    const { id, key } = await makeApiKey(app, admin);
    const revoked = await app.json("DELETE", `/v1/api-keys/${id}`, undefined, admin);
    expect(revoked.status).toBe(200);
    expect(await revoked.json()).toMatchObject({
      id,
      revokedAt: new Date(app.clock.now()).toISOString(),
    });
    const audit = await app.db.select().from(schema.auditLog);
    expect(audit.map((entry) => entry.action)).toEqual(["api_key.create", "api_key.revoke"]);

    const before = snapshotDatabase(app.db);
    const refused = await sendEvent(app, key, CHLOE_ABSENT);
    expect(refused.status).toBe(401);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe("unauthorized");
    expect(snapshotDatabase(app.db)).toEqual(before);
  });

  it("refuse a wrong key, a staff token or none with 401 and change nothing", async () => {
    const app = await createTestParentline();
    const admin = await signInStaff(app, STAFF.admin);
    const { key } = await makeApiKey(app, admin);
    const before = snapshotDatabase(app.db);
    const wrong = `${key.slice(0, -4)}AAAA`;
    for (const presented of [wrong, admin, "", "plk_events_short"]) {
      const response = await sendEvent(app, presented, CHLOE_ABSENT);
      expect(response.status).toBe(401);
    }
    expect(snapshotDatabase(app.db)).toEqual(before);
  });

  it("are for admins only: a teacher may not make, list or revoke them", async () => {
    const app = await createTestParentline();
    const admin = await signInStaff(app, STAFF.admin);
    const { id } = await makeApiKey(app, admin);
    const teacher = await signInStaff(app, STAFF.rao);
    const before = snapshotDatabase(app.db);
    expect((await app.json("POST", "/v1/api-keys", { name: "x" }, teacher)).status).toBe(403);
    expect((await app.json("GET", "/v1/api-keys", undefined, teacher)).status).toBe(403);
    expect((await app.json("DELETE", `/v1/api-keys/${id}`, undefined, teacher)).status).toBe(403);
    expect(snapshotDatabase(app.db)).toEqual(before);
  });

  it("belong to their school: another school's admin cannot see or revoke them, and its key reaches none of this school's children", async () => {
    const app = await createTestParentline();
    await verifyParent(app, DEMO.parentWithOneChild);
    const admin = await signInStaff(app, STAFF.admin);
    const { id } = await makeApiKey(app, admin);
    const riverside = await signInStaff(app, STAFF.riversideAdmin);
    expect((await app.json("DELETE", `/v1/api-keys/${id}`, undefined, riverside)).status).toBe(404);
    const listed = (await (await app.json("GET", "/v1/api-keys", undefined, riverside)).json()) as {
      apiKeys: unknown[];
    };
    expect(listed.apiKeys).toEqual([]);
    const { key: riversideKey } = await makeApiKey(app, riverside);
    const sent = await sendEvent(app, riversideKey, CHLOE_ABSENT);
    expect(await sent.json()).toMatchObject({
      accepted: 0,
      rejected: [{ admissionNumber: "GF-2024-003", reason: "unknown_admission_number" }],
    });
    expect(
      (await app.db.select().from(schema.outbox)).filter((row) => row.kind === "school_event"),
    ).toEqual([]);
  });

  it("and the event routes are listed in the OpenAPI document", async () => {
    const app = await createTestParentline();
    const doc = (await (await app.app.request("/v1/openapi.json")).json()) as {
      paths: Record<string, Record<string, unknown>>;
    };
    expect(Object.keys(doc.paths["/v1/api-keys"] ?? {}).sort()).toEqual(["get", "post"]);
    expect(Object.keys(doc.paths["/v1/api-keys/{id}"] ?? {})).toEqual(["delete"]);
    expect(Object.keys(doc.paths["/v1/integrations/events"] ?? {})).toEqual(["post"]);
    expect(Object.keys(doc.paths["/v1/integrations/events.csv"] ?? {})).toEqual(["post"]);
  });
});
