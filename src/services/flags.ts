// Guardian flags: set by staff or by a second flood pause within a day; a flagged guardian's tickets go to
// the admin. Every change is audited with who, before and after.
import { and, asc, eq, isNotNull, sql } from "drizzle-orm";
import { type Database, schema } from "../../db";
import { UnitOfWork } from "../outbox/unit-of-work";
import { planAudit } from "./audit";
import type { ServiceDeps } from "./deps";

const { guardians } = schema;

const presentGuardian = (row: typeof guardians.$inferSelect) => ({
  id: row.id,
  name: `${row.firstName} ${row.lastName}`,
  flagged: row.flaggedAt !== null,
  flaggedAt: row.flaggedAt === null ? null : new Date(row.flaggedAt).toISOString(),
  flagReason: row.flagReason,
});

export type GuardianFlagView = ReturnType<typeof presentGuardian>;

export async function listGuardians(db: Database, schoolId: number, filter: { flagged?: boolean }) {
  const rows = await db
    .select()
    .from(guardians)
    .where(
      and(
        eq(guardians.schoolId, schoolId),
        filter.flagged === undefined
          ? undefined
          : filter.flagged
            ? isNotNull(guardians.flaggedAt)
            : sql`${guardians.flaggedAt} is null`,
      ),
    )
    .orderBy(asc(guardians.lastName), asc(guardians.firstName), asc(guardians.id));
  return rows.map(presentGuardian);
}

/** Sets or clears a flag; null when the guardian is not in the caller's school. */
export async function setGuardianFlag(
  deps: ServiceDeps,
  actor: { staffId: number; schoolId: number },
  guardianId: number,
  reason: string | null,
): Promise<GuardianFlagView | null> {
  const [before] = await deps.db
    .select()
    .from(guardians)
    .where(and(eq(guardians.id, guardianId), eq(guardians.schoolId, actor.schoolId)));
  if (!before) return null;
  const now = deps.now();
  const change =
    reason === null
      ? { flaggedAt: null, flagReason: null }
      : { flaggedAt: now, flagReason: reason };
  const uow = new UnitOfWork();
  uow.plan(deps.db.update(guardians).set(change).where(eq(guardians.id, guardianId)));
  planAudit(deps, uow, {
    schoolId: actor.schoolId,
    actorType: "staff",
    actorId: actor.staffId,
    action: reason === null ? "guardian.unflag" : "guardian.flag",
    entity: "guardian",
    entityId: String(guardianId),
    before: { flagReason: before.flagReason },
    after: { flagReason: change.flagReason },
  });
  await uow.commit(deps.db);
  return presentGuardian({ ...before, ...change });
}
