// Who an announcement reaches: the audience as staff choose it (whole school, grades, classes,
// admission numbers), checked against the school and the author's classes, then resolved in one
// set-based query to each guardian, the children it concerns, their preferences and addresses.
import {
  DEFAULT_PREFERENCES,
  type GuardianAddress,
  type GuardianPreferences,
  preferencesFromJson,
} from "../domain";
import type { AnnouncementAudience } from "../domain/announce-command";
import type { ServiceDeps } from "./deps";

export type { AnnouncementAudience };

/** The staff member announcing (the API's signed-in principal, or a verified staff chat). */
export interface AnnouncementAuthor {
  staffId: number;
  schoolId: number;
  roles: readonly string[];
}

/** An expected refusal, with the HTTP status the API answers it with. */
export interface AnnouncementRefusal {
  ok: false;
  status: 403 | 404 | 409 | 422;
  code: string;
  message: string;
  details?: unknown;
}

/** The students an audience covers: whole classes, or listed students. */
export type AudienceTarget =
  | { by: "classes"; classIds: number[] }
  | { by: "students"; studentIds: number[] };

/** An expected refusal, for the API to answer with its status (every announcement service's). */
export const refuse = (
  status: AnnouncementRefusal["status"],
  code: string,
  message: string,
  details?: unknown,
): AnnouncementRefusal => ({ ok: false, status, code, message, details });

/** "5 a" and "5A" name the same class. */
const classKey = (name: string) => name.replace(/\s+/g, "").toUpperCase();

interface SchoolClass {
  id: number;
  name: string;
  grade: number;
}

/** The school's classes, by id: few enough (tens) to read whole. */
function schoolClasses(deps: Pick<ServiceDeps, "db">, schoolId: number): SchoolClass[] {
  return deps.db.$client
    .prepare<[number], SchoolClass>("select id, name, grade from classes where school_id = ?")
    .all(schoolId);
}

const unknownAudience = (what: string, names: string[], detailKey: string) =>
  refuse(422, "unknown_audience", `Unknown ${what}: ${names.join(", ")}`, { [detailKey]: names });

/**
 * Turns an audience into the students it covers and the classes they are in. `lenient` drops
 * names that no longer exist instead of refusing (a scheduled announcement going out later).
 */
export function resolveAudienceTarget(
  deps: Pick<ServiceDeps, "db">,
  schoolId: number,
  audience: AnnouncementAudience,
  lenient = false,
): { ok: true; target: AudienceTarget; classIds: number[] } | AnnouncementRefusal {
  const all = schoolClasses(deps, schoolId);
  const byClasses = (ids: number[]) => ({
    ok: true as const,
    target: { by: "classes" as const, classIds: ids },
    classIds: ids,
  });
  switch (audience.kind) {
    case "school":
      return byClasses(all.map((row) => row.id));
    case "grades": {
      const wanted = unique(audience.grades.map((grade) => grade.trim()));
      if (wanted.length === 0) return refuse(422, "empty_audience", "Choose at least one grade");
      const unknown = wanted.filter(
        (grade) => !/^\d{1,3}$/.test(grade) || !all.some((row) => row.grade === Number(grade)),
      );
      if (unknown.length > 0 && !lenient) return unknownAudience("grade", unknown, "grades");
      const grades = new Set(wanted.map(Number));
      return byClasses(all.filter((row) => grades.has(row.grade)).map((row) => row.id));
    }
    case "classes": {
      const wanted = unique(audience.classes.map((name) => name.trim()));
      if (wanted.length === 0) return refuse(422, "empty_audience", "Choose at least one class");
      const byKey = new Map(all.map((row) => [classKey(row.name), row.id]));
      const unknown = wanted.filter((name) => !byKey.has(classKey(name)));
      if (unknown.length > 0 && !lenient) return unknownAudience("class", unknown, "classes");
      return byClasses(unique(wanted.flatMap((name) => byKey.get(classKey(name)) ?? [])));
    }
    case "students": {
      const wanted = unique(audience.admissionNumbers.map((number) => number.trim()));
      if (wanted.length === 0)
        return refuse(422, "empty_audience", "Give at least one admission number");
      // Admission numbers match whatever their case; lists are short, so reading the school's
      // students without the index is cheap enough.
      const found = deps.db.$client
        .prepare<[number, string], { id: number; admissionNo: string; classId: number }>(
          `select id, admission_no as admissionNo, class_id as classId from students
            where school_id = ? and upper(admission_no) in (select upper(value) from json_each(?))`,
        )
        .all(schoolId, JSON.stringify(wanted));
      const have = new Set(found.map((row) => row.admissionNo.toUpperCase()));
      const unknown = wanted.filter((number) => !have.has(number.toUpperCase()));
      if (unknown.length > 0 && !lenient)
        return unknownAudience("admission number", unknown, "admissionNumbers");
      return {
        ok: true,
        target: { by: "students", studentIds: found.map((row) => row.id) },
        classIds: unique(found.map((row) => row.classId)),
      };
    }
  }
}

function unique<T>(values: T[]): T[] {
  return [...new Set(values)];
}

/**
 * May this staff member announce to these classes? Admins anywhere in their school; teachers only
 * to classes they teach (class_teachers); office staff not at all.
 */
export function checkAnnouncer(
  deps: Pick<ServiceDeps, "db">,
  author: AnnouncementAuthor,
  audience: AnnouncementAudience,
  classIds: number[],
): AnnouncementRefusal | null {
  if (author.roles.includes("admin")) return null;
  if (!author.roles.includes("teacher"))
    return refuse(403, "forbidden", "Only admins and teachers may send announcements");
  if (audience.kind === "school")
    return refuse(
      403,
      "not_your_class",
      "Only admins announce to the whole school; teachers announce to their own classes",
    );
  const mine = new Set(
    deps.db.$client
      .prepare<[number, number], { classId: number }>(
        "select class_id as classId from class_teachers where staff_id = ? and school_id = ?",
      )
      .all(author.staffId, author.schoolId)
      .map((row) => row.classId),
  );
  const others = classIds.filter((id) => !mine.has(id));
  if (others.length === 0) return null;
  const names = schoolClasses(deps, author.schoolId)
    .filter((row) => others.includes(row.id))
    .map((row) => row.name)
    .sort();
  return refuse(
    403,
    "not_your_class",
    `Teachers announce only to their own classes; not to ${names.join(", ")}`,
    { classes: names },
  );
}

/** A guardian the audience reaches, with what deciding their message needs. */
export interface AudienceGuardian {
  guardianId: number;
  /** The language their messages are written in. */
  language: string;
  /** First names of their children in the audience, alphabetical. */
  children: readonly string[];
  preferences: GuardianPreferences;
  /** Verified, unexpired chat addresses. */
  addresses: readonly GuardianAddress[];
}

/**
 * guardian id, student id, child's first name, channel, address, verified at, opted out (0/1),
 * the phone on the school's record, whether that phone opted out of SMS (0/1), and the guardian's
 * language
 */
type AudienceRow = [
  number,
  number | null,
  string | null,
  string | null,
  string | null,
  number | null,
  number | null,
  string | null,
  number,
  string,
];

/** The phone on file and whether it sent STOP by SMS: the school's own contact for the family. */
const PHONE_ON_FILE = `g.phone,
         exists(select 1 from channel_identities o
                 where o.channel = 'sms' and o.address = g.phone and o.opted_out_at is not null),
         g.language`;

/** The guardian's verified, unexpired addresses, joined to each row (none: one row of NULLs). */
const ADDRESSES = `left join channel_identities ci
    on ci.guardian_id = gs.guardian_id and ci.verified_at is not null
   and (ci.expires_at is null or ci.expires_at > @now)`;

/**
 * One flat join in guardian order, rows as arrays, folded here as they come: at 50,000
 * guardians this costs a fraction of grouping in SQL (temporary B-trees per group) or in maps.
 */
const studentsAudience = (studentCondition: string) => `
  select gs.guardian_id, s.id, s.first_name, ci.channel, ci.address, ci.verified_at,
         ci.opted_out_at is not null, ${PHONE_ON_FILE}
    from students s
    join guardian_students gs on gs.student_id = s.id
    join guardians g on g.id = gs.guardian_id
    ${ADDRESSES}
   where s.school_id = @school and ${studentCondition}
   order by gs.guardian_id`;

const BY_CLASSES = studentsAudience("s.class_id in (select value from json_each(@ids))");
const BY_STUDENTS = studentsAudience("s.id in (select value from json_each(@ids))");
/** Listed guardians of the school, without children (what the digest needs). */
const BY_GUARDIANS = `
  select gs.guardian_id, null, null, ci.channel, ci.address, ci.verified_at,
         ci.opted_out_at is not null, ${PHONE_ON_FILE}
    from (select id as guardian_id from guardians
           where school_id = @school and id in (select value from json_each(@ids))) as gs
    join guardians g on g.id = gs.guardian_id
    ${ADDRESSES}
   order by gs.guardian_id`;

/** Guardians whose stored preferences are not the empty default: few, read apart. */
const CHOSEN_PREFERENCES = `select id, preferences from guardians
  where school_id = ? and preferences <> '{}'`;

export type GuardianSelection =
  | AudienceTarget
  | { by: "guardians"; guardianIds: readonly number[] };

/**
 * Visits every guardian of every student in the selection once, in guardian id order (siblings
 * fold into one guardian, their names alphabetical). The visited object and its arrays are
 * reused for the next guardian: read them inside `visit`, keep nothing.
 */
export function forEachAudienceGuardian(
  deps: Pick<ServiceDeps, "db"> & { phoneChannels?: ServiceDeps["phoneChannels"] },
  schoolId: number,
  selection: GuardianSelection,
  now: number,
  visit: (guardian: AudienceGuardian) => void,
): void {
  const [query, ids] =
    selection.by === "classes"
      ? [BY_CLASSES, selection.classIds]
      : selection.by === "students"
        ? [BY_STUDENTS, selection.studentIds]
        : [BY_GUARDIANS, selection.guardianIds];
  const chosen = new Map(
    deps.db.$client
      .prepare<[number], [number, string]>(CHOSEN_PREFERENCES)
      .raw(true)
      .all(schoolId)
      .map(([guardianId, text]) => [guardianId, preferencesFromJson(JSON.parse(text))]),
  );
  const rows = deps.db.$client
    .prepare<{ school: number; ids: string; now: number }, AudienceRow>(query)
    .raw(true)
    .all({ school: schoolId, ids: JSON.stringify(ids), now });

  const children: string[] = [];
  const studentIds: number[] = [];
  const addresses: GuardianAddress[] = [];
  const current = {
    guardianId: -1,
    language: "en",
    children,
    preferences: DEFAULT_PREFERENCES,
    addresses,
  };
  // With SMS on, the phone on the school's record is a way to reach the family even if they never
  // wrote in: it goes after their verified chats (never when it opted out of SMS).
  const smsOn = deps.phoneChannels?.().includes("sms") ?? false;
  let phoneOnFile: { address: string; optedOut: boolean } | null = null;
  const flush = () => {
    if (current.guardianId === -1) return;
    if (
      phoneOnFile &&
      !addresses.some((seen) => seen.channel === "sms" && seen.address === phoneOnFile?.address)
    )
      addresses.push({
        channel: "sms",
        address: phoneOnFile.address,
        verifiedAt: 0,
        optedOut: phoneOnFile.optedOut,
      });
    if (children.length > 1) children.sort((a, b) => a.localeCompare(b));
    visit(current);
  };
  // A guardian with two children and two addresses has four rows: each child (by student id) and
  // each address is kept once.
  for (const [
    guardianId,
    studentId,
    child,
    channel,
    address,
    verifiedAt,
    optedOut,
    phone,
    phoneOptedOut,
    language,
  ] of rows) {
    if (guardianId !== current.guardianId) {
      flush();
      phoneOnFile = smsOn && phone ? { address: phone, optedOut: phoneOptedOut === 1 } : null;
      current.guardianId = guardianId;
      current.language = language;
      current.preferences = chosen.get(guardianId) ?? DEFAULT_PREFERENCES;
      children.length = 0;
      studentIds.length = 0;
      addresses.length = 0;
    }
    if (studentId !== null && child !== null && !studentIds.includes(studentId)) {
      studentIds.push(studentId);
      children.push(child);
    }
    if (
      channel !== null &&
      address !== null &&
      !addresses.some((seen) => seen.channel === channel && seen.address === address)
    )
      addresses.push({ channel, address, verifiedAt: verifiedAt ?? 0, optedOut: optedOut === 1 });
  }
  flush();
}
