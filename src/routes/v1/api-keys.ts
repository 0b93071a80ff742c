// /v1/api-keys: admins make, list and revoke the keys their school's other systems send events with.
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../../http/app-env";
import { notFound } from "../../http/errors";
import { validationHook } from "../../http/validation";
import { createApiKey, listApiKeys, revokeApiKey } from "../../services/api-keys";
import type { ServiceDeps } from "../../services/deps";
import { requireAdmin } from "./directory-admin";
import { errorResponses } from "./schemas";

const security = [{ bearer: [] }];
const json = <T extends z.ZodTypeAny>(schema: T) => ({
  content: { "application/json": { schema } },
});

const ApiKey = z
  .object({
    id: z.number().int(),
    name: z.string(),
    prefix: z.string().openapi({
      description: "The key's first characters, to tell keys apart",
      example: "plk_events_Xa81Qz",
    }),
    scope: z.literal("events"),
    createdAt: z.string().openapi({ format: "date-time" }),
    createdBy: z.number().int().nullable().openapi({ description: "The admin who made it" }),
    lastUsedAt: z.string().nullable().openapi({ format: "date-time" }),
    revokedAt: z.string().nullable().openapi({ format: "date-time" }),
  })
  .openapi("ApiKey");
const CreatedApiKey = ApiKey.extend({
  key: z.string().openapi({
    description:
      "The key itself: shown this once, never again. Keep it in the other system's secrets.",
  }),
}).openapi("CreatedApiKey");
const ApiKeyInput = z
  .object({
    name: z
      .string()
      .trim()
      .min(1)
      .max(80)
      .openapi({ description: "What uses it", example: "Attendance system" }),
  })
  .openapi("ApiKeyInput");
const IdParam = z.object({
  id: z.coerce
    .number()
    .int()
    .positive()
    .openapi({ param: { name: "id", in: "path" } }),
});

const routes = {
  list: createRoute({
    method: "get",
    path: "/",
    tags: ["Integrations"],
    summary: "The school's API keys, without the keys (admin)",
    security,
    responses: {
      200: { description: "Keys, newest first", ...json(z.object({ apiKeys: z.array(ApiKey) })) },
      ...errorResponses(401, 403),
    },
  }),
  create: createRoute({
    method: "post",
    path: "/",
    tags: ["Integrations"],
    summary: "Make an API key for the school's events (admin)",
    description:
      "The key may send events to POST /v1/integrations/events for this school and nothing else. It is shown in this answer only; Parentline keeps a keyed hash. Audited.",
    security,
    request: { body: { ...json(ApiKeyInput), required: true } },
    responses: {
      201: { description: "Made; `key` is shown only here", ...json(CreatedApiKey) },
      ...errorResponses(400, 401, 403, 422),
    },
  }),
  revoke: createRoute({
    method: "delete",
    path: "/{id}",
    tags: ["Integrations"],
    summary: "Revoke an API key (admin)",
    description: "From now on the key gets 401. Revoking a revoked key changes nothing. Audited.",
    security,
    request: { params: IdParam },
    responses: {
      200: { description: "Revoked", ...json(ApiKey) },
      ...errorResponses(401, 403, 404),
    },
  }),
};

export function apiKeyRoutes(deps: ServiceDeps) {
  return new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
    .openapi(routes.list, async (c) => {
      const admin = requireAdmin(c, "see the school's API keys");
      return c.json({ apiKeys: await listApiKeys(deps, admin.schoolId) }, 200);
    })
    .openapi(routes.create, async (c) => {
      const admin = requireAdmin(c, "make API keys");
      return c.json(await createApiKey(deps, admin, c.req.valid("json").name), 201);
    })
    .openapi(routes.revoke, async (c) => {
      const admin = requireAdmin(c, "revoke API keys");
      const revoked = await revokeApiKey(deps, admin, c.req.valid("param").id);
      if (!revoked) throw notFound("API key");
      return c.json(revoked, 200);
    });
}
