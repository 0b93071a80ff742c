// The staff member a signed-in session acts as, read from the directory on every request: a
// deactivation, a new role or a sign-out takes effect at the member's next request.
import { and, eq, gt, isNull } from "drizzle-orm";
import { placeholder as p, preparedPerDatabase, schema } from "../../db";
import type { StaffPrincipal } from "../http/app-env";
import type { ServiceDeps } from "./deps";
import { principalOf } from "./directory";

const { staff, refreshTokens } = schema;

// A family is live while it holds an unrevoked, unexpired token: revoking a family (sign-out, reuse,
// deactivation at refresh) marks every token of it. Run on every staff request, so prepared once.
const liveSessionMemberQuery = preparedPerDatabase((db) =>
  db
    .select({ member: staff })
    .from(staff)
    .innerJoin(
      refreshTokens,
      and(
        eq(refreshTokens.staffId, staff.id),
        eq(refreshTokens.familyId, p("sessionId")),
        isNull(refreshTokens.revokedAt),
        gt(refreshTokens.expiresAt, p("now")),
      ),
    )
    .where(and(eq(staff.id, p("staffId")), eq(staff.active, true)))
    .prepare(),
);

/**
 * The member's current record as a principal, or null when the member is inactive or the session
 * (a refresh-token family) has been revoked, signed out or has expired. Read per request.
 */
export async function currentStaffPrincipal(
  deps: Pick<ServiceDeps, "db" | "now">,
  session: { staffId: number; sessionId: string },
): Promise<StaffPrincipal | null> {
  const row = await liveSessionMemberQuery(deps.db).get({
    staffId: session.staffId,
    sessionId: session.sessionId,
    now: deps.now(),
  });
  return row ? principalOf(row.member) : null;
}
