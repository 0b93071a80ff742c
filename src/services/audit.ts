// Reading the audit log: every staff write, newest first, for the admin of that school.
import { and, desc, eq, lt } from "drizzle-orm";
import { type Database, schema } from "../../db";

const { auditLog } = schema;

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
