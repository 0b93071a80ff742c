// /v1/exports: CSV files for spreadsheets, streamed page by page as they are read (never built whole
// in memory), under the same visibility as the reports.
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../../http/app-env";
import { streamCsv } from "../../http/csv-stream";
import { notFound } from "../../http/errors";
import { validationHook } from "../../http/validation";
import { getAnnouncement } from "../../services/announcement-reports";
import type { ServiceDeps } from "../../services/deps";
import { recipientExportPages, ticketExportPages } from "../../services/exports";
import { loadSchoolClock, periodInstants } from "../../services/ticket-reports";
import { PeriodQuery, periodOf } from "./report-period";
import { errorResponses } from "./schemas";

const security = [{ bearer: [] }];
const csv = (description: string) => ({
  description,
  content: { "text/csv": { schema: z.string() } },
});

const CELLS_NOTE =
  "UTF-8 with a byte-order mark, CRLF line ends. Text starting with =, +, -, @, a tab or a carriage return gets a leading apostrophe, so a spreadsheet shows it instead of running it.";

const routes = {
  tickets: createRoute({
    method: "get",
    path: "/tickets.csv",
    tags: ["Reports"],
    summary: "The tickets of a period the caller may see, one row each, as CSV",
    description: `Tickets created from \`from\` to \`to\` (school days, both included; the last 28 days when left out) in creation order, with the same visibility as GET /v1/reports/tickets. ${CELLS_NOTE}`,
    security,
    request: { query: PeriodQuery },
    responses: { 200: csv("The file, streamed"), ...errorResponses(401, 422) },
  }),
  recipients: createRoute({
    method: "get",
    path: "/announcements/{id}/recipients.csv",
    tags: ["Reports"],
    summary: "An announcement's recipients and what became of each message, as CSV",
    description: `Every family the announcement was for, in guardian order: channel, state (as GET /v1/announcements/{id} gives it), why it was skipped, why it failed. ${CELLS_NOTE}`,
    security,
    request: {
      params: z.object({
        id: z.coerce
          .number()
          .int()
          .positive()
          .openapi({ param: { name: "id", in: "path" }, example: 1 }),
      }),
    },
    responses: { 200: csv("The file, streamed"), ...errorResponses(401, 404, 422) },
  }),
};

export function exportRoutes(deps: ServiceDeps) {
  return new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
    .openapi(routes.tickets, async (c) => {
      const viewer = c.get("staff");
      const { timeZone, clock } = await loadSchoolClock(deps.db, viewer.schoolId);
      const now = deps.now();
      const period = periodOf(c.req.valid("query"), now, timeZone);
      const { from, to } = periodInstants(period, timeZone);
      const pages = ticketExportPages(deps.db, viewer, { from, to, now, clock });
      return streamCsv(c, `tickets-${period.from}-to-${period.to}.csv`, pages) as never;
    })
    .openapi(routes.recipients, async (c) => {
      const { id } = c.req.valid("param");
      const announcement = await getAnnouncement(deps, c.get("staff").schoolId, id);
      if (!announcement) throw notFound("Announcement");
      const pages = recipientExportPages(deps, id);
      return streamCsv(c, `announcement-${id}-recipients.csv`, pages) as never;
    });
}
