// /v1/staff/me/alerts: how ticket alerts reach the signed-in member's staff chat, whether they have
// linked one (and how to, when not), and their choice of alerts and quiet hours.
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { alertModes } from "../../domain";
import type { AppEnv } from "../../http/app-env";
import { ApiError } from "../../http/errors";
import { validationHook } from "../../http/validation";
import type { ServiceDeps } from "../../services/deps";
import { readAlertSettings, saveAlertPreferences } from "../../services/member-alert-settings";
import { errorResponses } from "./schemas";

const security = [{ bearer: [] }];

const clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "HH:MM (24-hour, school time)");
const Hours = z.object({ start: clock, end: clock }).openapi("QuietHours");

export const PreferencesBody = z
  .object({
    mode: z.enum(alertModes).optional().openapi({
      description:
        "instant: alerts as they come (held through quiet hours for the morning summary); summary: only the morning summary; off: no alerts and no summary",
    }),
    quietHours: z
      .union([z.literal("school"), Hours, z.null()])
      .optional()
      .openapi({
        description:
          '"school" for the school\'s quiet hours (the default), your own, or null for none',
      }),
  })
  .strict()
  .openapi("StaffAlertPreferencesBody");

const AlertSettings = z
  .object({
    chat: z.object({
      linked: z.boolean(),
      /** The channel of the linked chat; its address is not shown. */
      channel: z.string().nullable(),
      howToLink: z.string().nullable().openapi({
        description: "When no chat is linked: how to link one (alerts reach nobody until then)",
      }),
    }),
    mode: z.enum(alertModes),
    quietHours: z.union([z.literal("school"), Hours, z.null()]),
    schoolQuietHours: Hours.nullable(),
  })
  .openapi("StaffAlertSettings");

const read = createRoute({
  method: "get",
  path: "/",
  tags: ["Staff"],
  summary: "My ticket alerts: the linked staff chat (or how to link one) and my preferences",
  security,
  responses: {
    200: {
      description: "Alert settings",
      content: { "application/json": { schema: AlertSettings } },
    },
    ...errorResponses(401),
  },
});

const write = createRoute({
  method: "put",
  path: "/",
  tags: ["Staff"],
  summary: "Change how my ticket alerts reach me (fields left out are kept)",
  security,
  request: {
    body: { content: { "application/json": { schema: PreferencesBody } }, required: true },
  },
  responses: {
    200: {
      description: "Alert settings",
      content: { "application/json": { schema: AlertSettings } },
    },
    ...errorResponses(400, 401, 413, 422),
  },
});

export { HOW_TO_LINK } from "../../services/member-alert-settings";

const inactive = () => new ApiError(401, "unauthorized", "This staff account is no longer active");

export function staffAlertRoutes(deps: ServiceDeps) {
  return new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
    .openapi(read, async (c) => {
      const { staffId, schoolId } = c.get("staff");
      const settings = await readAlertSettings(deps, staffId, schoolId);
      if (!settings) throw inactive();
      return c.json(settings, 200);
    })
    .openapi(write, async (c) => {
      const { staffId, schoolId } = c.get("staff");
      const settings = await saveAlertPreferences(deps, staffId, schoolId, c.req.valid("json"));
      if (!settings) throw inactive();
      return c.json(settings, 200);
    });
}
