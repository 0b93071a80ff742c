// /v1/outbox: what could not be delivered, with the reason, and a staff retry (office and admins).
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { outboxStatuses } from "../../../db/schema";
import type { AppEnv } from "../../http/app-env";
import { ApiError } from "../../http/errors";
import { validationHook } from "../../http/validation";
import { listOutbox, retryOutboxRow } from "../../services/dead-letters";
import type { ServiceDeps } from "../../services/deps";
import { errorResponses } from "./schemas";

const OutboxQuery = z.object({
  status: z.enum(outboxStatuses).default("dead").openapi({ example: "dead" }),
  limit: z.coerce.number().int().min(1).max(100).default(50),
  cursor: z.string().regex(/^\d+$/, "must be a cursor returned by a previous page").optional(),
});

const OutboxRow = z
  .object({
    id: z.number().int(),
    channel: z.string(),
    address: z.string(),
    kind: z.string(),
    body: z.string().openapi({ description: "The text; a one-time code shows as {code}" }),
    status: z.enum(outboxStatuses),
    attempts: z.number().int(),
    lastError: z.string().nullable().openapi({ description: "Why it was not delivered" }),
    ticketId: z.number().int().nullable(),
    announcementId: z.number().int().nullable(),
    createdAt: z.string().openapi({ format: "date-time" }),
    updatedAt: z.string().openapi({ format: "date-time" }),
  })
  .openapi("OutboxMessage");

const listRoute = createRoute({
  method: "get",
  path: "/",
  tags: ["Outbox"],
  summary: "The school's outgoing messages by status, newest first; dead letters by default",
  security: [{ bearer: [] }],
  request: { query: OutboxQuery },
  responses: {
    200: {
      description: "One page of messages",
      content: {
        "application/json": {
          schema: z
            .object({ messages: z.array(OutboxRow), nextCursor: z.string().nullable() })
            .openapi("OutboxPage"),
        },
      },
    },
    ...errorResponses(401, 403, 422),
  },
});

const retryRoute = createRoute({
  method: "post",
  path: "/{id}/retry",
  tags: ["Outbox"],
  summary: "Send an undelivered message again (dead, failed or undelivered; not one-time codes)",
  security: [{ bearer: [] }],
  request: { params: z.object({ id: z.coerce.number().int().positive() }) },
  responses: {
    202: {
      description: "Queued again, due now",
      content: {
        "application/json": {
          schema: z.object({ id: z.number().int(), status: z.literal("pending") }),
        },
      },
    },
    ...errorResponses(401, 403, 404, 409, 422),
  },
});

const iso = (ms: number) => new Date(ms).toISOString();

export function outboxRoutes(deps: ServiceDeps) {
  const mayHandleDeliveries = (roles: string[]) =>
    roles.includes("admin") || roles.includes("office");
  return new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
    .openapi(listRoute, async (c) => {
      const staff = c.get("staff");
      if (!mayHandleDeliveries(staff.roles))
        throw new ApiError(403, "forbidden", "Only office staff and admins see deliveries");
      const query = c.req.valid("query");
      const page = await listOutbox(deps, staff.schoolId, {
        status: query.status,
        limit: query.limit,
        ...(query.cursor ? { before: Number(query.cursor) } : {}),
      });
      const messages = page.rows.map((row) => ({
        ...row,
        createdAt: iso(row.createdAt),
        updatedAt: iso(row.updatedAt),
      }));
      return c.json({ messages, nextCursor: page.nextCursor }, 200);
    })
    .openapi(retryRoute, async (c) => {
      const staff = c.get("staff");
      if (!mayHandleDeliveries(staff.roles))
        throw new ApiError(403, "forbidden", "Only office staff and admins retry deliveries");
      const { id } = c.req.valid("param");
      const result = await retryOutboxRow(
        deps,
        { staffId: staff.staffId, schoolId: staff.schoolId },
        id,
      );
      if (!result.ok) throw new ApiError(result.status, result.code, result.message);
      return c.json({ id, status: "pending" as const }, 202);
    });
}
