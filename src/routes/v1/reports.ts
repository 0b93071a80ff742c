// /v1/reports: how the school answers parents (ticket figures by category, class, assignee or
// week, within what the caller may see) and how announcements reach families, by channel.
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../../http/app-env";
import { validationHook } from "../../http/validation";
import { announcementChannelReport } from "../../services/announcement-channel-report";
import { SKIP_REASONS } from "../../services/announcement-reports";
import type { ServiceDeps } from "../../services/deps";
import {
  loadSchoolClock,
  periodInstants,
  reportGroupings,
  ticketReport,
} from "../../services/ticket-reports";
import { PeriodQuery, periodOf } from "./report-period";
import { errorResponses } from "./schemas";

const security = [{ bearer: [] }];
const json = <T extends z.ZodTypeAny>(schema: T) => ({
  content: { "application/json": { schema } },
});

const TicketReportQuery = PeriodQuery.extend({
  groupBy: z.enum(reportGroupings).default("category").openapi({
    description: "category, class (the child's), assignee, or week (weeks start on Monday)",
  }),
});

const Percentiles = z
  .object({
    count: z.number().int().openapi({ description: "Tickets the figures are taken over" }),
    medianHours: z.number().nullable(),
    p90Hours: z.number().nullable(),
  })
  .openapi("WorkingHoursPercentiles", {
    description:
      "Working hours (the school's settings.sla day and working days), nearest-rank percentiles; null with no tickets",
  });

const Figures = z.object({
  tickets: z.number().int().openapi({ description: "Tickets created in the period" }),
  firstResponse: Percentiles.openapi({ description: "Creation to the first staff answer" }),
  resolution: Percentiles.openapi({ description: "Creation to resolution (resolved tickets)" }),
  slaBreached: z.number().int(),
  slaBreachRate: z.number().nullable().openapi({
    description: "Of tickets with a due time: answered late, or unanswered past it (0–1)",
  }),
  reopened: z.number().int(),
  reopenRate: z
    .number()
    .nullable()
    .openapi({ description: "Of tickets ever resolved: reopened by the parent (0–1)" }),
  csat: z.object({
    average: z.number().nullable().openapi({ description: "The parents' 1–5 ratings" }),
    count: z.number().int(),
  }),
});

const TicketReportSchema = z
  .object({
    from: z.string(),
    to: z.string(),
    timeZone: z.string(),
    groupBy: z.enum(reportGroupings),
    groups: z.array(
      Figures.extend({ key: z.string(), label: z.string() }).openapi("TicketReportGroup"),
    ),
    total: Figures.openapi("TicketFigures"),
  })
  .openapi("TicketReport");

const ChannelFigures = z
  .object({
    channel: z.string(),
    recipients: z.number().int(),
    pending: z.number().int(),
    delivered: z.number().int(),
    read: z.number().int(),
    failed: z.number().int(),
    deliveredRate: z.number().nullable(),
    readRate: z.number().nullable(),
    failedRate: z.number().nullable(),
  })
  .openapi("AnnouncementChannelFigures");

const AnnouncementReportSchema = z
  .object({
    from: z.string(),
    to: z.string(),
    announcements: z.number().int(),
    recipients: z.number().int().openapi({ description: "Families in the audiences" }),
    reached: z.number().int().openapi({ description: "Given a message or held for a digest" }),
    reachRate: z.number().nullable(),
    skipped: z.object(
      Object.fromEntries(SKIP_REASONS.map((reason) => [reason, z.number().int()])) as Record<
        (typeof SKIP_REASONS)[number],
        z.ZodNumber
      >,
    ),
    byChannel: z.array(ChannelFigures),
  })
  .openapi("AnnouncementReport");

const routes = {
  tickets: createRoute({
    method: "get",
    path: "/tickets",
    tags: ["Reports"],
    summary: "Ticket figures for a period, grouped: volume, waits, SLA, reopens, ratings",
    description: [
      "Tickets created from `from` to `to` (whole days in the school's time zone, both included; the last 28 days when left out; at most 366 days) that the caller may see: a teacher their classes' and their own, office staff their function's, an admin the school.",
      "",
      "Waits are in the school's working hours (`settings.sla`): a ticket written on Friday evening and answered on Monday at 09:00 waited one working hour. Median and p90 are nearest-rank.",
    ].join("\n"),
    security,
    request: { query: TicketReportQuery },
    responses: {
      200: { description: "The report", ...json(TicketReportSchema) },
      ...errorResponses(401, 422),
    },
  }),
  announcements: createRoute({
    method: "get",
    path: "/announcements",
    tags: ["Reports"],
    summary: "How the period's announcements reached families: reach, and rates by channel",
    description:
      "Announcements created from `from` to `to` (school days, both included; the last 28 days when left out), cancelled ones left out. Each recipient counts by its latest message (a fallback to SMS counts on SMS); rates are fractions of that channel's recipients.",
    security,
    request: { query: PeriodQuery },
    responses: {
      200: { description: "The report", ...json(AnnouncementReportSchema) },
      ...errorResponses(401, 422),
    },
  }),
};

export function reportRoutes(deps: ServiceDeps) {
  return new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
    .openapi(routes.tickets, async (c) => {
      const viewer = c.get("staff");
      const query = c.req.valid("query");
      const { timeZone } = await loadSchoolClock(deps.db, viewer.schoolId);
      const period = periodOf(query, deps.now(), timeZone);
      const report = await ticketReport(deps.db, viewer, {
        ...period,
        groupBy: query.groupBy,
        now: deps.now(),
      });
      return c.json(report, 200);
    })
    .openapi(routes.announcements, async (c) => {
      const viewer = c.get("staff");
      const { timeZone } = await loadSchoolClock(deps.db, viewer.schoolId);
      const period = periodOf(c.req.valid("query"), deps.now(), timeZone);
      const { from, to } = periodInstants(period, timeZone);
      return c.json(
        { ...period, ...announcementChannelReport(deps.db, viewer.schoolId, from, to) },
        200,
      );
    });
}
