// The period a report or export covers: whole days in the school's time zone, validated as a query
// (from and to as YYYY-MM-DD, both included; the last four weeks when left out).
import { z } from "@hono/zod-openapi";
import { addDays, dateText, localTimeOf } from "../../domain";
import { ApiError } from "../../http/errors";
import type { ReportPeriod } from "../../services/ticket-reports";

/** The longest period one report covers. */
export const MAX_REPORT_DAYS = 366;
const DAY = 86_400_000;
const DEFAULT_DAYS = 28;

const localDate = (field: string) =>
  z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, { message: "must be a date as YYYY-MM-DD", abort: true })
    .refine((text) => {
      const at = Date.parse(text);
      return Number.isFinite(at) && new Date(at).toISOString().slice(0, 10) === text;
    }, "is not a calendar date")
    .optional()
    .openapi({
      description: `${field}, in the school's time zone (YYYY-MM-DD, included)`,
      example: field === "First day" ? "2026-11-01" : "2026-11-30",
    });

export const PeriodQuery = z.object({ from: localDate("First day"), to: localDate("Last day") });

/** The asked period, or the four weeks up to today; a reversed or too long one is a 422. */
export function periodOf(
  query: { from?: string | undefined; to?: string | undefined },
  now: number,
  timeZone: string,
): ReportPeriod {
  const to = query.to ?? dateText(localTimeOf(now, timeZone).date);
  const from = query.from ?? dateText(addDays(Date.parse(to), 1 - DEFAULT_DAYS));
  const days = (Date.parse(to) - Date.parse(from)) / DAY + 1;
  if (days < 1 || days > MAX_REPORT_DAYS) {
    throw new ApiError(422, "validation_failed", "The request is not valid", [
      {
        path: query.to !== undefined ? "to" : "from",
        message:
          days < 1
            ? "must not be before from"
            : `the period may cover at most ${MAX_REPORT_DAYS} days`,
      },
    ]);
  }
  return { from, to };
}
