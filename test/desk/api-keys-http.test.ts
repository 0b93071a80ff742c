// The desk's API keys page in-process: admins only (office staff and teachers are refused and
// nothing changes), a name is required, another school's key cannot be revoked from here, and a
// reloaded "make a key" form makes no second key.
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

  it("makes one key from one form, however often the page that shows it is reloaded", async () => {
    const app = await createTestParentline();
    const desk = await deskSession(app, STAFF.admin);
    const form = (await (await desk.get("/staff/admin/api-keys")).text()).match(
      /name="form" value="([^"]+)"/,
    )?.[1] as string;
    expect(form).toBeTruthy();
    const made = await desk.post("/staff/admin/api-keys", { name: "Attendance system", form });
    expect(made.status).toBe(201);
    expect(await made.text()).toContain("plk_events_");
    const before = snapshotDatabase(app.db);
    const resent = await desk.post("/staff/admin/api-keys", { name: "Attendance system", form });
    expect(resent.status).toBe(200);
    const page = await resent.text();
    expect(page).toContain("This form was already sent: the key for Attendance system was made");
    expect(page).not.toContain('id="made-key"');
    expect(snapshotDatabase(app.db)).toEqual(before);
    // A new form (the page's own, next time) makes a new key.
    const next = page.match(/name="form" value="([^"]+)"/)?.[1] as string;
    expect(next).not.toBe(form);
    expect((await desk.post("/staff/admin/api-keys", { name: "Fees", form: next })).status).toBe(
      201,
    );
  });
});
