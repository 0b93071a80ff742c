// The admin's changes to the school directory: classes, students, guardians and staff, each
// created or updated together with its audit entry, always inside the admin's own school.
import { and, eq, ne, type SQL, sql } from "drizzle-orm";
import { schema } from "../../db";
import type { StaffRole } from "../../db/schema";
import { normalizePhone, type OfficeFunction } from "../domain";
import { UnitOfWork } from "../outbox/unit-of-work";
import { planAudit } from "./audit";
import type { ServiceDeps } from "./deps";

const { classes, students, guardians, guardianStudents, staff } = schema;

export interface DirectoryActor {
  staffId: number;
  schoolId: number;
}

/** A refused write, as the route tells it: 404 (not_found), 409 (duplicate), 422 (invalid). */
export type DirectoryRefusal =
  | { ok: false; reason: "not_found" }
  | { ok: false; reason: "duplicate" | "invalid"; field: string; message: string };
export type DirectoryWriteResult = { ok: true; id: number } | DirectoryRefusal;

const invalid = (field: string, message: string): DirectoryRefusal => ({
  ok: false,
  reason: "invalid",
  field,
  message,
});
const duplicate = (field: string, message: string): DirectoryRefusal => ({
  ok: false,
  reason: "duplicate",
  field,
  message,
});
const notFound: DirectoryRefusal = { ok: false, reason: "not_found" };

type Entity = "class" | "student" | "guardian" | "staff";

/**
 * Runs the planned change with its audit row. For a new row the audit takes its id from
 * last_insert_rowid(), which the same commit just set; a unique index beaten by a racing write is
 * the same duplicate the check before would have found.
 */
async function commitChange(
  deps: ServiceDeps,
  actor: DirectoryActor,
  change: {
    entity: Entity;
    id: number | null;
    plan: (uow: UnitOfWork, onId: (id: number) => void) => void;
    before: unknown;
    after: unknown;
    onDuplicate: DirectoryRefusal;
    /** The new row's id in SQL, when the plan inserts more rows after it. */
    newId?: SQL;
  },
): Promise<DirectoryWriteResult> {
  const uow = new UnitOfWork();
  let id = change.id ?? 0;
  change.plan(uow, (newId) => {
    id = newId;
  });
  planAudit(deps, uow, {
    schoolId: actor.schoolId,
    actorType: "staff",
    actorId: actor.staffId,
    action: `${change.entity}.${change.id === null ? "create" : "update"}`,
    entity: change.entity,
    entityId:
      change.id === null
        ? sql`cast(${change.newId ?? sql`last_insert_rowid()`} as text)`
        : String(change.id),
    before: change.before,
    after: change.after,
  });
  try {
    await uow.commit(deps.db);
  } catch (error) {
    if (String((error as { code?: unknown }).code).startsWith("SQLITE_CONSTRAINT_UNIQUE"))
      return change.onDuplicate;
    throw error;
  }
  return { ok: true, id };
}

/** The row of `table` with this id in the actor's school, or null. */
async function ownRow<T extends typeof classes | typeof students | typeof guardians | typeof staff>(
  deps: ServiceDeps,
  table: T,
  id: number,
  schoolId: number,
): Promise<T["$inferSelect"] | null> {
  const [row] = await deps.db
    .select()
    .from(table as typeof classes)
    .where(and(eq(table.id, id), eq(table.schoolId, schoolId)));
  return (row as T["$inferSelect"] | undefined) ?? null;
}

/** Whether another row of the school (not `exceptId`) holds `value` in `column`. */
async function isTaken(
  deps: ServiceDeps,
  table: typeof classes | typeof students | typeof guardians | typeof staff,
  where: SQL,
  schoolId: number,
  exceptId: number | null,
) {
  const rows = await deps.db
    .select({ id: table.id })
    .from(table as typeof classes)
    .where(and(eq(table.schoolId, schoolId), where, exceptId ? ne(table.id, exceptId) : undefined));
  return rows.length > 0;
}

// --- Classes -----------------------------------------------------------------------------------

export interface ClassInput {
  grade: number;
  section: string;
  /** Display name; "<grade><section>" when not given. */
  name?: string;
}

export async function saveClass(
  deps: ServiceDeps,
  actor: DirectoryActor,
  id: number | null,
  input: Partial<ClassInput>,
): Promise<DirectoryWriteResult> {
  const before = id === null ? null : await ownRow(deps, classes, id, actor.schoolId);
  if (id !== null && !before) return notFound;
  const grade = input.grade ?? before?.grade;
  const section = input.section ?? before?.section;
  if (grade === undefined || section === undefined) return invalid("grade", "is required");
  const renamed = input.grade !== undefined || input.section !== undefined;
  const name = input.name ?? (renamed || !before ? `${grade}${section}` : before.name);
  const clash = duplicate("name", `the school already has a class named ${name}`);
  if (await isTaken(deps, classes, eq(classes.name, name), actor.schoolId, id)) return clash;
  const values = { grade, section, name };
  return commitChange(deps, actor, {
    entity: "class",
    id,
    before: before && { grade: before.grade, section: before.section, name: before.name },
    after: values,
    onDuplicate: clash,
    plan: (uow, onId) =>
      before
        ? uow.plan(deps.db.update(classes).set(values).where(eq(classes.id, before.id)))
        : uow.planInsert(
            deps.db.insert(classes).values({ schoolId: actor.schoolId, ...values }),
            onId,
          ),
  });
}

// --- Students ----------------------------------------------------------------------------------

export interface StudentInput {
  admissionNo: string;
  firstName: string;
  lastName: string;
  classId: number;
}

export async function saveStudent(
  deps: ServiceDeps,
  actor: DirectoryActor,
  id: number | null,
  input: Partial<StudentInput>,
): Promise<DirectoryWriteResult> {
  const before = id === null ? null : await ownRow(deps, students, id, actor.schoolId);
  if (id !== null && !before) return notFound;
  if (input.classId !== undefined && !(await ownRow(deps, classes, input.classId, actor.schoolId)))
    return invalid("classId", "is not a class of this school");
  const admissionNo = input.admissionNo ?? before?.admissionNo ?? "";
  const clash = duplicate("admissionNo", `admission number ${admissionNo} is already taken`);
  if (await isTaken(deps, students, eq(students.admissionNo, admissionNo), actor.schoolId, id))
    return clash;
  const fields = pick(input, ["admissionNo", "firstName", "lastName", "classId"]);
  return commitChange(deps, actor, {
    entity: "student",
    id,
    before: before && pick(before, Object.keys(fields) as (keyof StudentInput)[]),
    after: fields,
    onDuplicate: clash,
    plan: (uow, onId) =>
      before
        ? uow.plan(deps.db.update(students).set(fields).where(eq(students.id, before.id)))
        : uow.planInsert(
            deps.db
              .insert(students)
              .values({ schoolId: actor.schoolId, ...(input as StudentInput) }),
            onId,
          ),
  });
}

// --- Guardians ---------------------------------------------------------------------------------

export interface GuardianInput {
  firstName: string;
  lastName: string;
  phone: string;
  language?: string;
  /** Their children in this school; when given, replaces the links there were. */
  students?: { id: number; relationship?: string }[];
}

export async function saveGuardian(
  deps: ServiceDeps,
  actor: DirectoryActor,
  id: number | null,
  input: Partial<GuardianInput>,
): Promise<DirectoryWriteResult> {
  const before = id === null ? null : await ownRow(deps, guardians, id, actor.schoolId);
  if (id !== null && !before) return notFound;
  const phone = phoneToSave(deps, input.phone, before?.phone);
  if (!phone) return invalid("phone", "is not a phone number");
  const clash = duplicate("phone", "another guardian of this school has this phone");
  if (await isTaken(deps, guardians, eq(guardians.phone, phone), actor.schoolId, id)) return clash;
  for (const [index, child] of (input.students ?? []).entries()) {
    if (!(await ownRow(deps, students, child.id, actor.schoolId)))
      return invalid(`students.${index}.id`, "is not a student of this school");
  }
  const fields = {
    ...pick(input, ["firstName", "lastName", "language"]),
    ...(input.phone === undefined ? {} : { phone }),
  };
  // The guardian's id inside the commit: known for an update, found by the unique phone for a new one.
  const guardianId: SQL = before
    ? sql`${before.id}`
    : sql`(select ${guardians.id} from ${guardians} where ${guardians.schoolId} = ${actor.schoolId} and ${guardians.phone} = ${phone})`;
  return commitChange(deps, actor, {
    entity: "guardian",
    id,
    before: before && pick(before, Object.keys(fields) as (keyof typeof fields)[]),
    after: { ...fields, ...(input.students ? { students: input.students } : {}) },
    onDuplicate: clash,
    newId: guardianId,
    plan: (uow, onId) => {
      if (before) {
        if (Object.keys(fields).length)
          uow.plan(deps.db.update(guardians).set(fields).where(eq(guardians.id, before.id)));
      } else {
        const values = { schoolId: actor.schoolId, ...(input as GuardianInput), phone };
        uow.planInsert(deps.db.insert(guardians).values(values), onId);
      }
      if (input.students) {
        uow.plan(
          deps.db
            .delete(guardianStudents)
            .where(sql`${guardianStudents.guardianId} = ${guardianId}`),
        );
        for (const child of input.students) {
          uow.plan(
            deps.db.insert(guardianStudents).values({
              guardianId: guardianId as unknown as number,
              studentId: child.id,
              schoolId: actor.schoolId,
              relationship: child.relationship ?? "guardian",
            }),
          );
        }
      }
    },
  });
}

// --- Staff -------------------------------------------------------------------------------------

export interface StaffInput {
  title?: string;
  firstName: string;
  lastName: string;
  phone: string;
  role: StaffRole;
  /** Office staff only: which desk (accounts, transport, front). */
  officeFunction?: OfficeFunction | null;
  active?: boolean;
}

export async function saveStaff(
  deps: ServiceDeps,
  actor: DirectoryActor,
  id: number | null,
  input: Partial<StaffInput>,
): Promise<DirectoryWriteResult> {
  const before = id === null ? null : await ownRow(deps, staff, id, actor.schoolId);
  if (id !== null && !before) return notFound;
  const phone = phoneToSave(deps, input.phone, before?.phone);
  if (!phone) return invalid("phone", "is not a phone number");
  const role = input.role ?? before?.role;
  const officeFunction =
    input.officeFunction !== undefined ? input.officeFunction : (before?.officeFunction ?? null);
  if (role === "office" && !officeFunction)
    return invalid("officeFunction", "is required for office staff");
  if (role !== "office" && officeFunction)
    return invalid("officeFunction", "is only for office staff");
  // An admin cannot lock themselves out: they stay an active admin.
  if (id === actor.staffId && (role !== "admin" || input.active === false))
    return invalid("role", "you cannot remove your own admin access");
  const clash = duplicate("phone", "another staff member of this school has this phone");
  if (await isTaken(deps, staff, eq(staff.phone, phone), actor.schoolId, id)) return clash;
  const fields = {
    ...pick(input, ["title", "firstName", "lastName", "role", "active"]),
    ...(input.phone === undefined ? {} : { phone }),
    ...(input.role !== undefined || input.officeFunction !== undefined ? { officeFunction } : {}),
  };
  const saved = await commitChange(deps, actor, {
    entity: "staff",
    id,
    before: before && pick(before, Object.keys(fields) as (keyof typeof fields)[]),
    after: fields,
    onDuplicate: clash,
    plan: (uow, onId) =>
      before
        ? uow.plan(deps.db.update(staff).set(fields).where(eq(staff.id, before.id)))
        : uow.planInsert(
            deps.db.insert(staff).values({
              schoolId: actor.schoolId,
              ...(input as StaffInput),
              phone,
              officeFunction,
            }),
            onId,
          ),
  });
  if (saved.ok && before) deps.staffAccessChanged?.(before.id);
  return saved;
}

/** The phone a save writes: the one given, normalized (null if it is not a phone), or the stored one. */
function phoneToSave(
  deps: ServiceDeps,
  given: string | undefined,
  stored: string | undefined,
): string | null | undefined {
  return given === undefined ? stored : normalizePhone(given, deps.config.defaultCountry);
}

function pick<T extends object, K extends keyof T>(
  from: T,
  keys: readonly K[],
): Partial<Pick<T, K>> {
  return Object.fromEntries(
    keys.filter((key) => from[key] !== undefined).map((key) => [key, from[key]]),
  ) as Partial<Pick<T, K>>;
}
