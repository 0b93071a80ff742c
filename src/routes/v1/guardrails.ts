// /v1/guardians/{id}/guardrails and /v1/guardrails/check: what the guardrails say about a guardian,
// from the same functions the bot uses before it creates a ticket.
import { createRoute, OpenAPIHono } from "@hono/zod-openapi";
import { and, eq } from "drizzle-orm";
import { schema } from "../../../db";
import type { AppEnv } from "../../http/app-env";
import { notFound } from "../../http/errors";
import { validationHook } from "../../http/validation";
import type { ServiceDeps } from "../../services/deps";
import { checkNewTicket, describeGuardrails } from "../../services/guardrails";
import {
  errorResponses,
  GuardianGuardrailsSchema,
  GuardianIdParam,
  GuardrailCheckBody,
  GuardrailCheckSchema,
} from "./schemas";

const security = [{ bearer: [] }];
const iso = (at: number | null) => (at === null ? null : new Date(at).toISOString());

const guardianGuardrails = createRoute({
  method: "get",
  path: "/guardians/{id}/guardrails",
  tags: ["Guardrails"],
  summary: "Each guardrail's current count, limit and when it frees up, for one guardian",
  security,
  request: { params: GuardianIdParam },
  responses: {
    200: {
      description: "The guardian's guardrails",
      content: { "application/json": { schema: GuardianGuardrailsSchema } },
    },
    ...errorResponses(401, 404, 422),
  },
});

const check = createRoute({
  method: "post",
  path: "/guardrails/check",
  tags: ["Guardrails"],
  summary: "Would a new ticket from this guardian be allowed now?",
  description: "The same check the chat bot makes before it creates a ticket.",
  security,
  request: {
    body: { content: { "application/json": { schema: GuardrailCheckBody } }, required: true },
  },
  responses: {
    200: {
      description: "The verdict",
      content: { "application/json": { schema: GuardrailCheckSchema } },
    },
    ...errorResponses(400, 401, 404, 413, 422),
  },
});

export function guardrailRoutes(deps: ServiceDeps) {
  /** The guardian, if they belong to the caller's school (another school's is 404, not 403). */
  async function guardianInSchool(guardianId: number, schoolId: number) {
    const [guardian] = await deps.db
      .select()
      .from(schema.guardians)
      .where(and(eq(schema.guardians.id, guardianId), eq(schema.guardians.schoolId, schoolId)));
    if (!guardian) throw notFound("Guardian");
    return guardian;
  }

  return new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
    .openapi(guardianGuardrails, async (c) => {
      const guardian = await guardianInSchool(c.req.valid("param").id, c.get("staff").schoolId);
      const rules = await describeGuardrails(
        deps.db,
        { guardianId: guardian.id, schoolId: guardian.schoolId },
        deps.now(),
      );
      return c.json(
        {
          guardianId: guardian.id,
          flagged: guardian.flaggedAt !== null,
          flagReason: guardian.flagReason,
          rules: rules.map((rule) => ({ ...rule, freesAt: iso(rule.freesAt) })),
        },
        200,
      );
    })
    .openapi(check, async (c) => {
      const guardian = await guardianInSchool(
        c.req.valid("json").guardianId,
        c.get("staff").schoolId,
      );
      const { verdict } = await checkNewTicket(
        deps.db,
        { guardianId: guardian.id, schoolId: guardian.schoolId },
        deps.now(),
      );
      if (verdict.allowed) return c.json({ allowed: true }, 200);
      return c.json(
        {
          allowed: false,
          rule: verdict.rule,
          limit: verdict.limit,
          ...(verdict.rule === "open_tickets"
            ? { openReferences: verdict.openReferences }
            : { retryAt: new Date(verdict.retryAt).toISOString() }),
        },
        200,
      );
    });
}
