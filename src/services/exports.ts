// CSV exports read in pages by key: each page is one short query, written out before the next is
// read, so a 50,000-row export holds one page in memory and other requests run between pages.
import { and, asc, eq, gt, gte, lt, sql } from "drizzle-orm";
import { type Database, schema } from "../../db";
import { csvLine, type SchoolClock, ticketReference } from "../domain";
import { listRecipients } from "./announcement-reports";
import type { ServiceDeps } from "./deps";
import { staffDisplayName } from "./directory";
import { isSlaBreached } from "./sla";
import type { StaffViewer } from "./staff-viewer";
import { visibleTo } from "./tickets";

const { tickets, students, classes, guardians, staff } = schema;

/** Rows read per query. */
export const EXPORT_PAGE_ROWS = 500;

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
const hours = (ms: number) => Number((ms / 3_600_000).toFixed(2));

export const TICKET_EXPORT_HEADER = csvLine([
  "reference",
  "created_at",
  "status",
  "category",
  "priority",
  "class",
  "child",
  "parent",
  "assignee",
  "first_response_at",
  "first_response_due_at",
  "first_response_working_hours",
  "sla_breached",
  "resolved_at",
  "reopen_count",
  "rating",
  "rating_comment",
]);

/**
 * The tickets created in [from, to) that the viewer may see, in id order, as CSV lines: one
 * string per page, the header first.
 */
export async function* ticketExportPages(
  db: Database,
  viewer: StaffViewer,
  period: { from: number; to: number; now: number; clock: SchoolClock },
): AsyncGenerator<string> {
  yield TICKET_EXPORT_HEADER;
  let after = 0;
  for (;;) {
    const rows = await db
      .select({
        id: tickets.id,
        number: tickets.number,
        createdAt: tickets.createdAt,
        status: tickets.status,
        category: tickets.category,
        priority: tickets.priority,
        className: classes.name,
        child: sql<string | null>`${students.firstName} || ' ' || ${students.lastName}`,
        parent: sql<string>`${guardians.firstName} || ' ' || ${guardians.lastName}`,
        assigneeTitle: staff.title,
        assigneeFirstName: staff.firstName,
        assigneeLastName: staff.lastName,
        firstResponseAt: tickets.firstResponseAt,
        firstResponseDueAt: tickets.firstResponseDueAt,
        resolvedAt: tickets.resolvedAt,
        reopenCount: tickets.reopenCount,
        rating: tickets.rating,
        ratingComment: tickets.ratingComment,
      })
      .from(tickets)
      .innerJoin(guardians, eq(guardians.id, tickets.guardianId))
      .leftJoin(students, eq(students.id, tickets.studentId))
      .leftJoin(classes, eq(classes.id, students.classId))
      .leftJoin(staff, eq(staff.id, tickets.assigneeStaffId))
      .where(
        and(
          visibleTo(viewer),
          gte(tickets.createdAt, period.from),
          lt(tickets.createdAt, period.to),
          gt(tickets.id, after),
        ),
      )
      .orderBy(asc(tickets.id))
      .limit(EXPORT_PAGE_ROWS);
    if (rows.length === 0) return;
    yield rows
      .map((row) =>
        csvLine([
          ticketReference(row.number),
          iso(row.createdAt),
          row.status,
          row.category,
          row.priority,
          row.className,
          row.child,
          row.parent,
          row.assigneeFirstName === null
            ? null
            : staffDisplayName({
                title: row.assigneeTitle ?? "",
                firstName: row.assigneeFirstName,
                lastName: row.assigneeLastName ?? "",
              }),
          iso(row.firstResponseAt),
          iso(row.firstResponseDueAt),
          row.firstResponseAt === null
            ? null
            : hours(period.clock.workingMs(row.createdAt, row.firstResponseAt)),
          isSlaBreached(row, period.now),
          iso(row.resolvedAt),
          row.reopenCount,
          row.rating,
          row.ratingComment,
        ]),
      )
      .join("");
    after = rows.at(-1)?.id ?? after;
    if (rows.length < EXPORT_PAGE_ROWS) return;
  }
}

export const RECIPIENT_EXPORT_HEADER = csvLine([
  "guardian_id",
  "name",
  "channel",
  "status",
  "skipped_reason",
  "error",
]);

/** An announcement's recipients in guardian order, as CSV lines, one string per page. */
export async function* recipientExportPages(
  deps: Pick<ServiceDeps, "db">,
  announcementId: number,
): AsyncGenerator<string> {
  yield RECIPIENT_EXPORT_HEADER;
  let after = 0;
  for (;;) {
    const page = listRecipients(deps, announcementId, { limit: EXPORT_PAGE_ROWS, after });
    yield page.recipients
      .map((r) =>
        csvLine([r.guardianId, r.name, r.channel, r.status, r.skippedReason, r.lastError]),
      )
      .join("");
    if (page.nextCursor === null) return;
    after = Number(page.nextCursor);
  }
}
