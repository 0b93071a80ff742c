// The audit log: every staff write (and the system's own, such as a flooding flag) is planned
// into the same unit of work as the change it records; admins read it newest first.
import { and, desc, eq, lt, type SQL } from "drizzle-orm";
import { type Database, schema } from "../../db";
import type { UnitOfWork } from "../outbox/unit-of-work";
import type { ServiceDeps } from "./deps";

const { auditLog } = schema;

export type AuditEntry = Omit<typeof auditLog.$inferInsert, "id" | "createdAt" | "entityId"> & {
  /** Usually the id as text; SQL when the row it records is inserted by the same commit. */
  entityId: string | SQL;
};

/** Plans one audit row, stamped now, to commit with the change it records. */
export function planAudit(
  deps: Pick<ServiceDeps, "db" | "now">,
  uow: UnitOfWork,
  entry: AuditEntry,
): void {
  uow.plan(deps.db.insert(auditLog).values({ ...entry, createdAt: deps.now() }));
}

export interface AuditQuery {
  entity?: string;
  entityId?: string;
  action?: string;
  actorId?: number;
  limit: number;
  before?: number;
}

export async function listAudit(db: Database, schoolId: number, query: AuditQuery) {
  const rows = await db
    .select()
    .from(auditLog)
    .where(
      and(
        eq(auditLog.schoolId, schoolId),
        query.entity ? eq(auditLog.entity, query.entity) : undefined,
        query.entityId ? eq(auditLog.entityId, query.entityId) : undefined,
        query.action ? eq(auditLog.action, query.action) : undefined,
        query.actorId !== undefined ? eq(auditLog.actorId, query.actorId) : undefined,
        query.before !== undefined ? lt(auditLog.id, query.before) : undefined,
      ),
    )
    .orderBy(desc(auditLog.id))
    .limit(query.limit + 1);
  const page = rows.slice(0, query.limit).map((row) => ({
    id: row.id,
    actorType: row.actorType,
    actorId: row.actorId,
    action: row.action,
    entity: row.entity,
    entityId: row.entityId,
    before: row.before ?? null,
    after: row.after ?? null,
    createdAt: new Date(row.createdAt).toISOString(),
  }));
  const last = page.at(-1);
  return { entries: page, nextCursor: rows.length > query.limit && last ? String(last.id) : null };
}
