// /v1/canned-replies: the school's ready-made answers. Everyone reads; office and admins write.
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../../http/app-env";
import { ApiError, notFound } from "../../http/errors";
import { validationHook } from "../../http/validation";
import {
  type CannedWrite,
  createCannedReply,
  deleteCannedReply,
  listCannedReplies,
  updateCannedReply,
} from "../../services/canned-replies";
import type { ServiceDeps } from "../../services/deps";
import { errorResponses } from "./schemas";

const security = [{ bearer: [] }];
const CannedReply = z
  .object({
    id: z.number().int(),
    title: z.string(),
    body: z
      .string()
      .openapi({ description: "{parent} and {child} are filled in when used in a reply" }),
    updatedAt: z.string().openapi({ format: "date-time" }),
  })
  .openapi("CannedReply");
export const CannedInput = z.object({
  title: z.string().trim().min(1).max(80),
  body: z.string().trim().min(1).max(4000),
});
const CannedPatch = CannedInput.partial().refine(
  (patch) => patch.title !== undefined || patch.body !== undefined,
  {
    message: "change the title or the body",
  },
);
const IdParam = z.object({
  id: z.coerce
    .number()
    .int()
    .positive()
    .openapi({ param: { name: "id", in: "path" } }),
});
const json = <T extends z.ZodTypeAny>(schema: T) => ({
  content: { "application/json": { schema } },
});

const routes = {
  list: createRoute({
    method: "get",
    path: "/",
    tags: ["Canned replies"],
    summary: "The school's canned replies",
    security,
    responses: {
      200: {
        description: "Canned replies",
        ...json(z.object({ cannedReplies: z.array(CannedReply) })),
      },
      ...errorResponses(401),
    },
  }),
  create: createRoute({
    method: "post",
    path: "/",
    tags: ["Canned replies"],
    summary: "Add a canned reply (office and admins)",
    security,
    request: { body: { ...json(CannedInput.openapi("CannedReplyInput")), required: true } },
    responses: {
      201: { description: "Created", ...json(CannedReply) },
      ...errorResponses(400, 401, 403, 409, 422),
    },
  }),
  update: createRoute({
    method: "patch",
    path: "/{id}",
    tags: ["Canned replies"],
    summary: "Change a canned reply (office and admins)",
    security,
    request: {
      params: IdParam,
      body: { ...json(CannedPatch.openapi("CannedReplyPatch")), required: true },
    },
    responses: {
      200: { description: "Changed", ...json(CannedReply) },
      ...errorResponses(400, 401, 403, 404, 409, 422),
    },
  }),
  remove: createRoute({
    method: "delete",
    path: "/{id}",
    tags: ["Canned replies"],
    summary: "Delete a canned reply (office and admins)",
    security,
    request: { params: IdParam },
    responses: { 204: { description: "Deleted" }, ...errorResponses(401, 403, 404, 422) },
  }),
};

function requireWriter(roles: string[]) {
  if (!roles.includes("admin") && !roles.includes("office")) {
    throw new ApiError(403, "forbidden", "Only office staff and admins may change canned replies");
  }
}

function unwrap(result: CannedWrite) {
  if (result.ok) return result.reply;
  if (result.reason === "duplicate_title") {
    throw new ApiError(
      409,
      "duplicate_title",
      "The school already has a canned reply with this title",
    );
  }
  throw notFound("Canned reply");
}

export function cannedReplyRoutes(deps: ServiceDeps) {
  return new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
    .openapi(routes.list, async (c) =>
      c.json({ cannedReplies: await listCannedReplies(deps.db, c.get("staff").schoolId) }, 200),
    )
    .openapi(routes.create, async (c) => {
      const staff = c.get("staff");
      requireWriter(staff.roles);
      return c.json(unwrap(await createCannedReply(deps, staff, c.req.valid("json"))), 201);
    })
    .openapi(routes.update, async (c) => {
      const staff = c.get("staff");
      requireWriter(staff.roles);
      const { title, body } = c.req.valid("json");
      const change = {
        ...(title === undefined ? {} : { title }),
        ...(body === undefined ? {} : { body }),
      };
      return c.json(
        unwrap(await updateCannedReply(deps, staff, c.req.valid("param").id, change)),
        200,
      );
    })
    .openapi(routes.remove, async (c) => {
      const staff = c.get("staff");
      requireWriter(staff.roles);
      if (!(await deleteCannedReply(deps, staff, c.req.valid("param").id)))
        throw notFound("Canned reply");
      return c.body(null, 204);
    });
}
