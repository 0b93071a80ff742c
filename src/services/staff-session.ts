// The staff member a signed-in session acts as, read from the directory on every request: a
// deactivation, a new role or a sign-out takes effect at the member's next request.
import { and, eq, gt, isNull } from "drizzle-orm";
import { schema } from "../../db";
import type { StaffPrincipal } from "../http/app-env";
import type { ServiceDeps } from "./deps";
import { principalOf } from "./directory";

const { staff, refreshTokens } = schema;

/**
 * The member's current record as a principal, or null when the member is inactive or the session
 * (a refresh-token family) has been revoked, signed out or has expired. Read per request.
 */
export async function currentStaffPrincipal(
  deps: Pick<ServiceDeps, "db" | "now">,
  session: { staffId: number; sessionId: string },
): Promise<StaffPrincipal | null> {
  // A family is live while it holds an unrevoked, unexpired token: revoking a family (sign-out,
  // reuse, deactivation at refresh) marks every token of it.
  const [row] = await deps.db
    .select({ member: staff })
    .from(staff)
    .innerJoin(
      refreshTokens,
      and(
        eq(refreshTokens.staffId, staff.id),
        eq(refreshTokens.familyId, session.sessionId),
        isNull(refreshTokens.revokedAt),
        gt(refreshTokens.expiresAt, deps.now()),
      ),
    )
    .where(and(eq(staff.id, session.staffId), eq(staff.active, true)))
    .limit(1);
  return row ? principalOf(row.member) : null;
}
