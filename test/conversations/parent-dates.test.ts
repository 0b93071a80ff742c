// Dates a parent reads go through Intl in their language and the school's zone.
import { describe, expect, it } from "vitest";
import { formatDateTime, formatDay } from "../../src/conversations/parent-dates";

const AT = Date.parse("2026-11-30T09:15:00Z");

describe("dates a parent reads", () => {
  it("are in the parent's language and the school's zone", () => {
    expect(formatDay(AT, "America/Los_Angeles", "en")).toBe("Monday, November 30");
    expect(formatDay(AT, "America/Los_Angeles", "es")).toBe("lunes, 30 de noviembre");
    expect(formatDateTime(AT, "America/Los_Angeles", "es")).toMatch(
      /^lunes, 30 de noviembre.*1:15.*(PST|GMT-8)/,
    );
  });
});
