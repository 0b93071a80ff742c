// /v1/staff/me/alerts: how ticket alerts reach the signed-in member's staff chat, whether they have
// linked one (and how to, when not), and their choice of alerts and quiet hours.
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { and, eq } from "drizzle-orm";
import { schema } from "../../../db";
import {
  alertModes,
  alertPreferencesFrom,
  presentAlertPreferences,
  presentQuietHours,
  quietHoursFromSettings,
} from "../../domain";
import type { AppEnv } from "../../http/app-env";
import { ApiError } from "../../http/errors";
import { validationHook } from "../../http/validation";
import { staffChatOf } from "../../services/announcement-completion";
import { planAudit } from "../../services/audit";
import type { ServiceDeps } from "../../services/deps";
import { UnitOfWork } from "../../services/unit-of-work";
import { errorResponses } from "./schemas";

const { staff, schools } = schema;
const security = [{ bearer: [] }];

const clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "HH:MM (24-hour, school time)");
const Hours = z.object({ start: clock, end: clock }).openapi("QuietHours");

const PreferencesBody = z
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

/** How a member links their chat: the staff line verifies them by a code to their phone on file. */
export const HOW_TO_LINK =
  "Send /staff from your phone to the school's Parentline number (SMS or WhatsApp) or its Telegram bot, and type the code sent to the phone the school has on file for you. Ticket alerts then come to that chat, and you can answer them there.";

export function staffAlertRoutes(deps: ServiceDeps) {
  async function settingsOf(staffId: number, schoolId: number) {
    const [row] = await deps.db
      .select({ preferences: staff.alertPreferences, schoolSettings: schools.settings })
      .from(staff)
      .innerJoin(schools, eq(schools.id, staff.schoolId))
      .where(and(eq(staff.id, staffId), eq(staff.schoolId, schoolId), eq(staff.active, true)));
    if (!row) throw new ApiError(401, "unauthorized", "This staff account is no longer active");
    return row;
  }

  async function present(staffId: number, schoolId: number) {
    const row = await settingsOf(staffId, schoolId);
    const chat = await staffChatOf(deps.db).get({ staffId, now: deps.now() });
    const school = quietHoursFromSettings(row.schoolSettings);
    return {
      chat: {
        linked: chat !== undefined,
        channel: chat?.channel ?? null,
        howToLink: chat ? null : HOW_TO_LINK,
      },
      ...presentAlertPreferences(alertPreferencesFrom(row.preferences)),
      schoolQuietHours: school ? presentQuietHours(school) : null,
    };
  }

  return new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
    .openapi(read, async (c) => {
      const { staffId, schoolId } = c.get("staff");
      return c.json(await present(staffId, schoolId), 200);
    })
    .openapi(write, async (c) => {
      const { staffId, schoolId } = c.get("staff");
      const change = c.req.valid("json");
      const before = (await settingsOf(staffId, schoolId)).preferences;
      const after = { ...before, ...change };
      const uow = new UnitOfWork();
      uow.plan(deps.db.update(staff).set({ alertPreferences: after }).where(eq(staff.id, staffId)));
      planAudit(deps, uow, {
        schoolId,
        actorType: "staff",
        actorId: staffId,
        action: "staff.alert_preferences",
        entity: "staff",
        entityId: String(staffId),
        before,
        after,
      });
      await uow.commit(deps.db);
      return c.json(await present(staffId, schoolId), 200);
    });
}
