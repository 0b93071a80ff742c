// The school's staff alert settings (morning summary time, SLA reminder lead): read with their
// defaults, and changed by an admin with an audit entry, kept next to the school's other settings.
import { eq } from "drizzle-orm";
import { type Database, schema } from "../../db";
import { type StaffAlertSettings, staffAlertSettingsFrom } from "../domain";
import { UnitOfWork } from "../outbox/unit-of-work";
import { planAudit } from "./audit";
import type { ServiceDeps } from "./deps";

const { schools } = schema;

async function settingsOf(db: Database, schoolId: number): Promise<Record<string, unknown>> {
  const [school] = await db
    .select({ settings: schools.settings })
    .from(schools)
    .where(eq(schools.id, schoolId));
  return school?.settings ?? {};
}

export async function loadStaffAlertSettings(
  db: Database,
  schoolId: number,
): Promise<StaffAlertSettings> {
  return staffAlertSettingsFrom(await settingsOf(db, schoolId));
}

/** Applies the fields given (validated by the caller) over the school's settings. */
export async function saveStaffAlertSettings(
  deps: Pick<ServiceDeps, "db" | "now">,
  actor: { staffId: number; schoolId: number },
  change: Partial<StaffAlertSettings>,
): Promise<StaffAlertSettings> {
  const settings = await settingsOf(deps.db, actor.schoolId);
  const before = staffAlertSettingsFrom(settings);
  const uow = new UnitOfWork();
  uow.plan(
    deps.db
      .update(schools)
      .set({ settings: { ...settings, ...change } })
      .where(eq(schools.id, actor.schoolId)),
  );
  planAudit(deps, uow, {
    schoolId: actor.schoolId,
    actorType: "staff",
    actorId: actor.staffId,
    action: "school.staff_alerts",
    entity: "school",
    entityId: String(actor.schoolId),
    before,
    after: { ...before, ...change },
  });
  await uow.commit(deps.db);
  return loadStaffAlertSettings(deps.db, actor.schoolId);
}
