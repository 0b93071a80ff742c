// A school's canned replies: kept per school, every change audited, and filled with the parent's
// and child's names ({parent}, {child}) when a reply uses one.
import { and, asc, eq, sql } from "drizzle-orm";
import { type Database, schema } from "../../db";
import { UnitOfWork } from "../outbox/unit-of-work";
import { planAudit } from "./audit";
import type { ServiceDeps } from "./deps";

const { cannedReplies } = schema;

type CannedRow = typeof cannedReplies.$inferSelect;

const present = (row: CannedRow) => ({
  id: row.id,
  title: row.title,
  body: row.body,
  updatedAt: new Date(row.updatedAt).toISOString(),
});

export type CannedReplyView = ReturnType<typeof present>;
export type CannedWrite =
  | { ok: true; reply: CannedReplyView }
  | { ok: false; reason: "not_found" | "duplicate_title" };

interface Actor {
  staffId: number;
  schoolId: number;
}

export async function listCannedReplies(db: Database, schoolId: number) {
  const rows = await db
    .select()
    .from(cannedReplies)
    .where(eq(cannedReplies.schoolId, schoolId))
    .orderBy(asc(cannedReplies.title));
  return rows.map(present);
}

export async function findCannedReply(db: Database, schoolId: number, id: number) {
  const [row] = await db
    .select()
    .from(cannedReplies)
    .where(and(eq(cannedReplies.id, id), eq(cannedReplies.schoolId, schoolId)));
  return row ?? null;
}

/** Fills {parent} and {child}; a placeholder with nothing to fill becomes a neutral word. */
export function fillCannedReply(
  body: string,
  names: { parent: string; child: string | null },
): string {
  return body
    .replaceAll("{parent}", names.parent)
    .replaceAll("{child}", names.child ?? "your child");
}

/** Audits a change to a canned reply by a staff member. */
function planCannedAudit(
  deps: ServiceDeps,
  uow: UnitOfWork,
  actor: Actor,
  change: {
    action: string;
    /** The row id, or (on create) the id SQLite just gave the row inserted before it. */
    entityId: number | "last_insert";
    before: unknown;
    after: unknown;
  },
) {
  planAudit(deps, uow, {
    schoolId: actor.schoolId,
    actorType: "staff",
    actorId: actor.staffId,
    action: change.action,
    entity: "canned_reply",
    entityId:
      change.entityId === "last_insert"
        ? sql`cast(last_insert_rowid() as text)`
        : String(change.entityId),
    before: change.before,
    after: change.after,
  });
}

const isDuplicateTitle = (error: unknown) =>
  error instanceof Error && /UNIQUE constraint failed: canned_replies/.test(error.message);

async function commitWrite(
  deps: ServiceDeps,
  uow: UnitOfWork,
  id: () => number,
): Promise<CannedWrite> {
  try {
    await uow.commit(deps.db);
  } catch (error) {
    if (isDuplicateTitle(error)) return { ok: false, reason: "duplicate_title" };
    throw error;
  }
  const [row] = await deps.db.select().from(cannedReplies).where(eq(cannedReplies.id, id()));
  return row ? { ok: true, reply: present(row) } : { ok: false, reason: "not_found" };
}

export async function createCannedReply(
  deps: ServiceDeps,
  actor: Actor,
  input: { title: string; body: string },
) {
  const now = deps.now();
  const uow = new UnitOfWork();
  let id = 0;
  uow.planInsert(
    deps.db.insert(cannedReplies).values({
      schoolId: actor.schoolId,
      ...input,
      createdByStaffId: actor.staffId,
      createdAt: now,
      updatedAt: now,
    }),
    (rowId) => {
      id = rowId;
    },
  );
  planCannedAudit(deps, uow, actor, {
    action: "canned_reply.create",
    entityId: "last_insert",
    before: null,
    after: input,
  });
  return commitWrite(deps, uow, () => id);
}

export async function updateCannedReply(
  deps: ServiceDeps,
  actor: Actor,
  id: number,
  input: { title?: string; body?: string },
): Promise<CannedWrite> {
  const before = await findCannedReply(deps.db, actor.schoolId, id);
  if (!before) return { ok: false, reason: "not_found" };
  const uow = new UnitOfWork();
  uow.plan(
    deps.db
      .update(cannedReplies)
      .set({ ...input, updatedAt: deps.now() })
      .where(eq(cannedReplies.id, id)),
  );
  planCannedAudit(deps, uow, actor, {
    action: "canned_reply.update",
    entityId: id,
    before: { title: before.title, body: before.body },
    after: input,
  });
  return commitWrite(deps, uow, () => id);
}

export async function deleteCannedReply(
  deps: ServiceDeps,
  actor: Actor,
  id: number,
): Promise<boolean> {
  const before = await findCannedReply(deps.db, actor.schoolId, id);
  if (!before) return false;
  const uow = new UnitOfWork();
  uow.plan(deps.db.delete(cannedReplies).where(eq(cannedReplies.id, id)));
  planCannedAudit(deps, uow, actor, {
    action: "canned_reply.delete",
    entityId: id,
    before: { title: before.title, body: before.body },
    after: null,
  });
  await uow.commit(deps.db);
  return true;
}
