// /v1/jobs: how the server's periodic jobs ran (admins): each job's last run, how long it took,
// how it ended, and when it runs next.
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../../http/app-env";
import { ApiError } from "../../http/errors";
import { validationHook } from "../../http/validation";
import type { ServiceDeps } from "../../services/deps";
import { listJobRuns } from "../../services/job-runs";
import { errorResponses } from "./schemas";

const JobSchema = z
  .object({
    name: z.string().openapi({ example: "staff-alerts" }),
    intervalMs: z.number().int(),
    lastRun: z
      .object({
        startedAt: z.string().openapi({ format: "date-time" }),
        durationMs: z.number().int(),
        result: z.enum(["ok", "failed"]),
        error: z.string().nullable().openapi({ description: "Why the run failed" }),
      })
      .nullable()
      .openapi({ description: "Null until the job has run once" }),
    nextRunAt: z.string().nullable().openapi({ format: "date-time" }),
  })
  .openapi("Job");

const listRoute = createRoute({
  method: "get",
  path: "/",
  tags: ["Jobs"],
  summary: "The periodic jobs: last run, duration, result, next run (admins only)",
  description:
    "Jobs run in the server process: `announcements` (scheduled announcements, digests), `staff-alerts` (follow-ups, SLA notices, morning summaries, weekly reports), `dedupe-pruning`, and `backup` when BACKUP_DIR is set. Runs are kept in the database, so the last run survives a restart.",
  security: [{ bearer: [] }],
  responses: {
    200: {
      description: "Every job that has been scheduled",
      content: { "application/json": { schema: z.object({ jobs: z.array(JobSchema) }) } },
    },
    ...errorResponses(401, 403),
  },
});

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export function jobRoutes(deps: ServiceDeps) {
  return new OpenAPIHono<AppEnv>({ defaultHook: validationHook }).openapi(listRoute, async (c) => {
    if (!c.get("staff").roles.includes("admin"))
      throw new ApiError(403, "forbidden", "Only admins may see how jobs ran");
    const jobs = listJobRuns(deps.db).map((job) => ({
      name: job.name,
      intervalMs: job.intervalMs,
      lastRun:
        job.lastStartedAt === null || job.lastResult === null
          ? null
          : {
              startedAt: new Date(job.lastStartedAt).toISOString(),
              durationMs: job.lastDurationMs ?? 0,
              result: job.lastResult,
              error: job.lastError,
            },
      nextRunAt: iso(job.nextRunAt),
    }));
    return c.json({ jobs }, 200);
  });
}
