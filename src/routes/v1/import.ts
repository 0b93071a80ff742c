// POST /v1/import/roster: the admin uploads the school's roster CSV; all rows go in, or none.
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { ROSTER_HEADERS } from "../../domain/roster";
import type { AppEnv } from "../../http/app-env";
import { ApiError, unreadableCsv } from "../../http/errors";
import { validationHook } from "../../http/validation";
import type { ServiceDeps } from "../../services/deps";
import { importRoster } from "../../services/roster-import";
import { requireAdmin } from "./directory-admin";
import { errorResponses } from "./schemas";

const Change = z.object({
  row: z.number().int().openapi({ description: "The line in the file (the header is line 1)" }),
  entity: z.enum(["class", "student", "guardian", "link"]),
  key: z.string(),
});
const RosterReportSchema = z
  .object({
    dryRun: z.boolean(),
    applied: z.boolean().openapi({ description: "Whether anything was written" }),
    rows: z.number().int(),
    created: z.array(Change),
    updated: z.array(Change),
    rejected: z.array(
      z.object({
        row: z.number().int(),
        errors: z.array(z.object({ column: z.string(), message: z.string() })),
      }),
    ),
  })
  .openapi("RosterReport");

const headerList = Object.entries(ROSTER_HEADERS)
  .map(
    ([, aliases]) =>
      `\`${aliases[0]}\` (or ${aliases
        .slice(1)
        .map((a) => `"${a}"`)
        .join(", ")})`,
  )
  .join("; ");

const importRosterRoute = createRoute({
  method: "post",
  path: "/roster",
  tags: ["Directory"],
  summary: "Import the school's roster from a CSV (admin)",
  description: [
    "The body is the CSV (`Content-Type: text/csv`), comma-, semicolon- or tab-separated, UTF-8, with a header row. One row per student and guardian; a student with two guardians is on two rows.",
    `Columns (header names are matched without case, spaces or underscores): ${headerList}. Required: admission_no, first_name, last_name, class (or grade and section), guardian_phone, guardian_name (or guardian_first_name and guardian_last_name). relationship defaults to "guardian".`,
    'Classes ("5A", "Grade 5 A", "5-A") are created when new; students are matched by admission number and guardians by phone (normalized to E.164 with the school\'s default country), created or updated; each student is linked to the guardian on their row. Nothing is deleted.',
    "All or nothing: if any row is refused, nothing is written and the answer is 422 with the whole report (each refused row with its line number and reasons). `?dryRun=true` checks and reports without writing.",
  ].join("\n\n"),
  security: [{ bearer: [] }],
  request: {
    query: z.object({ dryRun: z.enum(["true", "false"]).optional() }),
    body: { content: { "text/csv": { schema: z.string() } }, required: true },
  },
  responses: {
    200: {
      description: "Imported (or, with dryRun, what would be)",
      content: { "application/json": { schema: RosterReportSchema } },
    },
    422: {
      description:
        "Rows were refused (nothing written), the file lacks required columns, or it is not readable CSV (an unclosed quote: `details.line` names the line)",
      content: {
        "application/json": {
          schema: z.union([RosterReportSchema, z.object({ error: z.unknown() })]),
        },
      },
    },
    ...errorResponses(401, 403, 409, 413),
  },
});

export function importRoutes(deps: ServiceDeps) {
  return new OpenAPIHono<AppEnv>({ defaultHook: validationHook }).openapi(
    importRosterRoute,
    async (c) => {
      const actor = requireAdmin(c, "import the roster");
      const dryRun = c.req.valid("query").dryRun === "true";
      let result: Awaited<ReturnType<typeof importRoster>>;
      try {
        result = await importRoster(deps, actor, await c.req.text(), { dryRun });
      } catch (error) {
        if (String((error as { code?: unknown }).code).startsWith("SQLITE_CONSTRAINT"))
          throw new ApiError(
            409,
            "conflict",
            "The directory changed during the import; run it again",
          );
        throw error;
      }
      if (!result.ok) {
        throw unreadableCsv("The roster", result);
      }
      return c.json(result.report, result.report.rejected.length ? 422 : 200) as never;
    },
  );
}
