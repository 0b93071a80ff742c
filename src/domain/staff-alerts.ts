// Staff alert rules (pure): how a member wants ticket alerts in their staff chat (as they come, only
// in the morning summary, or not at all; quiet hours, the school's unless their own), whether an
// alert goes now or waits for the summary, the follow-up pace, and when the morning summary is due.
import { z } from "zod";
import { instantOfLocalTime, localTimeOf } from "./local-time";
import {
  type QuietHours,
  quietHoursEndAt,
  quietHoursFromSettings,
  quietHoursSettingsSchema,
} from "./quiet-hours";
import { slaFromSettings } from "./sla";

export const alertModes = ["instant", "summary", "off"] as const;
export type AlertMode = (typeof alertModes)[number];

/** A parent's further messages on one ticket alert its staff at most once in this window. */
export const FOLLOW_UP_ALERT_WINDOW_MS = 10 * 60_000;

/** How long before a first answer is due its assignee is reminded, unless the school says. */
export const DEFAULT_SLA_REMINDER_MINUTES = 60;

/**
 * The longest reminder lead a school may set: one default school day, so a reminder still comes
 * on the day the answer is due rather than as a second alert for a ticket just created.
 */
export const MAX_SLA_REMINDER_MINUTES = 8 * 60;

/** 07:30 school time: the morning summary of open tickets. */
export const DEFAULT_MORNING_SUMMARY_MINUTE = 7 * 60 + 30;

const clockPattern = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "HH:MM");
const clock = clockPattern.transform(
  (text) => Number(text.slice(0, 2)) * 60 + Number(text.slice(3)),
);

/**
 * The school's staff alert settings as an admin writes them, top-level keys of the school's
 * settings: when the morning summary goes (school time) and how long before a first answer is
 * due its assignee is reminded.
 */
export const staffAlertSettingsSchema = z
  .object({
    morningSummaryTime: clockPattern,
    slaReminderMinutes: z.number().int().min(5).max(MAX_SLA_REMINDER_MINUTES),
  })
  .partial()
  .strict();

export interface StaffAlertSettings {
  morningSummaryTime: string;
  slaReminderMinutes: number;
}

/** The reminder lead in force: the school's setting, or the default when unset or invalid. */
export function slaReminderMinutesFrom(settings: Record<string, unknown>): number {
  const parsed = staffAlertSettingsSchema.shape.slaReminderMinutes.safeParse(
    settings.slaReminderMinutes,
  );
  return parsed.success && parsed.data !== undefined ? parsed.data : DEFAULT_SLA_REMINDER_MINUTES;
}

/**
 * A member's alert preferences as they write them: `quietHours` is { start, end } of their own,
 * null for none, or "school" (the default) for the school's.
 */
export const alertPreferencesSchema = z
  .object({
    mode: z.enum(alertModes),
    quietHours: z.union([z.literal("school"), quietHoursSettingsSchema]),
  })
  .partial()
  .strict();

export interface AlertPreferences {
  mode: AlertMode;
  /** "school", or the member's own hours (null: none). */
  quietHours: "school" | QuietHours | null;
}

export const DEFAULT_ALERT_PREFERENCES: AlertPreferences = {
  mode: "instant",
  quietHours: "school",
};

/** The stored preferences over the defaults; an unreadable value falls back whole. */
export function alertPreferencesFrom(stored: Record<string, unknown>): AlertPreferences {
  const parsed = alertPreferencesSchema.safeParse(stored);
  if (!parsed.success) return DEFAULT_ALERT_PREFERENCES;
  const { mode, quietHours } = parsed.data;
  return {
    mode: mode ?? DEFAULT_ALERT_PREFERENCES.mode,
    quietHours:
      quietHours === undefined || quietHours === "school"
        ? "school"
        : quietHours === null || quietHours.start === quietHours.end
          ? null
          : { startMinute: quietHours.start, endMinute: quietHours.end },
  };
}

/** The hours a member's alerts wait through: their own, or the school's. */
export function memberQuietHours(
  preferences: AlertPreferences,
  schoolSettings: Record<string, unknown>,
): QuietHours | null {
  return preferences.quietHours === "school"
    ? quietHoursFromSettings(schoolSettings)
    : preferences.quietHours;
}

/**
 * What happens to an alert for this member at `at`: it goes now, it waits for their morning summary
 * (they chose the summary, or it is their quiet hours), or they want none.
 */
export function alertDelivery(
  preferences: AlertPreferences,
  schoolSettings: Record<string, unknown>,
  at: number,
  timeZone: string,
): "send" | "hold" | "off" {
  if (preferences.mode === "off") return "off";
  if (preferences.mode === "summary") return "hold";
  const quiet = memberQuietHours(preferences, schoolSettings);
  return quietHoursEndAt(quiet, at, timeZone) === null ? "send" : "hold";
}

export function morningSummaryMinuteFrom(settings: Record<string, unknown>): number {
  const parsed = clock.safeParse(settings.morningSummaryTime);
  return parsed.success ? parsed.data : DEFAULT_MORNING_SUMMARY_MINUTE;
}

/** The staff alert settings in force, as the API shows them. */
export function staffAlertSettingsFrom(settings: Record<string, unknown>): StaffAlertSettings {
  return {
    morningSummaryTime: clockText(morningSummaryMinuteFrom(settings)),
    slaReminderMinutes: slaReminderMinutesFrom(settings),
  };
}

/**
 * Today's morning summary time when it has come on a school day (the SLA's working days), or
 * null: not yet, or no school today.
 */
export function dueMorningSummaryAt(
  settings: Record<string, unknown>,
  at: number,
  timeZone: string,
): number | null {
  const { date } = localTimeOf(at, timeZone);
  const weekday = new Date(date).getUTCDay();
  if (!slaFromSettings(settings).workingDays.includes(weekday)) return null;
  const due = instantOfLocalTime(date, morningSummaryMinuteFrom(settings), timeZone);
  return due <= at ? due : null;
}

/** Minutes since midnight as "HH:MM". */
export const clockText = (minute: number) =>
  `${String(Math.floor(minute / 60)).padStart(2, "0")}:${String(minute % 60).padStart(2, "0")}`;

/** Quiet hours as the API shows them: "HH:MM" pairs. */
export const presentQuietHours = (quiet: QuietHours) => ({
  start: clockText(quiet.startMinute),
  end: clockText(quiet.endMinute),
});

/** How the API shows preferences. */
export function presentAlertPreferences(preferences: AlertPreferences) {
  const { quietHours } = preferences;
  return {
    mode: preferences.mode,
    quietHours:
      quietHours === "school" || quietHours === null ? quietHours : presentQuietHours(quietHours),
  };
}
