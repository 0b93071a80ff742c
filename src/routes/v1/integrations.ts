// /v1/integrations: school events in. A school's system sends one event per request with its API
// key and an Idempotency-Key; an admin without an integration uploads the same events as CSV.
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../../http/app-env";
import { ApiError, unreadableCsv } from "../../http/errors";
import { validationHook } from "../../http/validation";
import { SchoolEventSchema } from "../../school-events/event-schema";
import { EVENT_CSV_COLUMNS } from "../../school-events/events-csv";
import { API_KEY_PREFIX, findApiKey } from "../../services/api-keys";
import type { ServiceDeps } from "../../services/deps";
import {
  EVENT_REJECT_REASONS,
  type EventSender,
  receiveSchoolEvent,
  requestHashOf,
} from "../../services/school-events";
import { importEventsCsv } from "../../services/school-events-csv";
import { requireAdmin } from "./directory-admin";
import { errorResponses } from "./schemas";

type IntegrationEnv = AppEnv & { Variables: { eventSender: EventSender } };

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

const EventAnswerSchema = z
  .object({
    id: z.number().int().openapi({ description: "The event's id at Parentline" }),
    type: z.string(),
    accepted: z
      .number()
      .int()
      .openapi({ description: "Children whose guardians were sent a notice" }),
    messages: z
      .number()
      .int()
      .openapi({ description: "Notices queued: one per guardian per child" }),
    rejected: z.array(
      z.object({
        admissionNumber: z.string(),
        reason: z.enum(Object.keys(EVENT_REJECT_REASONS) as [keyof typeof EVENT_REJECT_REASONS]),
      }),
    ),
  })
  .openapi("SchoolEventAnswer");

const eventRoute = createRoute({
  method: "post",
  path: "/events",
  tags: ["Integrations"],
  summary: "Send one school event (API key)",
  description: [
    `Authenticate with an API key from POST /v1/api-keys: \`Authorization: Bearer ${API_KEY_PREFIX}…\`. Send an \`Idempotency-Key\` header (any 1–255 visible characters, new for each event): a retry with the same key and body answers the same and sends nothing again; the same key with another body is 409.`,
    "One event per request, told apart by `type`: `attendance.marked` {date, absent[], late[], period}, `fee.reminder` {admissionNumbers[], amount, currency, dueDate}, `scores.published` {classes[], admissionNumbers[], title, url}. Each child named becomes one message per guardian, in the guardian's language, naming the child, on their preferred channel.",
    "Attendance notices are urgent: they go at once, through quiet hours and whatever the guardian chose for announcements (an opted-out address still gets nothing). A parent's answer to one becomes an Attendance ticket on that child. Fee reminders and scores wait for the end of quiet hours and are not sent to guardians who turned announcements off.",
    "A malformed event is 422 naming the field and sends nothing. Admission numbers the school does not have, and children none of whose guardians can be reached, are listed in `rejected`; the rest go.",
  ].join("\n\n"),
  security: [{ apiKey: [] }],
  request: {
    headers: z.object({
      "idempotency-key": z.string().openapi({ example: "att-2026-12-07-AM" }),
    }),
    body: { content: { "application/json": { schema: SchoolEventSchema } }, required: true },
  },
  responses: {
    202: {
      description:
        "Taken: the notices are queued (or, for a replayed key, what the first answered)",
      content: { "application/json": { schema: EventAnswerSchema } },
    },
    400: {
      description: "No Idempotency-Key header, or one that is not 1–255 visible characters",
      content: { "application/json": { schema: z.object({ error: z.unknown() }) } },
    },
    401: {
      description: "No API key, a wrong one, or a revoked one",
      content: { "application/json": { schema: z.object({ error: z.unknown() }) } },
    },
    409: {
      description: "The Idempotency-Key was already used for a different event",
      content: { "application/json": { schema: z.object({ error: z.unknown() }) } },
    },
    ...errorResponses(413, 422),
  },
});

const csvRoute = createRoute({
  method: "post",
  path: "/events.csv",
  tags: ["Integrations"],
  summary: "Upload school events as CSV (admin)",
  description: [
    `For schools without an integration. The body is the CSV (\`Content-Type: text/csv\`) with a header row; one row per child. Columns: ${EVENT_CSV_COLUMNS.map((c) => `\`${c}\``).join(", ")}. \`type\` and \`admission_no\` always; \`date\`, \`period\` and \`status\` (absent or late) for attendance.marked; \`amount\`, \`currency\` and \`due_date\` for fee.reminder; \`title\` and \`url\` for scores.published. Rows with the same type and fields are one event.`,
    "Like the roster import: all or nothing. Any refused row sends nothing and answers 422 with the row-by-row report; `?dryRun=true` checks and reports without sending. The same file sent twice sends nothing twice (or send an `Idempotency-Key`).",
  ].join("\n\n"),
  security: [{ bearer: [] }],
  request: {
    query: z.object({ dryRun: z.enum(["true", "false"]).optional() }),
    body: { content: { "text/csv": { schema: z.string() } }, required: true },
  },
  responses: {
    200: {
      description: "Sent (or, with dryRun, what would be)",
      content: {
        "application/json": { schema: z.object({}).passthrough().openapi("EventsCsvReport") },
      },
    },
    422: {
      description:
        "Rows were refused (nothing sent), required columns are missing, or the file is not readable CSV",
      content: { "application/json": { schema: z.object({}).passthrough() } },
    },
    ...errorResponses(401, 403, 413),
  },
});

/** The API key and the Idempotency-Key, before the body is read: a refused call touches nothing. */
function requireEventKey(deps: ServiceDeps): MiddlewareHandler<IntegrationEnv> {
  return async (c, next) => {
    const [scheme, presented] = (c.req.header("authorization") ?? "").split(" ");
    const key =
      scheme?.toLowerCase() === "bearer" && presented ? findApiKey(deps, presented) : null;
    if (!key)
      throw new ApiError(
        401,
        "unauthorized",
        `Send the school's API key as 'Authorization: Bearer ${API_KEY_PREFIX}…'; this one is missing, wrong or revoked`,
      );
    const idempotencyKey = c.req.header("idempotency-key");
    if (!idempotencyKey || !IDEMPOTENCY_KEY.test(idempotencyKey))
      throw new ApiError(
        400,
        "idempotency_key_required",
        "Send an Idempotency-Key header (1–255 visible characters, new for each event) so a retry never sends twice",
      );
    c.set("eventSender", { schoolId: key.schoolId, apiKeyId: key.apiKeyId });
    await next();
  };
}

export function integrationRoutes(deps: ServiceDeps, staffOnly: MiddlewareHandler<AppEnv>) {
  const app = new OpenAPIHono<IntegrationEnv>({ defaultHook: validationHook });
  app.use("/events", requireEventKey(deps));
  app.use("/events.csv", staffOnly as unknown as MiddlewareHandler<IntegrationEnv>);
  return app
    .openapi(eventRoute, async (c) => {
      const event = c.req.valid("json");
      const idempotencyKey = c.req.valid("header")["idempotency-key"];
      // The body as parsed: the same event sent with other spacing is the same request.
      const requestHash = requestHashOf(JSON.stringify(await c.req.json()));
      const outcome = await receiveSchoolEvent(deps, c.get("eventSender"), event, {
        key: idempotencyKey,
        requestHash,
      });
      if (!outcome.ok)
        throw new ApiError(outcome.status, outcome.code, outcome.message, outcome.details);
      if (outcome.replayed) c.header("Idempotent-Replayed", "true");
      return c.json(outcome.answer, 202);
    })
    .openapi(csvRoute, async (c) => {
      const admin = requireAdmin(c as never, "upload school events");
      const idempotencyKey = c.req.header("idempotency-key");
      const result = await importEventsCsv(deps, admin, await c.req.text(), {
        dryRun: c.req.valid("query").dryRun === "true",
        ...(idempotencyKey ? { idempotencyKey } : {}),
      });
      if (!result.ok) throw unreadableCsv("The events", result);
      return c.json(result.report, result.report.rejected.length ? 422 : 200) as never;
    });
}
