// First-response SLA (pure): when a ticket's first staff answer is due, counted in the school's
// working hours and time zone, so a message sent on Friday evening is not "late" by Saturday.
import { z } from "zod";
import { offsetAt } from "./local-time";

export const ticketPriorities = ["normal", "urgent"] as const;

type Priority = (typeof ticketPriorities)[number];

export interface SlaPolicy {
  /** Working hours allowed before the first answer, by priority. */
  firstResponseHours: Record<Priority, number>;
  /** The school day, local time, as minutes since midnight ("08:00" → 480). */
  dayStartMinute: number;
  dayEndMinute: number;
  /** Working weekdays, 0 = Sunday … 6 = Saturday. */
  workingDays: readonly number[];
}

/** A school day of 08:00–16:00, Monday to Friday: urgent within 2 working hours, others 8 (one school day). */
export const DEFAULT_SLA: SlaPolicy = {
  firstResponseHours: { normal: 8, urgent: 2 },
  dayStartMinute: 8 * 60,
  dayEndMinute: 16 * 60,
  workingDays: [1, 2, 3, 4, 5],
};

const clock = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, "HH:MM")
  .transform((text) => Number(text.slice(0, 2)) * 60 + Number(text.slice(3)));

/** The shape of settings.sla on a school, as an admin would write it. */
export const slaSettingsSchema = z
  .object({
    firstResponseHours: z
      .object({
        normal: z.number().positive().max(200),
        urgent: z.number().positive().max(200),
      })
      .partial(),
    dayStart: clock,
    dayEnd: clock,
    workingDays: z.array(z.number().int().min(0).max(6)).min(1).max(7),
  })
  .partial();

/** A school's policy: its settings.sla over the defaults; an invalid setting falls back whole. */
export function slaFromSettings(settings: Record<string, unknown>): SlaPolicy {
  const parsed = slaSettingsSchema.safeParse(settings.sla ?? {});
  if (!parsed.success) return DEFAULT_SLA;
  const sla = parsed.data;
  const policy: SlaPolicy = {
    firstResponseHours: { ...DEFAULT_SLA.firstResponseHours, ...sla.firstResponseHours },
    dayStartMinute: sla.dayStart ?? DEFAULT_SLA.dayStartMinute,
    dayEndMinute: sla.dayEnd ?? DEFAULT_SLA.dayEndMinute,
    workingDays: sla.workingDays ?? DEFAULT_SLA.workingDays,
  };
  return policy.dayEndMinute > policy.dayStartMinute ? policy : DEFAULT_SLA;
}

const MINUTE = 60_000;
const DAY = 1440 * MINUTE;

/**
 * When the first answer to a ticket created at `createdAt` is due. The count runs on the local
 * wall clock (working windows are local), then converts back; across a DST change the result can
 * be an hour off, which a school's first-response promise tolerates.
 */
export function firstResponseDueAt(
  policy: SlaPolicy,
  priority: Priority,
  createdAt: number,
  timeZone: string,
): number {
  let remaining = policy.firstResponseHours[priority] * 60 * MINUTE;
  let local = createdAt + offsetAt(createdAt, timeZone);
  // A week holds at least one working day, so each round either uses time or reaches one.
  for (let guard = 0; guard < 4000 && remaining > 0; guard++) {
    const dayStart = Math.floor(local / DAY) * DAY;
    const weekday = new Date(dayStart).getUTCDay();
    const open = dayStart + policy.dayStartMinute * MINUTE;
    const close = dayStart + policy.dayEndMinute * MINUTE;
    if (!policy.workingDays.includes(weekday) || local >= close) {
      local = dayStart + DAY;
      continue;
    }
    if (local < open) local = open;
    const used = Math.min(remaining, close - local);
    local += used;
    remaining -= used;
  }
  return local - offsetAt(local - offsetAt(local, timeZone), timeZone);
}
