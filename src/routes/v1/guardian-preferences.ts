// /v1/guardians/{id}/preferences: office staff and admins read and set a guardian's notification
// preferences on their behalf (channel order; announcements instant, digest or off).
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { announcementModes } from "../../domain";
import type { AppEnv } from "../../http/app-env";
import { ApiError, notFound } from "../../http/errors";
import { validationHook } from "../../http/validation";
import type { ServiceDeps } from "../../services/deps";
import {
  CHANNEL_NAMES,
  getPreferences,
  type PreferencesView,
  setPreferences,
} from "../../services/guardian-preferences";
import { errorResponses, GuardianIdParam } from "./schemas";

const security = [{ bearer: [] }];

const PreferencesSchema = z
  .object({
    guardianId: z.number().int(),
    channelOrder: z.array(z.string()).openapi({
      description: "Channels to try first, in order; empty: the most recently verified first",
    }),
    announcements: z.enum(announcementModes).openapi({
      description: "instant, digest (one message a day) or off; urgent announcements always go",
    }),
    channels: z
      .array(
        z.object({
          channel: z.string(),
          verifiedAt: z.string().openapi({ format: "date-time" }),
          optedOut: z.boolean(),
        }),
      )
      .openapi({ description: "The guardian's verified channels, most recent first" }),
  })
  .openapi("GuardianPreferences");

const PreferencesBody = z
  .object({
    channelOrder: z
      .array(z.enum(CHANNEL_NAMES))
      .max(CHANNEL_NAMES.length)
      .optional()
      .openapi({ example: ["telegram", "sms"] }),
    announcements: z.enum(announcementModes).optional(),
  })
  .refine((body) => body.channelOrder !== undefined || body.announcements !== undefined, {
    message: "change channelOrder or announcements",
  })
  .openapi("GuardianPreferencesChange");

const json = <T extends z.ZodTypeAny>(schema: T) => ({
  content: { "application/json": { schema } },
});

const read = createRoute({
  method: "get",
  path: "/{id}/preferences",
  tags: ["Guardians"],
  summary: "A guardian's notification preferences (office and admins)",
  security,
  request: { params: GuardianIdParam },
  responses: {
    200: { description: "The preferences", ...json(PreferencesSchema) },
    ...errorResponses(401, 403, 404, 422),
  },
});

const write = createRoute({
  method: "put",
  path: "/{id}/preferences",
  tags: ["Guardians"],
  summary: "Set a guardian's preferences on their behalf (office and admins); audited",
  security,
  request: { params: GuardianIdParam, body: { ...json(PreferencesBody), required: true } },
  responses: {
    200: { description: "The preferences now", ...json(PreferencesSchema) },
    ...errorResponses(400, 401, 403, 404, 413, 422),
  },
});

/** Preferences decide what reaches a family: the office and admins keep them, not teachers. */
function requireOfficeOrAdmin(roles: string[]) {
  if (!roles.includes("admin") && !roles.includes("office"))
    throw new ApiError(403, "forbidden", "Only office staff and admins see or set preferences");
}

const present = (view: PreferencesView) => ({
  ...view,
  channels: view.channels.map((row) => ({
    ...row,
    verifiedAt: new Date(row.verifiedAt).toISOString(),
  })),
});

export function guardianPreferenceRoutes(deps: ServiceDeps) {
  return new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
    .openapi(read, async (c) => {
      const staff = c.get("staff");
      requireOfficeOrAdmin(staff.roles);
      const view = await getPreferences(deps, staff.schoolId, c.req.valid("param").id);
      if (!view) throw notFound("Guardian");
      return c.json(present(view), 200);
    })
    .openapi(write, async (c) => {
      const staff = c.get("staff");
      requireOfficeOrAdmin(staff.roles);
      const body = c.req.valid("json");
      const result = await setPreferences(
        deps,
        { type: "staff", staffId: staff.staffId, schoolId: staff.schoolId },
        c.req.valid("param").id,
        {
          ...(body.channelOrder ? { channelOrder: body.channelOrder } : {}),
          ...(body.announcements ? { announcements: body.announcements } : {}),
        },
      );
      if (!result.ok)
        throw new ApiError(result.status, result.code, result.message, result.details);
      return c.json(present(result.preferences), 200);
    });
}
