// Each ticket's waits in working hours, stored on the ticket so a report is one aggregate: counted
// here for tickets answered or resolved since the last report, and again for the whole school when
// its time zone or working hours (settings.sla) differ from those the stored ones were counted in.
import { and, eq } from "drizzle-orm";
import { type Database, schema } from "../../db";
import { durationsMissing } from "../../db/schema";
import { cachedOffsetAt, type SlaPolicy, workingTimeCounter } from "../domain";

const { tickets, schools } = schema;

/** What the stored durations depend on: the zone and the working day and week. */
export function durationsBasis(policy: SlaPolicy, timeZone: string): string {
  return JSON.stringify({
    timeZone,
    dayStartMinute: policy.dayStartMinute,
    dayEndMinute: policy.dayEndMinute,
    workingDays: [...policy.workingDays].sort((a, b) => a - b),
  });
}

/**
 * Brings the school's stored durations up to date; call inside the transaction that reads them,
 * so no ticket answered meanwhile is read without its duration.
 */
export function fillReportDurations(
  db: Database,
  schoolId: number,
  policy: SlaPolicy,
  timeZone: string,
): void {
  const basis = durationsBasis(policy, timeZone);
  const [school] = db
    .select({ basis: schools.reportDurationsBasis })
    .from(schools)
    .where(eq(schools.id, schoolId))
    .all();
  if (!school) return;
  if (school.basis !== basis) {
    db.update(tickets)
      .set({ firstResponseWorkingMs: null, resolutionWorkingMs: null })
      .where(eq(tickets.schoolId, schoolId))
      .run();
    db.update(schools).set({ reportDurationsBasis: basis }).where(eq(schools.id, schoolId)).run();
  }
  const missing = db
    .select({
      id: tickets.id,
      createdAt: tickets.createdAt,
      firstResponseAt: tickets.firstResponseAt,
      resolvedAt: tickets.resolvedAt,
    })
    .from(tickets)
    .where(and(eq(tickets.schoolId, schoolId), durationsMissing))
    .all();
  if (missing.length === 0) return;
  const workingMs = workingTimeCounter(policy, timeZone, cachedOffsetAt());
  const store = db.$client.prepare(
    "update tickets set first_response_working_ms = ?, resolution_working_ms = ? where id = ?",
  );
  for (const ticket of missing) {
    store.run(
      ticket.firstResponseAt === null ? null : workingMs(ticket.createdAt, ticket.firstResponseAt),
      ticket.resolvedAt === null ? null : workingMs(ticket.createdAt, ticket.resolvedAt),
      ticket.id,
    );
  }
}
