// Announcements in a real browser against a real server: an admin previews and sends to a class
// and watches the progress bar reach the total; a teacher is refused another class, and cancels a
// scheduled announcement of their own.
import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { DEMO } from "../support/parentline";
import { api, staffToken, verifyParent } from "./api";
import { demoStaffPhone, deskTestbed, screenshots, signIn } from "./support";

interface Preview {
  guardians: number;
  reached: number;
  byChannel: Record<string, number>;
}

describe("announcing from the staff desk", { timeout: 90_000 }, () => {
  const bed = deskTestbed("announce");
  let admin: Page;
  let teacher: Page;

  beforeAll(async () => {
    admin = await bed.newPage();
    teacher = await (
      await bed.browser.newContext({ viewport: { width: 1280, height: 800 } })
    ).newPage();
    await signIn(admin, bed.baseUrl, await demoStaffPhone(bed.baseUrl, "Ms Ellison"));
    await signIn(teacher, bed.baseUrl, await demoStaffPhone(bed.baseUrl, "Ms Rao"));
  });

  it("previews the reach of a class, then sends it and the progress bar reaches the total", async () => {
    // A family of 5A on the simulator: the rest of the class has no chat channel on record.
    await verifyParent(bed.baseUrl, DEMO.parentWithOneChild);
    const token = await staffToken(bed.baseUrl, await demoStaffPhone(bed.baseUrl, "Ms Ellison"));
    const expected = (await (
      await api(bed.baseUrl, "POST", "/v1/announcements/preview", token, {
        audience: { kind: "classes", classes: ["5A"] },
        urgent: true,
      })
    ).json()) as Preview;
    expect(expected.reached).toBe(1);
    expect(expected.byChannel).toEqual({ simulator: 1 });
    expect(expected.guardians).toBeGreaterThan(1);

    await admin.goto(`${bed.baseUrl}/staff/announcements`);
    await admin.getByRole("link", { name: "New announcement" }).click();
    await admin.getByLabel("Classes", { exact: true }).check();
    await admin
      .getByRole("group", { name: /Classes/ })
      .getByLabel("5A")
      .check();
    await admin.getByLabel("Message").fill("Class 5A: the museum trip is on Friday.");
    await admin.getByLabel(/^Urgent/).check();
    await screenshots(admin, "announcement-composer");
    await admin.getByRole("button", { name: "Preview" }).click();
    const reach = admin.getByTestId("reach");
    await expect(reach.textContent()).resolves.toContain(
      `Reaches ${expected.reached} of ${expected.guardians} families`,
    );
    await expect(
      admin.locator("#preview ul").first().locator("li").allTextContents(),
    ).resolves.toEqual(["the simulator: 1"]);
    await screenshots(admin, "announcement-preview");

    await admin.getByRole("button", { name: "Send", exact: true }).click();
    await admin.waitForURL(/\/staff\/announcements\?sent=\d+/);
    const bar = admin.locator("progress").first();
    await admin
      .getByText(`${expected.guardians} of ${expected.guardians} families done`)
      .waitFor({ timeout: 10_000 });
    await expect(bar.getAttribute("value")).resolves.toBe(String(expected.guardians));
    await expect(bar.getAttribute("max")).resolves.toBe(String(expected.guardians));
    await expect(admin.locator(".counts").first().textContent()).resolves.toContain("Sent 1");
    await screenshots(admin, "announcements");

    await admin.locator(".queue a").first().click();
    await admin.waitForURL(/\/staff\/announcements\/\d+$/);
    await expect(admin.locator("tbody tr").count()).resolves.toBe(expected.guardians);
    await screenshots(admin, "announcement");
  });

  it("refuses a teacher's announcement to a class they do not teach, next to the audience", async () => {
    await teacher.goto(`${bed.baseUrl}/staff/announcements/new`);
    // Only the teacher's own classes are offered; a grade still reaches the others.
    const classes = teacher.getByRole("group", { name: /Classes/ }).getByRole("checkbox");
    await expect(
      classes.evaluateAll((boxes) => boxes.map((box) => box.getAttribute("value"))),
    ).resolves.toEqual(["5A"]);
    await teacher.getByLabel("Grades", { exact: true }).check();
    await teacher.getByLabel(/^Grades \(/).fill("5");
    await teacher.getByLabel("Message").fill("Hello grade 5");
    await teacher.getByRole("button", { name: "Preview" }).click();
    const audience = teacher.getByRole("group", { name: "Who gets it" });
    await expect(audience.getAttribute("aria-invalid")).resolves.toBe("true");
    await expect(teacher.locator("#audience-error").textContent()).resolves.toContain(
      "Teachers announce only to their own classes; not to 5B",
    );
    await expect(teacher.getByRole("button", { name: "Send", exact: true }).count()).resolves.toBe(
      0,
    );
    await screenshots(teacher, "announcement-refused");
  });

  it("cancels a scheduled announcement from its page, so nobody receives it", async () => {
    const token = await staffToken(bed.baseUrl, await demoStaffPhone(bed.baseUrl, "Ms Rao"));
    const created = await api(bed.baseUrl, "POST", "/v1/announcements", token, {
      audience: { kind: "classes", classes: ["5A"] },
      text: "Sports day moves to Monday.",
      scheduledAt: new Date(Date.now() + 86_400_000).toISOString(),
    });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: number };
    await teacher.goto(`${bed.baseUrl}/staff/announcements/${id}`);
    await expect(teacher.getByText(/^Scheduled for/).count()).resolves.toBe(1);
    await screenshots(teacher, "announcement-scheduled");
    await teacher.getByRole("button", { name: "Cancel this announcement" }).click();
    await teacher.getByText("Cancelled: it will not be sent.").waitFor();
    await expect(teacher.locator("label[for^=progress]").textContent()).resolves.toBe("Cancelled");
  });
});
