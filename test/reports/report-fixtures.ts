// Tickets written straight into a test Parentline's database with chosen times, so report figures
// can be checked against values worked out by hand.
import type { Database } from "../../db";
import { DEFAULT_SLA, firstResponseDueAt } from "../../src/domain";

export interface FixtureTicket {
  /** Local time in the school's zone (Greenfield: America/Los_Angeles, UTC−8 in November). */
  created: string;
  firstResponse?: string;
  resolved?: string;
  category?: string;
  className: string;
  school?: "greenfield" | "riverside";
  reopenCount?: number;
  rating?: number;
  assigneeStaffId?: number | null;
  priority?: "normal" | "urgent";
}

const ZONES = { greenfield: "America/Los_Angeles", riverside: "America/New_York" };
const OFFSETS = { greenfield: "-08:00", riverside: "-05:00" };

let nextNumber = 5000;

/** "2026-11-20 15:00" in the school's November offset, as an instant. */
export const localInstant = (text: string, school: keyof typeof OFFSETS = "greenfield") =>
  Date.parse(`${text.replace(" ", "T")}:00${OFFSETS[school]}`);

/** Inserts a ticket about a child of the named class (its first student and their guardian). */
export function insertTicket(app: { db: Database }, ticket: FixtureTicket): number {
  const client = app.db.$client;
  const school = ticket.school ?? "greenfield";
  const family = client
    .prepare<[string, string], { schoolId: number; studentId: number; guardianId: number }>(
      `select s.id as schoolId, st.id as studentId, gs.guardian_id as guardianId
         from schools s join classes c on c.school_id = s.id
         join students st on st.class_id = c.id
         join guardian_students gs on gs.student_id = st.id
        where s.slug = ? and c.name = ? order by st.id limit 1`,
    )
    .get(school, ticket.className);
  if (!family) throw new Error(`no family in ${school} ${ticket.className}`);
  const created = localInstant(ticket.created, school);
  const priority = ticket.priority ?? "normal";
  const due = firstResponseDueAt(DEFAULT_SLA, priority, created, ZONES[school]);
  const at = (text: string | undefined) => (text ? localInstant(text, school) : null);
  const resolved = at(ticket.resolved);
  nextNumber += 1;
  return Number(
    client
      .prepare(
        `insert into tickets (school_id, number, guardian_id, student_id, category, priority, status,
           assignee_staff_id, routing_reason, channel, address, created_at, updated_at,
           first_response_at, first_response_due_at, resolved_at, reopen_count, rating)
         values (?, ?, ?, ?, ?, ?, ?, ?, 'fixture', 'sms', '+14155550000', ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        family.schoolId,
        nextNumber,
        family.guardianId,
        family.studentId,
        ticket.category ?? "academics",
        priority,
        resolved ? "resolved" : "open",
        ticket.assigneeStaffId ?? null,
        created,
        created,
        at(ticket.firstResponse),
        due,
        resolved,
        ticket.reopenCount ?? 0,
        ticket.rating ?? null,
      ).lastInsertRowid,
  );
}

/**
 * The week of Monday 2026-11-16 at Greenfield (America/Los_Angeles; default SLA 08:00–16:00,
 * Monday to Friday, first answer within 8 working hours), worked by hand:
 *   ten academics tickets about a 5A child, Mon 08:00, answered after 1…10 working hours (9 and
 *   10 late);
 *   a fees ticket about a 3A child, Fri 15:00, answered Mon 23rd 09:00 (2 h), resolved, rated 4;
 *   a fees ticket about a 3A child, Wed 08:00, answered Thu 10:00 (10 h, late);
 *   an academics ticket about a 5A child, Thu 08:00, never answered: late, and 16 working hours
 *   by the week's end.
 * Thirteen requests; answered waits 1 2 2 3 4 5 6 7 8 9 10 10: median (rank 6) 5 h; four of
 * thirteen past the SLA (31 %); one resolved; rated 4/5 once; the worst wait the unanswered one.
 * Returns the unanswered ticket's reference.
 */
export function insertWeekOfTickets(app: { db: Database }): string {
  for (let hours = 1; hours <= 10; hours++) {
    const firstResponse =
      hours <= 8
        ? `2026-11-16 ${String(8 + hours).padStart(2, "0")}:00`
        : `2026-11-17 ${String(hours).padStart(2, "0")}:00`;
    insertTicket(app, { className: "5A", created: "2026-11-16 08:00", firstResponse });
  }
  insertTicket(app, {
    className: "3A",
    category: "fees",
    created: "2026-11-20 15:00",
    firstResponse: "2026-11-23 09:00",
    resolved: "2026-11-23 10:00",
    rating: 4,
  });
  insertTicket(app, {
    className: "3A",
    category: "fees",
    created: "2026-11-18 08:00",
    firstResponse: "2026-11-19 10:00",
  });
  const waiting = insertTicket(app, { className: "5A", created: "2026-11-19 08:00" });
  const { number } = app.db.$client
    .prepare("select number from tickets where id = ?")
    .get(waiting) as { number: number };
  return `T-${number}`;
}
