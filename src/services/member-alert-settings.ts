// A member's own ticket alert settings: the linked staff chat (or how to link one), their mode and
// quiet hours; read and changed the same way by /v1/staff/me/alerts and the desk's "My alerts".
import { and, eq } from "drizzle-orm";
import { schema } from "../../db";
import {
  type AlertMode,
  alertPreferencesFrom,
  presentAlertPreferences,
  presentQuietHours,
  quietHoursFromSettings,
} from "../domain";
import { UnitOfWork } from "../outbox/unit-of-work";
import { staffChatOf } from "./announcement-completion";
import { planAudit } from "./audit";
import type { ServiceDeps } from "./deps";

const { staff, schools } = schema;

/** How a member links their chat: the staff line verifies them by a code to their phone on file. */
export const HOW_TO_LINK =
  "Send /staff from your phone to the school's Parentline number (SMS or WhatsApp) or its Telegram bot, and type the code sent to the phone the school has on file for you. Ticket alerts then come to that chat, and you can answer them there.";

/** A change to the preferences; fields left out are kept. */
export interface AlertPreferencesChange {
  mode?: AlertMode | undefined;
  /** "school" for the school's quiet hours, the member's own ("HH:MM" each), or null for none. */
  quietHours?: "school" | { start: string; end: string } | null | undefined;
}

async function storedPreferences(deps: ServiceDeps, staffId: number, schoolId: number) {
  const [row] = await deps.db
    .select({ preferences: staff.alertPreferences, schoolSettings: schools.settings })
    .from(staff)
    .innerJoin(schools, eq(schools.id, staff.schoolId))
    .where(and(eq(staff.id, staffId), eq(staff.schoolId, schoolId), eq(staff.active, true)));
  return row ?? null;
}

/** The member's alert settings, or null when the member is no longer active. */
export async function readAlertSettings(deps: ServiceDeps, staffId: number, schoolId: number) {
  const row = await storedPreferences(deps, staffId, schoolId);
  if (!row) return null;
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

export type AlertSettingsView = NonNullable<Awaited<ReturnType<typeof readAlertSettings>>>;

/** Saves a validated change (audited) and returns the settings; null when the member is gone. */
export async function saveAlertPreferences(
  deps: ServiceDeps,
  staffId: number,
  schoolId: number,
  change: AlertPreferencesChange,
) {
  const row = await storedPreferences(deps, staffId, schoolId);
  if (!row) return null;
  const before = row.preferences;
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
  return readAlertSettings(deps, staffId, schoolId);
}
