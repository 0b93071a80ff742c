// The staff benchmarks' data: a large school's year of tickets (guardians, students, tickets and
// their messages) generated into the demo database in one transaction with prepared statements.
// Deterministic: every run builds the same rows. Used by bench:staff and bench:desk.
import type { NodeDatabase as Database } from "../../db/node";

export const GUARDIANS = 2_000;
export const TICKETS = 50_000;
export const MESSAGES = 1_000_000;

// A deliberately small vocabulary (60 words): every search word is in about 15% of the million
// messages, a worst case for q next to real text, whose words are far more varied.
const WORDS = (
  "homework maths reading bus late absent sick fees invoice payment uniform lunch allergy trip " +
  "permission form teacher class exam results timetable transport route stop pickup coat lost " +
  "library book sports football swimming music concert holiday meeting parents evening report " +
  "grade science project deadline computer password login canteen menu vegetarian medicine nurse"
).split(" ");
const CATEGORIES = ["academics", "attendance", "fees", "transport", "other"] as const;
const STATUSES = ["open", "in_progress", "waiting_for_parent", "resolved", "closed"] as const;

/** A small deterministic generator, so every run builds the same data. */
export function random(seed: number) {
  let state = seed;
  return () => {
    state = (state * 1_664_525 + 1_013_904_223) % 4_294_967_296;
    return state / 4_294_967_296;
  };
}
const rand = random(42);
const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)] as T;

/** Writes the data into the demo school "greenfield"; returns its id, its staff and how long it took. */
export function generateStaffData(db: Database, now: number) {
  const client = db.$client;
  const started = performance.now();
  const school = client.prepare("select id from schools where slug = 'greenfield'").get() as {
    id: number;
  };
  const classIds = (
    client.prepare("select id from classes where school_id = ?").all(school.id) as { id: number }[]
  ).map((r) => r.id);
  const staffRows = client
    .prepare("select id, role, office_function as fn from staff where school_id = ?")
    .all(school.id) as { id: number; role: string; fn: string | null }[];
  const teachers = client
    .prepare(
      "select staff_id as id, class_id as classId from class_teachers where school_id = ? and is_class_teacher = 1",
    )
    .all(school.id) as { id: number; classId: number }[];
  const office = (fn: string) => staffRows.find((s) => s.fn === fn)?.id ?? null;

  const insertGuardian = client.prepare(
    "insert into guardians (school_id, first_name, last_name, phone, created_at) values (?, ?, ?, ?, ?)",
  );
  const insertStudent = client.prepare(
    "insert into students (school_id, class_id, admission_no, first_name, last_name, created_at) values (?, ?, ?, ?, ?, ?)",
  );
  const insertLink = client.prepare(
    "insert into guardian_students (guardian_id, student_id, school_id) values (?, ?, ?)",
  );
  const insertTicket = client.prepare(
    "insert into tickets (school_id, number, guardian_id, student_id, category, priority, status, assignee_staff_id, routing_reason, channel, address, created_at, updated_at, first_response_at, first_response_due_at, resolved_at) values (?, ?, ?, ?, ?, ?, ?, ?, 'bench', 'sms', ?, ?, ?, ?, ?, ?)",
  );
  const insertMessage = client.prepare(
    "insert into ticket_messages (school_id, ticket_id, author_type, author_staff_id, body, internal, created_at) values (?, ?, ?, ?, ?, ?, ?)",
  );

  client.transaction(() => {
    const families: { guardianId: number; studentId: number; classId: number; phone: string }[] =
      [];
    for (let g = 0; g < GUARDIANS; g++) {
      const phone = `+1415${String(7_000_000 + g)}`;
      const guardianId = Number(
        insertGuardian.run(school.id, `Parent${g}`, `Family${g}`, phone, now).lastInsertRowid,
      );
      const classId = pick(classIds);
      const studentId = Number(
        insertStudent.run(school.id, classId, `BENCH-${g}`, `Child${g}`, `Family${g}`, now)
          .lastInsertRowid,
      );
      insertLink.run(guardianId, studentId, school.id);
      families.push({ guardianId, studentId, classId, phone });
    }
    const messagesPerTicket = MESSAGES / TICKETS;
    const year = 365 * 86_400_000;
    for (let t = 0; t < TICKETS; t++) {
      const family = families[t % GUARDIANS] as (typeof families)[number];
      const category = pick(CATEGORIES);
      // Most of a year's tickets are done; the recent ones are still being worked.
      const created = now - Math.floor(year * (1 - t / TICKETS)) + Math.floor(rand() * 60_000);
      const status = t > TICKETS - 1500 ? pick(STATUSES.slice(0, 3)) : pick(STATUSES.slice(3));
      const assignee =
        category === "fees"
          ? office("accounts")
          : category === "transport"
            ? office("transport")
            : category === "other"
              ? office("front")
              : (teachers.find((x) => x.classId === family.classId)?.id ?? null);
      const priority = rand() < 0.08 ? "urgent" : "normal";
      const due = created + (priority === "urgent" ? 2 : 24) * 3_600_000;
      const firstResponse =
        status === "open" ? null : created + Math.floor(rand() * 40 * 3_600_000);
      const resolved =
        status === "resolved" || status === "closed" ? created + 3 * 86_400_000 : null;
      const ticketId = Number(
        insertTicket.run(
          school.id,
          100_000 + t,
          family.guardianId,
          family.studentId,
          category,
          priority,
          status,
          assignee,
          family.phone,
          created,
          created + messagesPerTicket * 600_000,
          firstResponse,
          due,
          resolved,
        ).lastInsertRowid,
      );
      for (let m = 0; m < messagesPerTicket; m++) {
        const staffAuthor = m % 2 === 1;
        const words = Array.from({ length: 6 + Math.floor(rand() * 10) }, () => pick(WORDS));
        insertMessage.run(
          school.id,
          ticketId,
          staffAuthor ? "staff" : "parent",
          staffAuthor ? assignee : null,
          words.join(" "),
          staffAuthor && rand() < 0.2 ? 1 : 0,
          created + m * 600_000,
        );
      }
    }
    client
      .prepare("update schools set last_ticket_number = ? where id = ?")
      .run(100_000 + TICKETS, school.id);
  })();
  client.exec("analyze");
  return { school: school.id, staffRows, seconds: (performance.now() - started) / 1000 };
}
