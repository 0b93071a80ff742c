// A school's first-response SLA over the database: the due time stamped on new tickets, and the
// "breached" condition the ticket list filters on.
import { eq, type SQL, sql } from "drizzle-orm";
import { type Database, schema } from "../../db";
import { firstResponseDueAt, slaFromSettings, type ticketPriorities } from "../domain";

const { schools, tickets } = schema;

/** When the first answer to a ticket of this school and priority, created at `createdAt`, is due. */
export async function dueTimeFor(
  db: Database,
  schoolId: number,
  priority: (typeof ticketPriorities)[number],
  createdAt: number,
): Promise<number> {
  const [school] = await db
    .select({ settings: schools.settings, timezone: schools.timezone })
    .from(schools)
    .where(eq(schools.id, schoolId));
  return firstResponseDueAt(
    slaFromSettings(school?.settings ?? {}),
    priority,
    createdAt,
    school?.timezone ?? "UTC",
  );
}

/**
 * A ticket breached its SLA when its first answer came after the due time, or none has come and
 * the due time has passed. Resolving without a reply counts as the answer (nothing is owed then).
 */
export function slaBreachedCondition(now: number): SQL {
  return sql`${tickets.firstResponseDueAt} < coalesce(${tickets.firstResponseAt}, ${tickets.resolvedAt}, ${now})`;
}

/** The same rule for one row, for the ticket's own `slaBreached` field. */
export function isSlaBreached(
  row: {
    firstResponseDueAt: number | null;
    firstResponseAt: number | null;
    resolvedAt: number | null;
  },
  now: number,
): boolean {
  if (row.firstResponseDueAt === null) return false;
  return row.firstResponseDueAt < (row.firstResponseAt ?? row.resolvedAt ?? now);
}
