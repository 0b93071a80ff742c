// /v1/guardians: the school's guardians (with a flagged filter) and flags set or cleared by staff.
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../../http/app-env";
import { ApiError, notFound } from "../../http/errors";
import { validationHook } from "../../http/validation";
import type { ServiceDeps } from "../../services/deps";
import { listGuardians, setGuardianFlag } from "../../services/flags";
import {
  errorResponses,
  FlagBody,
  GuardianFlagSchema,
  GuardianIdParam,
  GuardianListQuery,
} from "./schemas";

const security = [{ bearer: [] }];

const list = createRoute({
  method: "get",
  path: "/",
  tags: ["Guardians"],
  summary: "The school's guardians; ?flagged=true lists those flagged (by staff or for flooding)",
  security,
  request: { query: GuardianListQuery },
  responses: {
    200: {
      description: "Guardians",
      content: {
        "application/json": { schema: z.object({ guardians: z.array(GuardianFlagSchema) }) },
      },
    },
    ...errorResponses(401, 422),
  },
});

const flag = createRoute({
  method: "post",
  path: "/{id}/flag",
  tags: ["Guardians"],
  summary: "Flag a guardian: their new tickets go to the admin",
  security,
  request: {
    params: GuardianIdParam,
    body: { content: { "application/json": { schema: FlagBody } }, required: true },
  },
  responses: {
    200: {
      description: "Flagged",
      content: { "application/json": { schema: GuardianFlagSchema } },
    },
    ...errorResponses(400, 401, 403, 404, 413, 422),
  },
});

const unflag = createRoute({
  method: "delete",
  path: "/{id}/flag",
  tags: ["Guardians"],
  summary: "Clear a guardian's flag",
  security,
  request: { params: GuardianIdParam },
  responses: {
    200: {
      description: "Flag cleared",
      content: { "application/json": { schema: GuardianFlagSchema } },
    },
    ...errorResponses(401, 403, 404, 422),
  },
});

/** Flags change where a family's tickets go, so teachers may not set or clear them. */
function requireOfficeOrAdmin(roles: string[]) {
  if (!roles.includes("admin") && !roles.includes("office")) {
    throw new ApiError(
      403,
      "forbidden",
      "Only office staff and admins may flag or unflag a guardian",
    );
  }
}

export function guardianRoutes(deps: ServiceDeps) {
  return new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
    .openapi(list, async (c) => {
      const { flagged } = c.req.valid("query");
      const guardians = await listGuardians(deps.db, c.get("staff").schoolId, {
        ...(flagged === undefined ? {} : { flagged: flagged === "true" }),
      });
      return c.json({ guardians }, 200);
    })
    .openapi(flag, async (c) => {
      const staff = c.get("staff");
      requireOfficeOrAdmin(staff.roles);
      const view = await setGuardianFlag(
        deps,
        staff,
        c.req.valid("param").id,
        c.req.valid("json").reason,
      );
      if (!view) throw notFound("Guardian");
      return c.json(view, 200);
    })
    .openapi(unflag, async (c) => {
      const staff = c.get("staff");
      requireOfficeOrAdmin(staff.roles);
      const view = await setGuardianFlag(deps, staff, c.req.valid("param").id, null);
      if (!view) throw notFound("Guardian");
      return c.json(view, 200);
    });
}
