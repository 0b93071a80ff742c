// /v1/audit: the school's audit log for admins: who did what, when, before and after.
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../../http/app-env";
import { ApiError } from "../../http/errors";
import { validationHook } from "../../http/validation";
import { listAudit } from "../../services/audit";
import type { ServiceDeps } from "../../services/deps";
import { errorResponses } from "./schemas";

const AuditQuery = z.object({
  entity: z.string().max(40).optional().openapi({ example: "ticket" }),
  entityId: z.string().max(40).optional(),
  action: z.string().max(60).optional().openapi({ example: "ticket.status" }),
  actor: z.coerce.number().int().positive().optional().openapi({ description: "Staff id" }),
  limit: z.coerce.number().int().min(1).max(100).default(50),
  cursor: z.string().regex(/^\d+$/, "must be a cursor returned by a previous page").optional(),
});

const AuditEntry = z
  .object({
    id: z.number().int(),
    actorType: z.enum(["staff", "guardian", "system"]),
    actorId: z.number().int().nullable(),
    action: z.string(),
    entity: z.string(),
    entityId: z.string(),
    before: z.unknown(),
    after: z.unknown(),
    createdAt: z.string().openapi({ format: "date-time" }),
  })
  .openapi("AuditEntry");

const listRoute = createRoute({
  method: "get",
  path: "/",
  tags: ["Audit"],
  summary: "The school's audit log, newest first (admins only)",
  security: [{ bearer: [] }],
  request: { query: AuditQuery },
  responses: {
    200: {
      description: "One page of entries",
      content: {
        "application/json": {
          schema: z
            .object({ entries: z.array(AuditEntry), nextCursor: z.string().nullable() })
            .openapi("AuditPage"),
        },
      },
    },
    ...errorResponses(401, 403, 422),
  },
});

export function auditRoutes(deps: ServiceDeps) {
  return new OpenAPIHono<AppEnv>({ defaultHook: validationHook }).openapi(listRoute, async (c) => {
    const staff = c.get("staff");
    if (!staff.roles.includes("admin"))
      throw new ApiError(403, "forbidden", "Only admins may read the audit log");
    const query = c.req.valid("query");
    const page = await listAudit(deps.db, staff.schoolId, {
      limit: query.limit,
      ...(query.entity ? { entity: query.entity } : {}),
      ...(query.entityId ? { entityId: query.entityId } : {}),
      ...(query.action ? { action: query.action } : {}),
      ...(query.actor ? { actorId: query.actor } : {}),
      ...(query.cursor ? { before: Number(query.cursor) } : {}),
    });
    return c.json(page, 200);
  });
}
