import { describe, expect, it } from "vitest";
import { DEFAULT_SLA, workingMsBetween } from "../../src/domain";

const HOUR = 3_600_000;
const LA = "America/Los_Angeles";
const hoursBetween = (from: string, to: string) =>
  workingMsBetween(DEFAULT_SLA, Date.parse(from), Date.parse(to), LA) / HOUR;

describe("working time between two instants (08:00–16:00, Monday to Friday)", () => {
  it.each([
    [
      "Friday 15:00 to Monday 09:00 counts the hour left on Friday and Monday's first",
      "2026-11-20T15:00:00-08:00",
      "2026-11-23T09:00:00-08:00",
      2,
    ],
    [
      "a request on Saturday answered Monday at 08:30 waited half an hour",
      "2026-11-21T10:00:00-08:00",
      "2026-11-23T08:30:00-08:00",
      0.5,
    ],
    [
      "three whole weeks are fifteen school days",
      "2026-11-02T08:00:00-08:00",
      "2026-11-23T08:00:00-08:00",
      120,
    ],
    [
      "evening to the next morning's start is nothing",
      "2026-11-17T18:00:00-08:00",
      "2026-11-18T08:00:00-08:00",
      0,
    ],
    [
      "across the end of summer time (1 November) the local clock counts",
      "2026-10-30T15:00:00-07:00",
      "2026-11-02T09:00:00-08:00",
      2,
    ],
    [
      "an answer before the request counts nothing",
      "2026-11-18T10:00:00-08:00",
      "2026-11-18T09:00:00-08:00",
      0,
    ],
  ])("%s", (_what, from, to, hours) => {
    expect(hoursBetween(from, to)).toBe(hours);
  });
});
