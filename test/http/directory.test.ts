import { describe, expect, it } from "vitest";
import { createTestParentline, signInStaff } from "../support/parentline";

describe("the school directory", () => {
  it("lists classes with their class teachers", async () => {
    const app = await createTestParentline();
    const token = await signInStaff(app, "+14155550184");
    const { classes } = (await (await app.json("GET", "/v1/classes", undefined, token)).json()) as {
      classes: { name: string; classTeacher: { name: string } | null }[];
    };
    expect(classes.map((c) => c.name)).toEqual(["3A", "3B", "4A", "4B", "5A", "5B"]);
    expect(classes.find((c) => c.name === "5A")?.classTeacher?.name).toBe("Ms Rao");
  });

  it("shows a teacher only the students of the classes they teach, with their guardians", async () => {
    const app = await createTestParentline();
    const teacher = await signInStaff(app, "+14155550184");
    const mine = (await (await app.json("GET", "/v1/students", undefined, teacher)).json()) as {
      students: { className: string; guardians: unknown[] }[];
    };
    expect(new Set(mine.students.map((s) => s.className))).toEqual(new Set(["5A"]));
    expect(mine.students.every((s) => s.guardians.length > 0)).toBe(true);
    const admin = await signInStaff(app, "+14155550190");
    const all = (await (await app.json("GET", "/v1/students", undefined, admin)).json()) as {
      students: unknown[];
    };
    expect(all.students).toHaveLength(42);
    const riverside = await signInStaff(app, "+12125550190");
    const theirs = (await (await app.json("GET", "/v1/students", undefined, riverside)).json()) as {
      students: { admissionNo: string }[];
    };
    expect(theirs.students.every((s) => s.admissionNo.startsWith("RA-"))).toBe(true);
  });

  it("shows staff phone numbers to the admin only", async () => {
    const app = await createTestParentline();
    const teacher = await signInStaff(app, "+14155550184");
    const seenByTeacher = (await (
      await app.json("GET", "/v1/staff", undefined, teacher)
    ).json()) as {
      staff: { phone?: string }[];
    };
    expect(seenByTeacher.staff).toHaveLength(11);
    expect(seenByTeacher.staff.some((member) => member.phone)).toBe(false);
    const admin = await signInStaff(app, "+14155550190");
    const seenByAdmin = (await (await app.json("GET", "/v1/staff", undefined, admin)).json()) as {
      staff: { phone?: string }[];
    };
    expect(seenByAdmin.staff.every((member) => member.phone?.startsWith("+1415555"))).toBe(true);
    expect((await app.json("GET", "/v1/staff")).status).toBe(401);
  });
});
