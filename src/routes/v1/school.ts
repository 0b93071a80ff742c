// /v1/school/guardrails: the school's guardrail limits; everyone reads, the admin changes them.
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { guardrailLimitsSchema } from "../../domain";
import type { AppEnv } from "../../http/app-env";
import { ApiError } from "../../http/errors";
import { validationHook } from "../../http/validation";
import type { ServiceDeps } from "../../services/deps";
import { loadSchoolLimits, saveSchoolLimits } from "../../services/guardrails";
import { errorResponses } from "./schemas";

// The domain owns the rules (plain zod); the API documents the same shape.
const Limits = z.object(guardrailLimitsSchema.shape).openapi("GuardrailLimits");
const security = [{ bearer: [] }];

const read = createRoute({
  method: "get",
  path: "/guardrails",
  tags: ["School"],
  summary: "The school's guardrail limits",
  security,
  responses: {
    200: { description: "Limits in force", content: { "application/json": { schema: Limits } } },
    ...errorResponses(401),
  },
});

const write = createRoute({
  method: "put",
  path: "/guardrails",
  tags: ["School"],
  summary: "Replace the school's guardrail limits (admin)",
  security,
  request: { body: { content: { "application/json": { schema: Limits } }, required: true } },
  responses: {
    200: {
      description: "Limits now in force",
      content: { "application/json": { schema: Limits } },
    },
    ...errorResponses(400, 401, 403, 413, 422),
  },
});

export function schoolRoutes(deps: ServiceDeps) {
  return new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
    .openapi(read, async (c) =>
      c.json(await loadSchoolLimits(deps.db, c.get("staff").schoolId), 200),
    )
    .openapi(write, async (c) => {
      const staff = c.get("staff");
      if (!staff.roles.includes("admin"))
        throw new ApiError(403, "forbidden", "Only an admin may change the guardrails");
      return c.json(await saveSchoolLimits(deps, staff, c.req.valid("json")), 200);
    });
}
