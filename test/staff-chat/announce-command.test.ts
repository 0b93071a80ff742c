// The /announce parser alone: the school's time zone and "now" are given, so schedules are checked
// against an injected clock in Los Angeles and Tokyo.
import { describe, expect, it } from "vitest";
import {
  parseAnnounceCommand,
  parseAudience,
  parseScheduleTime,
} from "../../src/domain/announce-command";

const LA = { timezone: "America/Los_Angeles", now: Date.parse("2026-11-23T09:00:00Z") };

const parsed = (text: string, clock = LA) => {
  const result = parseAnnounceCommand(text, clock);
  if (!result.ok) throw new Error(`expected ${text} to parse: ${result.error.message}`);
  return result.value;
};
/** A one-line command's fields. */
const oneLine = (text: string, clock = LA) => {
  const command = parsed(text, clock);
  if (command.form !== "one-line") throw new Error(`expected ${text} to be one line`);
  return command;
};
const errorOf = (text: string, clock = LA) => {
  const result = parseAnnounceCommand(text, clock);
  if (result.ok) throw new Error(`expected ${text} to be refused`);
  return result.error;
};

describe("the /announce command", () => {
  it("starts the guided form when it is bare", () => {
    expect(parsed("/announce")).toEqual({ form: "guided" });
    expect(parsed("  /ANNOUNCE  ")).toEqual({ form: "guided" });
  });

  it("reads a class, several classes, a grade, the school and admission numbers", () => {
    expect(parsed("/announce 5A: Picnic on Friday")).toEqual({
      form: "one-line",
      audience: { kind: "classes", classes: ["5A"] },
      text: "Picnic on Friday",
      urgent: false,
      scheduledAt: null,
    });
    expect(oneLine("/announce 5a, 5B and 4a: Picnic").audience).toEqual({
      kind: "classes",
      classes: ["5A", "5B", "4A"],
    });
    expect(oneLine("/announce grade 5: Sports day").audience).toEqual({
      kind: "grades",
      grades: ["5"],
    });
    expect(oneLine("/announce grades 4, 05: Sports day").audience).toEqual({
      kind: "grades",
      grades: ["4", "5"],
    });
    expect(oneLine("/announce school: Closed Monday").audience).toEqual({ kind: "school" });
    expect(oneLine("/announce students gf-2024-001, GF-2024-002: Bring forms").audience).toEqual({
      kind: "students",
      admissionNumbers: ["GF-2024-001", "GF-2024-002"],
    });
  });

  it("marks urgent announcements, before or after the audience", () => {
    expect(parsed("/announce school urgent: Water main burst")).toMatchObject({
      audience: { kind: "school" },
      urgent: true,
      text: "Water main burst",
    });
    expect(parsed("/announce urgent 5A: Early pickup")).toMatchObject({
      audience: { kind: "classes", classes: ["5A"] },
      urgent: true,
    });
  });

  it("keeps colons that belong to the text", () => {
    expect(oneLine("/announce 5A: Pickup at 14:30: gate B").text).toBe("Pickup at 14:30: gate B");
  });

  it("schedules in the school's time zone", () => {
    // 07:00 in Los Angeles in December is 15:00 UTC (PST, UTC-8).
    expect(parsed("/announce 5A at 2026-12-01 07:00: Picnic")).toEqual({
      form: "one-line",
      audience: { kind: "classes", classes: ["5A"] },
      text: "Picnic",
      urgent: false,
      scheduledAt: Date.parse("2026-12-01T15:00:00Z"),
    });
    const tokyo = { timezone: "Asia/Tokyo", now: LA.now };
    expect(oneLine("/announce 5A at 2026-12-01 07:00: Picnic", tokyo).scheduledAt).toBe(
      Date.parse("2026-11-30T22:00:00Z"),
    );
    // Summer time: 07:00 in Los Angeles in July is 14:00 UTC (PDT, UTC-7).
    const january = { ...LA, now: Date.parse("2027-01-10T00:00:00Z") };
    expect(parsed("/announce school urgent at 2027-07-01 07:00: Camp", january)).toMatchObject({
      urgent: true,
      scheduledAt: Date.parse("2027-07-01T14:00:00Z"),
    });
  });

  it("refuses an unknown form with the forms it knows", () => {
    const error = errorOf("/announce Picnic on Friday");
    expect(error.code).toBe("unknown_form");
    expect(error.message).toContain('"/announce 5A: Picnic on Friday"');
    expect(errorOf("/announce: Picnic").code).toBe("unknown_form");
    expect(errorOf("announce 5A: Picnic").code).toBe("unknown_form");
  });

  it("refuses an empty text", () => {
    expect(errorOf("/announce 5A:")).toEqual({
      code: "empty_text",
      message: "The announcement has no text: write it after the colon.",
    });
    expect(errorOf("/announce 5A at 2026-12-01 07:00:   ").code).toBe("empty_text");
  });

  it("refuses an audience it cannot read", () => {
    expect(errorOf("/announce grade five: Picnic").code).toBe("bad_audience");
    expect(errorOf("/announce the 5A kids!: Picnic").code).toBe("bad_audience");
  });

  it("refuses a schedule time that has passed, to the minute", () => {
    // Now is 2026-11-23 01:00 in Los Angeles.
    const past = errorOf("/announce 5A at 2026-11-23 00:59: Picnic");
    expect(past.code).toBe("past_time");
    expect(past.message).toBe("2026-11-23 00:59 has already passed: choose a time in the future.");
    expect(errorOf("/announce 5A at 2026-11-23 01:00: Picnic").code).toBe("past_time");
    expect(oneLine("/announce 5A at 2026-11-23 01:01: Picnic").scheduledAt).toBe(LA.now + 60_000);
  });

  it("refuses dates that do not exist or are not dates", () => {
    expect(errorOf("/announce 5A at 2026-02-30 07:00: Picnic").code).toBe("bad_date");
    expect(errorOf("/announce 5A at 2026-12-01 25:00: Picnic").code).toBe("bad_date");
    expect(errorOf("/announce 5A at tomorrow 07:00: Picnic").code).toBe("bad_date");
    expect(errorOf("/announce 5A at 2026-12-01: Picnic").code).toBe("bad_date");
  });
});

describe("an audience typed in the guided form", () => {
  it("reads what staff type", () => {
    expect(parseAudience("Whole school")).toEqual({ kind: "school" });
    expect(parseAudience("5b")).toEqual({ kind: "classes", classes: ["5B"] });
    expect(parseAudience("5A 5A 5B")).toEqual({ kind: "classes", classes: ["5A", "5B"] });
    expect(parseAudience("")).toBeNull();
    expect(parseAudience("grade")).toBeNull();
  });
});

describe("a schedule time typed in the guided form", () => {
  it("is read in the school's time zone and must be in the future", () => {
    expect(parseScheduleTime("2026-12-01 07:00", LA)).toEqual({
      ok: true,
      value: Date.parse("2026-12-01T15:00:00Z"),
    });
    expect(parseScheduleTime("2026-12-01T7:05", LA)).toEqual({
      ok: true,
      value: Date.parse("2026-12-01T15:05:00Z"),
    });
    expect(parseScheduleTime("2025-12-01 07:00", LA)).toMatchObject({
      ok: false,
      error: { code: "past_time" },
    });
    expect(parseScheduleTime("next week", LA)).toMatchObject({
      ok: false,
      error: { code: "bad_date" },
    });
  });
});
