// Tickets written straight into a test Parentline's database with chosen times, so report figures
// can be checked against values worked out by hand.
import { DEFAULT_SLA, firstResponseDueAt } from "../../src/domain";
import type { TestParentline } from "../support/parentline";

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
export function insertTicket(app: TestParentline, ticket: FixtureTicket): number {
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
