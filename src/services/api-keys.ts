// API keys for a school's other systems: made by an admin (the key shown once, kept as a keyed
// hash), listed without the key, revoked, and checked on every event with a constant-time compare.
import { and, desc, eq, isNull, sql } from "drizzle-orm";
import { schema } from "../../db";
import { UnitOfWork } from "../outbox/unit-of-work";
import { digestsEqual, randomToken } from "../security";
import { planAudit } from "./audit";
import type { ServiceDeps } from "./deps";

const { apiKeys } = schema;

/** Every key starts so: a leaked one is easy to recognise (and for secret scanners to match). */
export const API_KEY_PREFIX = "plk_events_";
/** The characters of a key kept in the clear: the marker and the first six of the secret. */
const SHOWN_LENGTH = API_KEY_PREFIX.length + 6;
const KEY_SHAPE = /^plk_events_[A-Za-z0-9_-]{43}$/;

export interface ApiKeyView {
  id: number;
  name: string;
  prefix: string;
  scope: "events";
  createdAt: string;
  createdBy: number | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

type ApiKeyRow = typeof apiKeys.$inferSelect;

const iso = (at: number | null) => (at === null ? null : new Date(at).toISOString());

function present(row: ApiKeyRow): ApiKeyView {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    scope: row.scope,
    createdAt: new Date(row.createdAt).toISOString(),
    createdBy: row.createdByStaffId,
    lastUsedAt: iso(row.lastUsedAt),
    revokedAt: iso(row.revokedAt),
  };
}

interface Admin {
  staffId: number;
  schoolId: number;
}

/** Makes a key for the admin's school; the answer is the only place the key ever appears. */
export async function createApiKey(
  deps: ServiceDeps,
  admin: Admin,
  name: string,
): Promise<ApiKeyView & { key: string }> {
  const key = `${API_KEY_PREFIX}${randomToken(32)}`;
  const now = deps.now();
  const uow = new UnitOfWork();
  let id = 0;
  const row = {
    schoolId: admin.schoolId,
    name,
    prefix: key.slice(0, SHOWN_LENGTH),
    keyHash: deps.secrets.hash("token-hash", key),
    scope: "events" as const,
    createdByStaffId: admin.staffId,
    createdAt: now,
  };
  uow.planInsert(deps.db.insert(apiKeys).values(row), (rowId) => {
    id = rowId;
  });
  planAudit(deps, uow, {
    schoolId: admin.schoolId,
    actorType: "staff",
    actorId: admin.staffId,
    action: "api_key.create",
    entity: "api_key",
    // The key is inserted by the same write, which holds the only write lock: the newest row.
    entityId: sql`cast((select max(id) from api_keys) as text)`,
    after: { name, prefix: row.prefix, scope: row.scope },
  });
  await uow.commit(deps.db);
  return {
    ...present({ ...row, id, lastUsedAt: null, revokedAt: null } as ApiKeyRow),
    key,
  };
}

export async function listApiKeys(deps: Pick<ServiceDeps, "db">, schoolId: number) {
  const rows = await deps.db
    .select()
    .from(apiKeys)
    .where(eq(apiKeys.schoolId, schoolId))
    .orderBy(desc(apiKeys.id));
  return rows.map(present);
}

/** Revokes a key of the admin's school: null when there is none; a revoked key stays revoked. */
export async function revokeApiKey(
  deps: ServiceDeps,
  admin: Admin,
  id: number,
): Promise<ApiKeyView | null> {
  const [row] = await deps.db
    .select()
    .from(apiKeys)
    .where(and(eq(apiKeys.id, id), eq(apiKeys.schoolId, admin.schoolId)));
  if (!row) return null;
  if (row.revokedAt !== null) return present(row);
  const now = deps.now();
  const uow = new UnitOfWork();
  uow.plan(
    deps.db
      .update(apiKeys)
      .set({ revokedAt: now })
      .where(and(eq(apiKeys.id, id), isNull(apiKeys.revokedAt))),
  );
  planAudit(deps, uow, {
    schoolId: admin.schoolId,
    actorType: "staff",
    actorId: admin.staffId,
    action: "api_key.revoke",
    entity: "api_key",
    entityId: String(id),
    before: { revokedAt: null },
    after: { revokedAt: new Date(now).toISOString() },
  });
  await uow.commit(deps.db);
  return present({ ...row, revokedAt: now });
}

/** The school and key a presented key belongs to, or null (unknown, malformed or revoked). */
export function findApiKey(
  deps: Pick<ServiceDeps, "db" | "secrets">,
  presented: string,
): { apiKeyId: number; schoolId: number } | null {
  if (!KEY_SHAPE.test(presented)) return null;
  const hash = deps.secrets.hash("token-hash", presented);
  const candidates = deps.db
    .select({ id: apiKeys.id, schoolId: apiKeys.schoolId, keyHash: apiKeys.keyHash })
    .from(apiKeys)
    .where(and(eq(apiKeys.prefix, presented.slice(0, SHOWN_LENGTH)), isNull(apiKeys.revokedAt)))
    .all();
  const match = candidates.find((row) => digestsEqual(row.keyHash, hash));
  return match ? { apiKeyId: match.id, schoolId: match.schoolId } : null;
}

/** Plans the key's last use, to commit with what the key did. */
export function planKeyUse(deps: ServiceDeps, uow: UnitOfWork, apiKeyId: number): void {
  uow.plan(deps.db.update(apiKeys).set({ lastUsedAt: deps.now() }).where(eq(apiKeys.id, apiKeyId)));
}
