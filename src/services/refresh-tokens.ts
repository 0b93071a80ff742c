// Staff refresh tokens: opaque, stored only as a keyed hash, rotated on every use. Presenting a
// token that was already spent means it leaked (or was raced): the whole family is revoked.
import { and, eq, isNull } from "drizzle-orm";
import { schema } from "../../db";
import { randomToken } from "../security";
import type { ServiceDeps } from "./deps";

const { refreshTokens, staff } = schema;

export const REFRESH_TOKEN_TTL_MS = 30 * 86_400_000;

export type RefreshOutcome =
  | { ok: true; refreshToken: string; sessionId: string; member: typeof staff.$inferSelect }
  | { ok: false; reason: "unknown" | "expired" | "revoked" | "reused" };

const hashOf = (deps: Pick<ServiceDeps, "secrets">, token: string) =>
  deps.secrets.hash("token-hash", token);

/** Starts a new family (a sign-in) or continues one (a rotation); returns the clear token. */
async function issue(
  deps: ServiceDeps,
  member: { id: number; schoolId: number },
  familyId: string,
) {
  const token = randomToken();
  const now = deps.now();
  await deps.db.insert(refreshTokens).values({
    schoolId: member.schoolId,
    staffId: member.id,
    familyId,
    tokenHash: hashOf(deps, token),
    expiresAt: now + REFRESH_TOKEN_TTL_MS,
    createdAt: now,
  });
  return token;
}

/** Starts a session (a refresh-token family): its first refresh token and its id, the `sid`. */
export async function issueRefreshToken(
  deps: ServiceDeps,
  member: { id: number; schoolId: number },
): Promise<{ refreshToken: string; sessionId: string }> {
  const sessionId = crypto.randomUUID();
  return { refreshToken: await issue(deps, member, sessionId), sessionId };
}

/** Ends a session: its refresh tokens, and the access tokens issued under it (their `sid`). */
async function revokeFamily(deps: ServiceDeps, family: { familyId: string; staffId: number }) {
  await deps.db
    .update(refreshTokens)
    .set({ revokedAt: deps.now() })
    .where(and(eq(refreshTokens.familyId, family.familyId), isNull(refreshTokens.revokedAt)));
  deps.staffAccessChanged?.(family.staffId);
}

export async function rotateRefreshToken(
  deps: ServiceDeps,
  presented: string,
): Promise<RefreshOutcome> {
  const [stored] = await deps.db
    .select()
    .from(refreshTokens)
    .where(eq(refreshTokens.tokenHash, hashOf(deps, presented)));
  if (!stored) return { ok: false, reason: "unknown" };
  if (stored.revokedAt !== null) return { ok: false, reason: "revoked" };
  const now = deps.now();
  if (stored.expiresAt <= now) return { ok: false, reason: "expired" };
  // Spending is a conditional write: of two requests racing with one token, one spends it and the
  // other is treated as reuse.
  const spent = await deps.db
    .update(refreshTokens)
    .set({ usedAt: now })
    .where(and(eq(refreshTokens.id, stored.id), isNull(refreshTokens.usedAt)))
    .returning({ id: refreshTokens.id });
  if (spent.length === 0) {
    await revokeFamily(deps, stored);
    deps.log.warn({ staffId: stored.staffId }, "refresh token reused: family revoked");
    return { ok: false, reason: "reused" };
  }
  const [member] = await deps.db.select().from(staff).where(eq(staff.id, stored.staffId));
  if (!member?.active) {
    await revokeFamily(deps, stored);
    return { ok: false, reason: "revoked" };
  }
  return {
    ok: true,
    refreshToken: await issue(deps, member, stored.familyId),
    sessionId: stored.familyId,
    member,
  };
}

/** The member and session (family) a refresh token belongs to, or null when it is unknown. */
export async function findRefreshSession(
  deps: Pick<ServiceDeps, "db" | "secrets">,
  presented: string,
): Promise<{ staffId: number; sessionId: string } | null> {
  const [stored] = await deps.db
    .select({ staffId: refreshTokens.staffId, sessionId: refreshTokens.familyId })
    .from(refreshTokens)
    .where(eq(refreshTokens.tokenHash, hashOf(deps, presented)));
  return stored ?? null;
}

/** Signs out: the token's whole family stops working. Unknown tokens are ignored. */
export async function revokeRefreshToken(deps: ServiceDeps, presented: string): Promise<void> {
  const [stored] = await deps.db
    .select({ familyId: refreshTokens.familyId, staffId: refreshTokens.staffId })
    .from(refreshTokens)
    .where(eq(refreshTokens.tokenHash, hashOf(deps, presented)));
  if (stored) await revokeFamily(deps, stored);
}
