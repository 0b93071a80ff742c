// Quiet hours and the daily digest time (pure): when a school does not want non-urgent messages
// to reach families, and when the digest of held announcements goes, both on the local clock.
import { z } from "zod";
import { addDays, instantOfLocalTime, localTimeOf } from "./local-time";

export interface QuietHours {
  /** Local minutes since midnight; start after end means the quiet spans midnight. */
  startMinute: number;
  endMinute: number;
}

/** 21:00 to 07:00, local time. */
export const DEFAULT_QUIET_HOURS: QuietHours = { startMinute: 21 * 60, endMinute: 7 * 60 };

/** 18:00 local time. */
export const DEFAULT_DIGEST_MINUTE = 18 * 60;

const clock = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, "HH:MM")
  .transform((text) => Number(text.slice(0, 2)) * 60 + Number(text.slice(3)));

/**
 * settings.quietHours as an admin writes it: { start: "21:00", end: "07:00" }, or null for none.
 * settings.digestTime: "18:00".
 */
export const quietHoursSettingsSchema = z.object({ start: clock, end: clock }).nullable();
export const digestTimeSettingSchema = clock;

/** A school's quiet hours: its settings over the default; null when it has none. */
export function quietHoursFromSettings(settings: Record<string, unknown>): QuietHours | null {
  if (!("quietHours" in settings)) return DEFAULT_QUIET_HOURS;
  const parsed = quietHoursSettingsSchema.safeParse(settings.quietHours);
  if (!parsed.success) return DEFAULT_QUIET_HOURS;
  if (parsed.data === null || parsed.data.start === parsed.data.end) return null;
  return { startMinute: parsed.data.start, endMinute: parsed.data.end };
}

export function digestMinuteFromSettings(settings: Record<string, unknown>): number {
  const parsed = digestTimeSettingSchema.safeParse(settings.digestTime);
  return parsed.success ? parsed.data : DEFAULT_DIGEST_MINUTE;
}

/**
 * When the quiet hours around `at` end, or null when `at` is outside them. The hours are read on
 * the local clock of that night, so they hold on the nights the clocks change.
 */
export function quietHoursEndAt(
  quiet: QuietHours | null,
  at: number,
  timeZone: string,
): number | null {
  if (!quiet) return null;
  const { date, minuteOfDay } = localTimeOf(at, timeZone);
  const { startMinute, endMinute } = quiet;
  let endDate: number;
  if (startMinute < endMinute) {
    if (minuteOfDay < startMinute || minuteOfDay >= endMinute) return null;
    endDate = date;
  } else if (minuteOfDay >= startMinute) {
    endDate = addDays(date, 1);
  } else if (minuteOfDay < endMinute) {
    endDate = date;
  } else {
    return null;
  }
  const end = instantOfLocalTime(endDate, endMinute, timeZone);
  return end > at ? end : null;
}

/** When a message queued at `at` may go: now, or when the quiet hours around it end. */
export function sendableAt(quiet: QuietHours | null, at: number, timeZone: string): number {
  return quietHoursEndAt(quiet, at, timeZone) ?? at;
}

/** The latest local digest time at or before `at` (today's if it has passed, else yesterday's). */
export function latestDigestTime(digestMinute: number, at: number, timeZone: string): number {
  const { date } = localTimeOf(at, timeZone);
  const today = instantOfLocalTime(date, digestMinute, timeZone);
  return today <= at ? today : instantOfLocalTime(addDays(date, -1), digestMinute, timeZone);
}
