import { describe, expect, it } from "vitest";
import { createTestParentline, DEMO, signInStaff, verifyParent } from "./support/parentline";

describe("test support", () => {
  it("verifies a parent and signs in staff through the real HTTP interface", async () => {
    const app = await createTestParentline();
    await verifyParent(app, DEMO.parentWithOneChild);
    const demo = (await (await app.json("GET", "/dev/demo")).json()) as {
      schools: { staff: { phone: string; role: string }[] }[];
    };
    const admin = demo.schools[0]?.staff.find((member) => member.role === "admin");
    expect(admin).toBeDefined();
    const token = await signInStaff(app, admin?.phone ?? "");
    const tickets = await app.json("GET", "/v1/tickets", undefined, token);
    expect(tickets.status).toBe(200);
  });
});
