// The desk's pages over the API's rules, in-process: cancelling a scheduled announcement, flagging
// a parent from their ticket, the school's canned replies and a member's own alert settings. Each
// refusal is shown next to what caused it and changes nothing.
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { schema } from "../../db";
import {
  createTestParentline,
  DEMO,
  makeRequest,
  STAFF,
  signInStaff,
  type TestParentline,
  verifyParent,
} from "../support/parentline";
import { deskSession } from "./desk-session";

const { announcements, auditLog, cannedReplies, guardians, staff } = schema;

async function scheduledAnnouncement(app: TestParentline, phone: string) {
  const token = await signInStaff(app, phone);
  const response = await app.json(
    "POST",
    "/v1/announcements",
    {
      audience: { kind: "classes", classes: ["5A"] },
      text: "Sports day moves to Monday.",
      scheduledAt: new Date(app.clock.now() + 24 * 3_600_000).toISOString(),
    },
    token,
  );
  expect(response.status).toBe(201);
  return ((await response.json()) as { id: number }).id;
}

const statusOf = async (app: TestParentline, id: number) =>
  (await app.db.select().from(announcements).where(eq(announcements.id, id)))[0]?.status;

describe("cancelling an announcement in the desk", () => {
  it("calls a scheduled one back, and says why a second cancel cannot", async () => {
    const app = await createTestParentline();
    const id = await scheduledAnnouncement(app, STAFF.rao);
    const teacher = await deskSession(app, STAFF.rao);
    expect(await (await teacher.get(`/staff/announcements/${id}`)).text()).toContain(
      "Cancel this announcement",
    );
    const cancelled = await teacher.post(`/staff/announcements/${id}/cancel`, {});
    expect(cancelled.status).toBe(303);
    expect(await statusOf(app, id)).toBe("cancelled");
    const page = await (await teacher.get(`/staff/announcements/${id}?cancelled=1`)).text();
    expect(page).toContain("Cancelled: it will not be sent.");
    expect(page).not.toContain("Cancel this announcement");

    const again = await teacher.post(`/staff/announcements/${id}/cancel`, {});
    expect(again.status).toBe(409);
    expect(await again.text()).toContain("Only a scheduled announcement can be cancelled");
  });

  it("refuses a teacher another member's announcement, leaving it scheduled", async () => {
    const app = await createTestParentline();
    const id = await scheduledAnnouncement(app, STAFF.admin);
    const teacher = await deskSession(app, STAFF.rao);
    const refused = await teacher.post(`/staff/announcements/${id}/cancel`, {});
    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain("Teachers may cancel only their own announcements");
    expect(await statusOf(app, id)).toBe("scheduled");
  });
});

describe("flagging a parent from their ticket", () => {
  async function withTicket() {
    const app = await createTestParentline();
    await verifyParent(app, DEMO.parentWithOneChild);
    await makeRequest(app, DEMO.parentWithOneChild, { text: "Why was the fee doubled?" });
    const [guardian] = await app.db
      .select()
      .from(guardians)
      .where(eq(guardians.phone, DEMO.parentWithOneChild));
    const flagOf = async () =>
      (
        await app.db
          .select()
          .from(guardians)
          .where(eq(guardians.id, guardian?.id ?? 0))
      )[0]?.flagReason ?? null;
    return { app, flagOf };
  }

  it("flags and clears for an admin, and asks for a reason first", async () => {
    const { app, flagOf } = await withTicket();
    const admin = await deskSession(app, STAFF.admin);
    const empty = await admin.post("/staff/tickets/T-1001/flag", { reason: "" });
    expect(empty.status).toBe(422);
    expect(await empty.text()).toMatch(/id="flag-error">Say why, in a few words/);
    expect(await flagOf()).toBeNull();

    const flagged = await admin.post("/staff/tickets/T-1001/flag", { reason: "Abusive to staff" });
    expect(flagged.headers.get("location")).toBe("/staff/tickets/T-1001?done=flagged");
    expect(await flagOf()).toBe("Abusive to staff");
    expect(await (await admin.get("/staff/tickets/T-1001")).text()).toContain("Clear the flag");

    expect((await admin.post("/staff/tickets/T-1001/unflag", {})).status).toBe(303);
    expect(await flagOf()).toBeNull();
  });

  it("is not offered to a teacher, and a teacher's post is refused", async () => {
    const { app, flagOf } = await withTicket();
    const teacher = await deskSession(app, STAFF.rao);
    expect(await (await teacher.get("/staff/tickets/T-1001")).text()).not.toContain(
      "Flag this parent",
    );
    const refused = await teacher.post("/staff/tickets/T-1001/flag", { reason: "Too many" });
    expect(refused.status).toBe(403);
    expect(await flagOf()).toBeNull();
  });
});

describe("canned replies in the desk", () => {
  it("lets office staff add, edit and delete them, with errors next to the field", async () => {
    const app = await createTestParentline();
    const office = await deskSession(app, STAFF.frontOffice);
    const rows = () => app.db.select().from(cannedReplies);
    const before = (await rows()).length;

    const added = await office.post("/staff/admin/canned-replies", {
      title: "Trip money",
      body: "Dear {parent}, {child}'s trip money is due Friday.",
    });
    expect(added.headers.get("location")).toBe("/staff/admin/canned-replies?done=added");
    const created = (await rows()).find((row) => row.title === "Trip money");
    if (!created) throw new Error("not added");

    const untitled = await office.post("/staff/admin/canned-replies", { title: "", body: "Hi" });
    expect(untitled.status).toBe(422);
    expect(await untitled.text()).toMatch(/id="new-title-error">Give it a title/);
    await office.post("/staff/admin/canned-replies", { title: "Bus times", body: "At 7:40." });
    const duplicate = await office.post(`/staff/admin/canned-replies/${created.id}`, {
      title: "Bus times",
      body: "Other text",
    });
    expect(duplicate.status).toBe(409);
    expect(await duplicate.text()).toMatch(
      new RegExp(`id="canned-${created.id}-title-error">The school already has`),
    );
    expect((await rows()).find((row) => row.id === created.id)?.body).toContain("trip money");

    await office.post(`/staff/admin/canned-replies/${created.id}`, {
      title: "Trip money",
      body: "Dear {parent}, the trip money is due Monday.",
    });
    expect((await rows()).find((row) => row.id === created.id)?.body).toContain("Monday");
    await office.post(`/staff/admin/canned-replies/${created.id}/delete`, {});
    expect((await rows()).length).toBe(before + 1);
    expect((await rows()).some((row) => row.id === created.id)).toBe(false);
  });

  it("are kept from teachers, who only use them", async () => {
    const app = await createTestParentline();
    const teacher = await deskSession(app, STAFF.rao);
    expect((await teacher.get("/staff/admin/canned-replies")).status).toBe(403);
    const refused = await teacher.post("/staff/admin/canned-replies", { title: "X", body: "Y" });
    expect(refused.status).toBe(403);
    expect((await app.db.select().from(cannedReplies)).filter((row) => row.title === "X")).toEqual(
      [],
    );
  });
});

describe("my alerts in the desk", () => {
  it("tells an unlinked member how to link their chat, and saves their choices", async () => {
    const app = await createTestParentline();
    const teacher = await deskSession(app, STAFF.rao);
    const page = await (await teacher.get("/staff/me/alerts")).text();
    expect(page).toContain('href="/staff/me/alerts"');
    expect(page).toContain("No chat is linked yet");
    expect(page).toContain("Send /staff from your phone");

    const saved = await teacher.post("/staff/me/alerts", {
      mode: "summary",
      quiet: "own",
      start: "20:00",
      end: "06:30",
    });
    expect(saved.headers.get("location")).toBe("/staff/me/alerts?saved=1");
    const token = await signInStaff(app, STAFF.rao);
    const api = (await (await app.json("GET", "/v1/staff/me/alerts", undefined, token)).json()) as {
      mode: string;
      quietHours: unknown;
    };
    expect(api.mode).toBe("summary");
    expect(api.quietHours).toEqual({ start: "20:00", end: "06:30" });
  });

  it("refuses own quiet hours without times, next to them, saving nothing", async () => {
    const app = await createTestParentline();
    const teacher = await deskSession(app, STAFF.rao);
    const preferences = async () =>
      (await app.db.select().from(staff).where(eq(staff.phone, STAFF.rao)))[0]?.alertPreferences;
    const before = await preferences();
    const audits = (await app.db.select().from(auditLog)).length;
    const refused = await teacher.post("/staff/me/alerts", {
      mode: "off",
      quiet: "own",
      start: "",
      end: "",
    });
    expect(refused.status).toBe(422);
    expect(await refused.text()).toMatch(/id="quiet-error">Give your own quiet hours/);
    expect(await preferences()).toEqual(before);
    expect((await app.db.select().from(auditLog)).length).toBe(audits);
  });
});
