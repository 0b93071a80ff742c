// /v1/school: the school's guardrail limits and staff alert settings; everyone reads, the admin
// changes them.
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import {
  DEFAULT_SLA_REMINDER_MINUTES,
  guardrailLimitsSchema,
  MAX_SLA_REMINDER_MINUTES,
  staffAlertSettingsSchema,
} from "../../domain";
import type { AppEnv } from "../../http/app-env";
import { ApiError } from "../../http/errors";
import { validationHook } from "../../http/validation";
import type { ServiceDeps } from "../../services/deps";
import { loadSchoolLimits, saveSchoolLimits } from "../../services/guardrails";
import {
  loadStaffAlertSettings,
  saveStaffAlertSettings,
} from "../../services/staff-alert-settings";
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

// The domain owns these rules too; descriptions are plain zod's, which the document carries.
const summaryTime = staffAlertSettingsSchema.shape.morningSummaryTime
  .unwrap()
  .describe(
    "When each member's morning summary of open tickets goes, HH:MM school time on school days (default 07:30). Stored as settings.morningSummaryTime.",
  );
const reminderMinutes = staffAlertSettingsSchema.shape.slaReminderMinutes
  .unwrap()
  .describe(
    `How many minutes before a ticket's first answer is due (settings.sla) its assignee is reminded in their staff chat, 5 to ${MAX_SLA_REMINDER_MINUTES} (default ${DEFAULT_SLA_REMINDER_MINUTES}). Stored as settings.slaReminderMinutes.`,
  );
const StaffAlerts = z
  .object({ morningSummaryTime: summaryTime, slaReminderMinutes: reminderMinutes })
  .openapi("SchoolStaffAlertSettings");
const StaffAlertsChange = z
  .object({
    morningSummaryTime: summaryTime.optional(),
    slaReminderMinutes: reminderMinutes.optional(),
  })
  .strict()
  .openapi("SchoolStaffAlertSettingsChange");

const readAlerts = createRoute({
  method: "get",
  path: "/staff-alerts",
  tags: ["School"],
  summary: "The school's staff alert settings: morning summary time and SLA reminder lead",
  security,
  responses: {
    200: {
      description: "Settings in force",
      content: { "application/json": { schema: StaffAlerts } },
    },
    ...errorResponses(401),
  },
});

const writeAlerts = createRoute({
  method: "put",
  path: "/staff-alerts",
  tags: ["School"],
  summary: "Change the school's staff alert settings (admin; fields left out are kept)",
  security,
  request: {
    body: { content: { "application/json": { schema: StaffAlertsChange } }, required: true },
  },
  responses: {
    200: {
      description: "Settings now in force",
      content: { "application/json": { schema: StaffAlerts } },
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
    })
    .openapi(readAlerts, async (c) =>
      c.json(await loadStaffAlertSettings(deps.db, c.get("staff").schoolId), 200),
    )
    .openapi(writeAlerts, async (c) => {
      const staff = c.get("staff");
      if (!staff.roles.includes("admin"))
        throw new ApiError(403, "forbidden", "Only an admin may change the staff alert settings");
      return c.json(await saveStaffAlertSettings(deps, staff, c.req.valid("json")), 200);
    });
}
