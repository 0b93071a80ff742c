// What a member's morning summary says of the alerts held back for it: per open ticket, how many
// parent messages came since that member last heard of it (an alert to their chat, or their last
// summary), and which tickets they would have heard of were resolved meanwhile by someone else.
import { sql } from "drizzle-orm";
import type { Database } from "../../db";
import { type ResolvedWhileHeld, ticketReference } from "../domain";
import { staffDisplayName } from "./directory";

export interface HeldWindow {
  staffId: number;
  /** The member's staff chat, where their alerts go. */
  channel: string;
  address: string;
  /** The member's previous summary, or where the summary looks back to without one. */
  since: number;
}

/** Parent messages on ticket `t` after the member last heard of it, as a SQL expression. */
const heldMessages = (window: HeldWindow) => sql`(select count(*) from ticket_messages m
    where m.ticket_id = t.id and m.author_type = 'parent'
      and m.created_at > max(${window.since}, coalesce((select max(o.created_at) from outbox o
        where o.ticket_id = t.id and o.kind = 'alert'
          and o.channel = ${window.channel} and o.address = ${window.address}), 0)))`;

/** Held parent messages per open ticket of the member, by reference (tickets with none left out). */
export function heldMessagesByReference(db: Database, window: HeldWindow): Map<string, number> {
  const rows = db.all<{ number: number; held: number }>(sql`
    select t.number, ${heldMessages(window)} as held from tickets t
     where t.assignee_staff_id = ${window.staffId}
       and t.status in ('open', 'in_progress', 'waiting_for_parent')`);
  return new Map(
    rows.filter((row) => row.held > 0).map((row) => [ticketReference(row.number), row.held]),
  );
}

interface ResolvedRow {
  number: number;
  category: string;
  guardianName: string;
  childName: string | null;
  className: string | null;
  resolverTitle: string | null;
  resolverFirstName: string | null;
  resolverLastName: string | null;
  held: number;
}

/**
 * Tickets the member held alerts for (theirs, or theirs until someone took them in the window)
 * that someone else resolved since `window.since`, with who resolved them.
 */
export function resolvedWhileHeld(db: Database, window: HeldWindow): ResolvedWhileHeld[] {
  const rows = db.all<ResolvedRow>(sql`
    select * from (
      select t.number, t.category,
             g.first_name || ' ' || g.last_name as guardianName,
             s.first_name as childName, c.name as className,
             r.actor_id as resolverId,
             rs.title as resolverTitle, rs.first_name as resolverFirstName,
             rs.last_name as resolverLastName,
             ${heldMessages(window)} as held
        from tickets t
        join guardians g on g.id = t.guardian_id
        left join students s on s.id = t.student_id
        left join classes c on c.id = s.class_id
        left join audit_log r on r.id = (select max(a.id) from audit_log a
          where a.entity = 'ticket' and a.entity_id = cast(t.id as text)
            and a.action = 'ticket.status' and json_extract(a.after, '$.status') = 'resolved')
        left join staff rs on rs.id = r.actor_id
       where t.resolved_at > ${window.since}
         and t.status not in ('open', 'in_progress', 'waiting_for_parent')
         and (t.assignee_staff_id = ${window.staffId} or exists (select 1 from audit_log h
           where h.entity = 'ticket' and h.entity_id = cast(t.id as text)
             and h.action = 'ticket.assigneeStaffId' and h.created_at > ${window.since}
             and json_extract(h.before, '$.assigneeStaffId') = ${window.staffId})))
     where held > 0 and (resolverId is null or resolverId != ${window.staffId})
     order by number`);
  return rows.map((row) => ({
    reference: ticketReference(row.number),
    guardianName: row.guardianName,
    child: row.childName ? `${row.childName} (${row.className ?? ""})` : null,
    category: row.category,
    resolvedBy:
      row.resolverLastName === null
        ? null
        : staffDisplayName({
            title: row.resolverTitle ?? "",
            firstName: row.resolverFirstName ?? "",
            lastName: row.resolverLastName,
          }),
    heldMessages: row.held,
  }));
}
