// A member's open tickets, the longest-waiting parent first: the chat's /tickets and the morning
// summary. A ticket "waits" from the parent's first message after the last staff answer.
import { sql } from "drizzle-orm";
import type { Database } from "../../db";
import { type SummaryLine, ticketReference } from "../domain";

interface OpenTicketRow {
  number: number;
  category: string;
  guardianName: string;
  childName: string | null;
  className: string | null;
  updatedAt: number;
  waitingSince: number | null;
}

/** The member's open tickets (assigned to them), longest waiting first, then least recently moved. */
export function myOpenTickets(
  db: Database,
  staffId: number,
  now: number,
  limit: number,
): SummaryLine[] {
  const rows = db.all<OpenTicketRow>(sql`
    select t.number, t.category, t.updated_at as updatedAt,
           g.first_name || ' ' || g.last_name as guardianName,
           s.first_name as childName, c.name as className,
           (select min(m.created_at) from ticket_messages m
             where m.ticket_id = t.id and m.author_type = 'parent'
               and m.id > coalesce((select max(a.id) from ticket_messages a
                 where a.ticket_id = t.id and a.author_type = 'staff' and a.internal = 0), 0))
             as waitingSince
      from tickets t
      join guardians g on g.id = t.guardian_id
      left join students s on s.id = t.student_id
      left join classes c on c.id = s.class_id
     where t.assignee_staff_id = ${staffId}
       and t.status in ('open', 'in_progress', 'waiting_for_parent')
     order by waitingSince is null, waitingSince, t.updated_at
     limit ${limit}`);
  return rows.map((row) => ({
    reference: ticketReference(row.number),
    guardianName: row.guardianName,
    child: row.childName ? `${row.childName} (${row.className ?? ""})` : null,
    category: row.category,
    awaitingAnswer: row.waitingSince !== null,
    waitingMs: now - (row.waitingSince ?? row.updatedAt),
  }));
}
