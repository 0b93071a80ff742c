// The desk's API keys page in-process: admins only (office staff and teachers are refused and
// nothing changes), a name is required, and another school's key cannot be revoked from here.
import { describe, expect, it } from "vitest";
import { snapshotDatabase } from "../support/database-snapshot";
import { createTestParentline, STAFF, signInStaff } from "../support/parentline";
import { makeApiKey } from "../support/school-events";
import { deskSession } from "./desk-session";

describe("the desk's API keys page", () => {
  it("is the admin's alone: office staff and teachers are refused and nothing changes", async () => {
    const app = await createTestParentline();
    const { id } = await makeApiKey(app, await signInStaff(app, STAFF.admin));
    for (const phone of [STAFF.frontOffice, STAFF.rao]) {
      const desk = await deskSession(app, phone);
      const before = snapshotDatabase(app.db);
      expect((await desk.get("/staff/admin/api-keys")).status).toBe(403);
      expect((await desk.post("/staff/admin/api-keys", { name: "Mine" })).status).toBe(403);
      expect((await desk.post(`/staff/admin/api-keys/${id}/revoke`, {})).status).toBe(403);
      expect(snapshotDatabase(app.db)).toEqual(before);
    }
  });

  it("asks for a name, and revokes only the school's own keys", async () => {
    const app = await createTestParentline();
    const { id } = await makeApiKey(app, await signInStaff(app, STAFF.riversideAdmin));
    const desk = await deskSession(app, STAFF.admin);
    const before = snapshotDatabase(app.db);
    const unnamed = await desk.post("/staff/admin/api-keys", { name: "  " });
    expect(unnamed.status).toBe(422);
    expect(await unnamed.text()).toContain("Say what will use the key.");
    expect((await desk.post(`/staff/admin/api-keys/${id}/revoke`, {})).status).toBe(404);
    expect(snapshotDatabase(app.db)).toEqual(before);
  });
});
