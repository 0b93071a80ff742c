// A staff session (a refresh-token family) read per request: deactivating the member, or revoking,
// signing out or letting the family expire, ends every request made under it from then on.
import { and, eq, gt, isNull } from "drizzle-orm";
import { schema } from "../../db";
import type { StaffPrincipal } from "../http/app-env";
import type { ServiceDeps } from "./deps";

const { staff, refreshTokens } = schema;

/** The member's current record as a principal, or null when the member is inactive or the
 *  session (a refresh-token family) has been revoked / signed out / expired. Read per request. */
export async function currentStaffPrincipal(
  deps: Pick<ServiceDeps, "db" | "now">,
  session: { staffId: number; sessionId: string },
): Promise<StaffPrincipal | null> {
  const [row] = await deps.db
    .select({ schoolId: staff.schoolId, role: staff.role })
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
  return row ? { staffId: session.staffId, schoolId: row.schoolId, roles: [row.role] } : null;
}
