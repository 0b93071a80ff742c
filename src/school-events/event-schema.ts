// The events a school's systems send (POST /v1/integrations/events): one flat JSON object per
// request, told apart by `type`. Checked field by field, so a refusal names the field at fault.
import { z } from "@hono/zod-openapi";

/** The most children one event may list: a whole school's attendance fits, a mistake does not. */
export const MAX_EVENT_CHILDREN = 5000;

const calendarDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "must be a date as YYYY-MM-DD")
  .refine((value) => {
    const [year, month, day] = value.split("-").map(Number) as [number, number, number];
    const date = new Date(Date.UTC(year, month - 1, day));
    return date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
  }, "is not a calendar date")
  .openapi({ example: "2026-12-07" });

const admissionNumber = z.string().trim().min(1, "must not be empty").max(64);
const admissionNumbers = z.array(admissionNumber).max(MAX_EVENT_CHILDREN);

const CURRENCIES = new Set(Intl.supportedValuesOf("currency"));

/** An ISO 4217 code Intl can write amounts in. */
const currency = z
  .string()
  .regex(/^[A-Z]{3}$/, "must be a three-letter ISO 4217 code such as USD")
  .refine((code) => CURRENCIES.has(code), "is not a currency Parentline can write amounts in")
  .openapi({ example: "USD" });

const httpsLink = z
  .string()
  .max(2048)
  .refine((value) => {
    try {
      const url = new URL(value);
      return url.protocol === "https:" && url.hostname.includes(".");
    } catch {
      return false;
    }
  }, "must be a public https:// link");

export const AttendanceMarkedSchema = z
  .object({
    type: z.literal("attendance.marked"),
    date: calendarDate,
    absent: admissionNumbers.default([]),
    late: admissionNumbers.default([]),
    period: z.string().trim().min(1).max(40).openapi({ example: "AM" }),
  })
  .strict()
  .superRefine((event, ctx) => {
    if (event.absent.length + event.late.length === 0)
      ctx.addIssue({
        code: "custom",
        path: ["absent"],
        message: "absent or late must list at least one admission number",
      });
    const absent = new Set(event.absent.map((no) => no.toUpperCase()));
    event.late.forEach((no, at) => {
      if (absent.has(no.toUpperCase()))
        ctx.addIssue({
          code: "custom",
          path: ["late", at],
          message: `${no} is also listed as absent`,
        });
    });
  })
  .openapi("AttendanceMarkedEvent");

export const FeeReminderSchema = z
  .object({
    type: z.literal("fee.reminder"),
    admissionNumbers: admissionNumbers.min(1, "must list at least one admission number"),
    amount: z
      .string()
      .regex(/^\d{1,9}(\.\d{1,2})?$/, "must be a decimal amount such as 45.00")
      .openapi({ example: "45.00" }),
    currency,
    dueDate: calendarDate,
  })
  .strict()
  .openapi("FeeReminderEvent");

export const ScoresPublishedSchema = z
  .object({
    type: z.literal("scores.published"),
    classes: z.array(z.string().trim().min(1).max(40)).max(200).default([]),
    admissionNumbers: admissionNumbers.default([]),
    title: z.string().trim().min(1).max(200).openapi({ example: "Term 1 report cards" }),
    url: httpsLink.openapi({ example: "https://portal.example.org/reports" }),
  })
  .strict()
  .superRefine((event, ctx) => {
    if (event.classes.length + event.admissionNumbers.length === 0)
      ctx.addIssue({
        code: "custom",
        path: ["classes"],
        message: "classes or admissionNumbers must name at least one",
      });
  })
  .openapi("ScoresPublishedEvent");

export const SchoolEventSchema = z
  .discriminatedUnion("type", [AttendanceMarkedSchema, FeeReminderSchema, ScoresPublishedSchema])
  .openapi("SchoolEvent");

export type SchoolEvent = z.infer<typeof SchoolEventSchema>;
export type AttendanceMarked = z.infer<typeof AttendanceMarkedSchema>;
export type FeeReminder = z.infer<typeof FeeReminderSchema>;
export type ScoresPublished = z.infer<typeof ScoresPublishedSchema>;

/** Attendance notices go at once, whatever the hour or the guardian's announcement choice. */
export const isUrgentEvent = (event: SchoolEvent) => event.type === "attendance.marked";
