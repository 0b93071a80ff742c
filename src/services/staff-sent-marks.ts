// When a staff member's periodic message (the morning summary, the weekly report) was last sent:
// the mark is set only if it still holds what the run read, so two runs at once send it once.
import { and, eq, isNull } from "drizzle-orm";
import { type Database, schema } from "../../db";
import type { UnitOfWork } from "../outbox/unit-of-work";

const { staff } = schema;

type SentMark = "summarySentAt" | "weeklyReportSentAt";

/** Plans setting `column` to `now` for the member, guarded by the value the run read (`previous`). */
export function planSentMark(
  db: Database,
  uow: UnitOfWork,
  mark: { column: SentMark; staffId: number; previous: number | null; now: number; guard: string },
): void {
  const { column, staffId, previous, now, guard } = mark;
  uow.plan(
    db
      .update(staff)
      .set({ [column]: now })
      .where(
        and(
          eq(staff.id, staffId),
          previous === null ? isNull(staff[column]) : eq(staff[column], previous),
        ),
      ),
    { guard },
  );
}
