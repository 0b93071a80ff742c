// A school event in (from an API key, or a CSV row group an admin uploaded): each child it names
// becomes one notice per guardian, in the guardian's language, through the outbox, with the event
// kept under its Idempotency-Key so a replay answers the same and sends nothing again.
import { and, eq, sql } from "drizzle-orm";
import { schema } from "../../db";
import { chooseAddress, deliveryModeFor } from "../domain";
import { planOutboxMessage } from "../outbox/enqueue";
import { UnitOfWork } from "../outbox/unit-of-work";
import { isUrgentEvent, type SchoolEvent } from "../school-events/event-schema";
import { noticeText } from "../school-events/notice-text";
import { sha256Hex } from "../security";
import { forEachAudienceGuardian } from "./announcement-audience";
import { loadSchool, sendAtFor } from "./announcement-sending";
import { planKeyUse } from "./api-keys";
import { planAudit } from "./audit";
import type { ServiceDeps } from "./deps";

const { schoolEvents } = schema;

/** Why a child named in an event got no notice. */
export const EVENT_REJECT_REASONS = {
  unknown_admission_number: "No student of the school has this admission number",
  no_reachable_guardian:
    "No guardian of this student can be reached (no channel, opted out, or notices of this kind turned off)",
} as const;
export type EventRejectReason = keyof typeof EVENT_REJECT_REASONS;

export interface EventAnswer {
  id: number;
  type: SchoolEvent["type"];
  /** Children who got at least one notice. */
  accepted: number;
  /** Notices queued (one per guardian per child). */
  messages: number;
  rejected: { admissionNumber: string; reason: EventRejectReason }[];
}

/** Who sent the event: a key of the school's system, or an admin's upload. */
export interface EventSender {
  schoolId: number;
  apiKeyId?: number;
  staffId?: number;
}

export type EventOutcome =
  | { ok: true; answer: EventAnswer; replayed: boolean }
  | { ok: false; status: 409 | 422; code: string; message: string; details?: unknown };

/** SHA-256 of the request body: what an Idempotency-Key is bound to. */
export const requestHashOf = (body: string) => sha256Hex(body);

interface Target {
  studentId: number;
  admissionNumber: string;
  firstName: string;
  mark?: "absent" | "late";
}

interface Resolved {
  targets: Target[];
  rejected: EventAnswer["rejected"];
}

/** The school's students by admission number, whatever its case. */
function studentsByAdmission(deps: Pick<ServiceDeps, "db">, schoolId: number, numbers: string[]) {
  const rows = deps.db.$client
    .prepare<[number, string], { id: number; admissionNo: string; firstName: string }>(
      `select id, admission_no as admissionNo, first_name as firstName from students
        where school_id = ? and upper(admission_no) in (select upper(value) from json_each(?))`,
    )
    .all(schoolId, JSON.stringify(numbers));
  return new Map(rows.map((row) => [row.admissionNo.toUpperCase(), row]));
}

/** The children the event names, each once, and the admission numbers the school does not have. */
export function resolveEventChildren(
  deps: Pick<ServiceDeps, "db">,
  schoolId: number,
  event: SchoolEvent,
):
  | { ok: true; resolved: Resolved }
  | { ok: false; code: string; message: string; details: unknown } {
  const named: { admissionNumber: string; mark?: "absent" | "late" }[] =
    event.type === "attendance.marked"
      ? [
          ...event.absent.map((no) => ({ admissionNumber: no, mark: "absent" as const })),
          ...event.late.map((no) => ({ admissionNumber: no, mark: "late" as const })),
        ]
      : event.admissionNumbers.map((no) => ({ admissionNumber: no }));
  const found = studentsByAdmission(
    deps,
    schoolId,
    named.map((item) => item.admissionNumber),
  );
  const targets: Target[] = [];
  const rejected: EventAnswer["rejected"] = [];
  const seen = new Set<number>();
  for (const item of named) {
    const student = found.get(item.admissionNumber.toUpperCase());
    if (!student) {
      rejected.push({ admissionNumber: item.admissionNumber, reason: "unknown_admission_number" });
      continue;
    }
    if (seen.has(student.id)) continue;
    seen.add(student.id);
    targets.push({
      studentId: student.id,
      admissionNumber: student.admissionNo,
      firstName: student.firstName,
      ...(item.mark ? { mark: item.mark } : {}),
    });
  }
  if (event.type === "scores.published" && event.classes.length > 0) {
    const key = (name: string) => name.replace(/\s+/g, "").toUpperCase();
    const classes = deps.db.$client
      .prepare<[number], { id: number; name: string }>(
        "select id, name from classes where school_id = ?",
      )
      .all(schoolId);
    const byKey = new Map(classes.map((row) => [key(row.name), row.id]));
    const unknown = event.classes.filter((name) => !byKey.has(key(name)));
    if (unknown.length > 0)
      return {
        ok: false,
        code: "unknown_class",
        message: `Unknown class: ${unknown.join(", ")}`,
        details: unknown.map((name) => ({
          path: `classes.${event.classes.indexOf(name)}`,
          message: `The school has no class ${name}`,
        })),
      };
    const inClasses = deps.db.$client
      .prepare<[number, string], { id: number; admissionNo: string; firstName: string }>(
        `select id, admission_no as admissionNo, first_name as firstName from students
          where school_id = ? and class_id in (select value from json_each(?)) order by id`,
      )
      .all(schoolId, JSON.stringify(event.classes.map((name) => byKey.get(key(name)))));
    for (const student of inClasses) {
      if (seen.has(student.id)) continue;
      seen.add(student.id);
      targets.push({
        studentId: student.id,
        admissionNumber: student.admissionNo,
        firstName: student.firstName,
      });
    }
  }
  return { ok: true, resolved: { targets, rejected } };
}

/** What a notice quotes of the school's own words (a results title, a period's name). */
function schoolWordsIn(event: SchoolEvent): string[] {
  if (event.type === "scores.published") return [event.title];
  if (event.type === "attendance.marked") return [event.period];
  return [];
}

/** Each guardian's children among the students, by guardian id. */
function guardiansChildren(deps: Pick<ServiceDeps, "db">, studentIds: number[]) {
  const rows = deps.db.$client
    .prepare<[string], { guardianId: number; studentId: number }>(
      `select guardian_id as guardianId, student_id as studentId from guardian_students
        where student_id in (select value from json_each(?)) order by student_id`,
    )
    .all(JSON.stringify(studentIds));
  const children = new Map<number, number[]>();
  for (const { guardianId, studentId } of rows) {
    const list = children.get(guardianId);
    if (list) list.push(studentId);
    else children.set(guardianId, [studentId]);
  }
  return children;
}

/** The event stored under this key for the school, if any. */
function storedEvent(deps: Pick<ServiceDeps, "db">, schoolId: number, key: string) {
  const [row] = deps.db
    .select()
    .from(schoolEvents)
    .where(and(eq(schoolEvents.schoolId, schoolId), eq(schoolEvents.idempotencyKey, key)))
    .all();
  return row;
}

function replayOf(row: typeof schoolEvents.$inferSelect, requestHash: string): EventOutcome {
  if (row.requestHash !== requestHash)
    return {
      ok: false,
      status: 409,
      code: "idempotency_key_reused",
      message:
        "This Idempotency-Key was already used for a different event; use a new key for a new event",
    };
  return {
    ok: true,
    answer: { id: row.id, ...(row.response as Omit<EventAnswer, "id">) },
    replayed: true,
  };
}

/**
 * Takes one event: a replay of its key answers what the first answered; otherwise every notice,
 * the event and the key's last use are written in one commit.
 */
export async function receiveSchoolEvent(
  deps: ServiceDeps,
  sender: EventSender,
  event: SchoolEvent,
  idempotency: { key: string; requestHash: string },
): Promise<EventOutcome> {
  const { schoolId } = sender;
  const earlier = storedEvent(deps, schoolId, idempotency.key);
  if (earlier) return replayOf(earlier, idempotency.requestHash);
  const children = resolveEventChildren(deps, schoolId, event);
  if (!children.ok) {
    const { code, message, details } = children;
    return { ok: false, status: 422, code, message, details };
  }
  const { targets, rejected } = children.resolved;

  const now = deps.now();
  const school = await loadSchool(deps, schoolId);
  const urgent = isUrgentEvent(event);
  const sendAt = sendAtFor(school, urgent, now);
  const uow = new UnitOfWork();
  // Filled in as the notices are planned; the row is written first, so notices can point to it.
  const response: Omit<EventAnswer, "id"> = {
    type: event.type,
    accepted: 0,
    messages: 0,
    rejected,
  };
  let id = 0;
  uow.planInsert(
    {
      run: () =>
        deps.db
          .insert(schoolEvents)
          .values({
            schoolId,
            type: event.type,
            apiKeyId: sender.apiKeyId ?? null,
            staffId: sender.staffId ?? null,
            idempotencyKey: idempotency.key,
            requestHash: idempotency.requestHash,
            payload: event as unknown as Record<string, unknown>,
            response,
            createdAt: now,
          })
          .run(),
    },
    (rowId) => {
      id = rowId;
    },
  );
  // One pass over the guardians of every child named (a whole school's attendance reads each
  // guardian once); a guardian of two named children gets a notice about each.
  const byStudent = new Map(targets.map((target) => [target.studentId, target]));
  const childrenOf = guardiansChildren(deps, [...byStudent.keys()]);
  const sentAbout = new Map<number, number>();
  const insertNotice = deps.db.$client.prepare(
    `insert into school_event_notices (school_id, event_id, type, guardian_id, student_id, channel,
       address, created_at)
     values (?, (select max(id) from school_events), ?, ?, ?, ?, ?, ?)`,
  );
  forEachAudienceGuardian(
    deps,
    schoolId,
    { by: "students", studentIds: [...byStudent.keys()] },
    now,
    (guardian) => {
      // Attendance is urgent: "off" and the daily digest do not hold it back; an opt-out does.
      if (deliveryModeFor(guardian.preferences, urgent) === "off") return;
      const choice = chooseAddress(guardian.addresses, guardian.preferences.channelOrder);
      if (!choice.ok) return;
      for (const studentId of childrenOf.get(guardian.guardianId) ?? []) {
        const target = byStudent.get(studentId);
        if (!target) continue;
        planOutboxMessage(deps, uow, {
          schoolId,
          channel: choice.channel,
          address: choice.address,
          kind: "school_event",
          body: noticeText(event, {
            school: school.name,
            child: target.firstName,
            language: guardian.language,
            ...(target.mark ? { mark: target.mark } : {}),
          }),
          // The school's own words go as written on SMS; the rest is Parentline's, in GSM-7.
          quoted: schoolWordsIn(event),
          sendAt,
        });
        const values = [schoolId, event.type, guardian.guardianId, studentId] as const;
        uow.plan({ run: () => insertNotice.run(...values, choice.channel, choice.address, now) });
        sentAbout.set(studentId, (sentAbout.get(studentId) ?? 0) + 1);
      }
    },
  );
  for (const target of targets) {
    const sent = sentAbout.get(target.studentId) ?? 0;
    if (sent === 0)
      rejected.push({ admissionNumber: target.admissionNumber, reason: "no_reachable_guardian" });
    else response.accepted++;
    response.messages += sent;
  }
  if (sender.apiKeyId !== undefined) planKeyUse(deps, uow, sender.apiKeyId);
  // A system's events are traced by their key's last use; an admin's upload is a staff action.
  if (sender.staffId !== undefined)
    planAudit(deps, uow, {
      schoolId,
      actorType: "staff",
      actorId: sender.staffId,
      action: "school_event.upload",
      entity: "school_event",
      entityId: sql`cast((select max(id) from school_events) as text)`,
      after: { type: event.type, children: targets.length, messages: response.messages },
    });
  try {
    await uow.commit(deps.db);
  } catch (error) {
    // The same key won a race with this request between the look and the write.
    const made = storedEvent(deps, schoolId, idempotency.key);
    if (made) return replayOf(made, idempotency.requestHash);
    throw error;
  }
  if (response.messages > 0) deps.outboxQueued?.();
  return { ok: true, answer: { id, ...response }, replayed: false };
}
