import { describe, expect, it } from "vitest";
import { type RoutingDirectory, routeTicket } from "../../src/domain";

const full: RoutingDirectory = {
  classTeacher: { id: 1, label: { role: "class_teacher", name: "Ms Rao", className: "5A" } },
  office: {
    accounts: { id: 2, label: { role: "office", name: "Mr Lee", office: "accounts" } },
    transport: { id: 3, label: { role: "office", name: "Ms Diaz", office: "transport" } },
    front: { id: 4, label: { role: "office", name: "Mr Chen", office: "front" } },
  },
  admin: { id: 5, label: { role: "admin", name: "Dr Grey" } },
};

describe("routeTicket", () => {
  it.each([
    ["academics", 1, "academics: class teacher"],
    ["attendance", 1, "attendance: class teacher"],
    ["fees", 2, "fees: accounts office"],
    ["transport", 3, "transport: transport office"],
    ["other", 4, "other: front office"],
  ] as const)("routes %s to staff %i", (category, staffId, reason) => {
    expect(routeTicket(category, full)).toMatchObject({ staffId, reason });
  });

  it("tells the parent who has the ticket", () => {
    expect(routeTicket("academics", full).assignee).toEqual({
      role: "class_teacher",
      name: "Ms Rao",
      className: "5A",
    });
  });

  it("falls back to the admin when nobody is mapped, and says why", () => {
    const bare: RoutingDirectory = { office: {}, admin: full.admin };
    expect(routeTicket("academics", bare)).toMatchObject({
      staffId: 5,
      reason: "academics: no class teacher is mapped",
    });
    expect(routeTicket("fees", bare)).toMatchObject({
      staffId: 5,
      reason: "fees: no accounts office is mapped",
    });
  });

  it("sends a flagged guardian's ticket to the admin whatever the category", () => {
    expect(routeTicket("fees", full, { flagged: true }).staffId).toBe(5);
  });

  it("sends urgent tickets to the front office", () => {
    expect(routeTicket("academics", full, { urgent: true }).staffId).toBe(4);
  });

  it("leaves a ticket unassigned rather than failing when a school has no admin", () => {
    expect(routeTicket("fees", { office: {} })).toMatchObject({
      staffId: null,
      assignee: { role: "school" },
    });
  });
});
