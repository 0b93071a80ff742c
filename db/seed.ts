// Demo data for local runs, tests and docs: two fictional schools with classes, staff, students and
// guardians. Deterministic: no randomness and no clock; `now` fills every created_at, and names are
// picked by index from the fixed lists below, so two seeds with the same `now` give identical rows.
//
// Facts that tests and docs rely on (Greenfield Primary School, slug "greenfield"):
//   - The FIRST guardian (lowest id) has phone +14155550101 and exactly two children, in 3A and 4B.
//   - The SECOND guardian has phone +14155550102 and exactly one child, in 5A.
//   - The class teacher of 5A is Ms Priya Rao (title "Ms", firstName "Priya", lastName "Rao").
// Riverside Academy (slug "riverside") mirrors this: +12125550101 has two children (3A and 4B),
// +12125550102 has one child in 5A, whose class teacher is Mr James Okafor.
//
// Phone plan (fictional 555-01xx numbers, unique across the whole data set): Greenfield uses
// +1 415 555 01xx and Riverside +1 212 555 01xx; xx = 00 is the office line, guardians take 01
// upward in insertion order, staff take 80 upward.
import type { OfficeFunction } from "../src/domain/routing";
import type { Database } from "./client";
import {
  classes,
  classTeachers,
  guardianStudents,
  guardians,
  type StaffRole,
  schools,
  staff,
  students,
} from "./schema";

type Tx = Parameters<Parameters<Database["transaction"]>[0]>[0];

type ClassName = "3A" | "3B" | "4A" | "4B" | "5A" | "5B";
type Relationship = "mother" | "father" | "grandmother" | "guardian";

const GRADES = [3, 4, 5] as const;
const SECTIONS = ["A", "B"] as const;

/** First phone suffix handed to staff; guardians count up from 01 and must stay below it. */
const STAFF_PHONE_START = 80;

interface FamilySpec {
  /** One student per entry, in the class named. */
  children: ClassName[];
  /** One guardian per entry, each linked to every child of the family. */
  guardians: Relationship[];
  language?: "es";
}

/**
 * The same family layout is used for both schools (names differ): 28 families, 42 students
 * (7 per class), 33 guardians; 12 families have two or more children and 6 children have two guardians.
 */
const FAMILIES: readonly FamilySpec[] = [
  { children: ["3A", "4B"], guardians: ["mother"] }, // guardian #1: two children, different classes
  { children: ["5A"], guardians: ["father"] }, // guardian #2: one child, in 5A
  { children: ["3B", "5B"], guardians: ["mother"] },
  { children: ["4A", "5A"], guardians: ["father"] },
  { children: ["3A", "4A"], guardians: ["mother", "father"] },
  { children: ["4B", "5B"], guardians: ["grandmother"] },
  { children: ["3B", "5A"], guardians: ["mother"], language: "es" },
  { children: ["3A", "5B"], guardians: ["father"] },
  { children: ["4A", "4B", "5B"], guardians: ["mother"] },
  { children: ["3B", "4A"], guardians: ["guardian"] },
  { children: ["4B", "5A"], guardians: ["mother"] },
  { children: ["3A", "3B"], guardians: ["father"], language: "es" },
  { children: ["5A", "5B", "3A"], guardians: ["mother"] },
  // Single-child families.
  { children: ["3A"], guardians: ["mother", "father"] },
  { children: ["3A"], guardians: ["mother"] },
  { children: ["3B"], guardians: ["father"] },
  { children: ["3B"], guardians: ["mother", "father"] },
  { children: ["3B"], guardians: ["grandmother"] },
  { children: ["4A"], guardians: ["mother"] },
  { children: ["4A"], guardians: ["mother", "father"] },
  { children: ["4A"], guardians: ["father"], language: "es" },
  { children: ["4B"], guardians: ["guardian"] },
  { children: ["4B"], guardians: ["mother"] },
  { children: ["4B"], guardians: ["mother", "father"] },
  { children: ["5A"], guardians: ["father"] },
  { children: ["5A"], guardians: ["mother"], language: "es" },
  { children: ["5B"], guardians: ["mother"] },
  { children: ["5B"], guardians: ["father"] },
];

interface StaffSpec {
  title: "Ms" | "Mr";
  firstName: string;
  lastName: string;
  role: StaffRole;
  officeFunction?: OfficeFunction;
  classTeacherOf?: ClassName;
  teaches?: { subject: string; classes: ClassName[] };
}

interface SchoolSpec {
  slug: string;
  name: string;
  timezone: string;
  /** "+1415555" or "+1212555"; a full number is this, "01" and two digits. */
  phonePrefix: string;
  admissionPrefix: string;
  /** Shifts every name pick so the two schools do not share the same names in the same places. */
  nameOffset: number;
  staff: StaffSpec[];
}

const SCHOOLS: readonly SchoolSpec[] = [
  {
    slug: "greenfield",
    name: "Greenfield Primary School",
    timezone: "America/Los_Angeles",
    phonePrefix: "+1415555",
    admissionPrefix: "GF",
    nameOffset: 0,
    staff: [
      {
        title: "Ms",
        firstName: "Hannah",
        lastName: "Brooks",
        role: "teacher",
        classTeacherOf: "3A",
      },
      {
        title: "Mr",
        firstName: "Daniel",
        lastName: "Whitmore",
        role: "teacher",
        classTeacherOf: "3B",
      },
      { title: "Ms", firstName: "Laura", lastName: "Chen", role: "teacher", classTeacherOf: "4A" },
      {
        title: "Mr",
        firstName: "Samuel",
        lastName: "Adeyemi",
        role: "teacher",
        classTeacherOf: "4B",
      },
      { title: "Ms", firstName: "Priya", lastName: "Rao", role: "teacher", classTeacherOf: "5A" },
      { title: "Mr", firstName: "Thomas", lastName: "Feld", role: "teacher", classTeacherOf: "5B" },
      {
        title: "Mr",
        firstName: "Kevin",
        lastName: "Lindqvist",
        role: "teacher",
        teaches: { subject: "Science", classes: ["5A", "5B"] },
      },
      {
        title: "Ms",
        firstName: "Grace",
        lastName: "Holloway",
        role: "office",
        officeFunction: "accounts",
      },
      {
        title: "Mr",
        firstName: "Luis",
        lastName: "Ortega",
        role: "office",
        officeFunction: "transport",
      },
      {
        title: "Ms",
        firstName: "Dana",
        lastName: "Whitfield",
        role: "office",
        officeFunction: "front",
      },
      { title: "Ms", firstName: "Margaret", lastName: "Ellison", role: "admin" },
    ],
  },
  {
    slug: "riverside",
    name: "Riverside Academy",
    timezone: "America/New_York",
    phonePrefix: "+1212555",
    admissionPrefix: "RA",
    nameOffset: 13,
    staff: [
      {
        title: "Ms",
        firstName: "Rebecca",
        lastName: "Stone",
        role: "teacher",
        classTeacherOf: "3A",
      },
      {
        title: "Mr",
        firstName: "Aaron",
        lastName: "Mitchell",
        role: "teacher",
        classTeacherOf: "3B",
      },
      {
        title: "Ms",
        firstName: "Naomi",
        lastName: "Fischer",
        role: "teacher",
        classTeacherOf: "4A",
      },
      {
        title: "Mr",
        firstName: "Victor",
        lastName: "Alvarez",
        role: "teacher",
        classTeacherOf: "4B",
      },
      {
        title: "Mr",
        firstName: "James",
        lastName: "Okafor",
        role: "teacher",
        classTeacherOf: "5A",
      },
      {
        title: "Ms",
        firstName: "Helen",
        lastName: "Donovan",
        role: "teacher",
        classTeacherOf: "5B",
      },
      {
        title: "Ms",
        firstName: "Sofia",
        lastName: "Brandt",
        role: "teacher",
        teaches: { subject: "Mathematics", classes: ["4A", "4B"] },
      },
      {
        title: "Mr",
        firstName: "Paul",
        lastName: "Hendricks",
        role: "office",
        officeFunction: "accounts",
      },
      {
        title: "Ms",
        firstName: "Tanya",
        lastName: "Mehta",
        role: "office",
        officeFunction: "transport",
      },
      {
        title: "Mr",
        firstName: "Oliver",
        lastName: "Grant",
        role: "office",
        officeFunction: "front",
      },
      { title: "Mr", firstName: "Richard", lastName: "Coleman", role: "admin" },
    ],
  },
];

const LAST_NAMES = [
  "Abbott",
  "Barnes",
  "Caldwell",
  "Dawson",
  "Ellis",
  "Fletcher",
  "Garrison",
  "Hayes",
  "Ingram",
  "Jensen",
  "Keller",
  "Lawson",
  "Mercer",
  "Nolan",
  "Osborne",
  "Palmer",
  "Quinn",
  "Russell",
  "Sutton",
  "Tran",
  "Underwood",
  "Vance",
  "Walsh",
  "Yates",
  "Zimmerman",
  "Kapoor",
  "Nakamura",
  "Oyelaran",
  "Petrov",
  "Lindgren",
] as const;

const SPANISH_LAST_NAMES = [
  "Morales",
  "Castillo",
  "Herrera",
  "Vargas",
  "Navarro",
  "Delgado",
  "Fuentes",
  "Ibarra",
] as const;

const CHILD_FIRST_NAMES = [
  "Ava",
  "Benjamin",
  "Chloe",
  "Daniel",
  "Ella",
  "Felix",
  "Grace",
  "Henry",
  "Isla",
  "Jack",
  "Kiara",
  "Leo",
  "Maya",
  "Noah",
  "Olivia",
  "Owen",
  "Penelope",
  "Quentin",
  "Ruby",
  "Samuel",
  "Sofia",
  "Theo",
  "Uma",
  "Victor",
  "Willow",
  "Xavier",
  "Yara",
  "Zachary",
  "Amelia",
  "Caleb",
  "Darius",
  "Elena",
  "Finn",
  "Hazel",
  "Ibrahim",
  "Jasmine",
  "Kai",
  "Lila",
  "Mateo",
  "Nora",
  "Oscar",
  "Rosa",
  "Silas",
  "Tessa",
  "Wesley",
  "Zoe",
  "Adrian",
  "Bianca",
] as const;

const GUARDIAN_FIRST_NAMES: Record<"en" | "es", Record<Relationship, readonly string[]>> = {
  en: {
    mother: [
      "Emily",
      "Sarah",
      "Rachel",
      "Nadia",
      "Claire",
      "Fiona",
      "Jessica",
      "Monica",
      "Aisha",
      "Leah",
      "Tamara",
      "Irene",
      "Vanessa",
      "Yvonne",
      "Megan",
      "Paula",
    ],
    father: [
      "Michael",
      "David",
      "Andrew",
      "Marcus",
      "Jonah",
      "Peter",
      "Raymond",
      "Gareth",
      "Omar",
      "Lucas",
      "Simon",
      "Trevor",
      "Neil",
      "Brandon",
      "Colin",
      "Dennis",
    ],
    grandmother: ["Dorothy", "Evelyn", "Beatrice", "Harriet", "Mildred", "Gloria"],
    guardian: ["Jordan", "Alex", "Morgan", "Casey", "Robin", "Taylor"],
  },
  es: {
    mother: ["Lucia", "Carmen", "Isabel", "Mariana", "Valeria", "Gabriela"],
    father: ["Javier", "Carlos", "Miguel", "Andres", "Diego", "Ricardo"],
    grandmother: ["Rosario", "Pilar", "Consuelo", "Amparo"],
    guardian: ["Alejandra", "Ramon", "Teresa", "Ignacio"],
  },
};

/** The entry at `index`, wrapping around the list. */
function pick<T>(list: readonly T[], index: number): T {
  const value = list[index % list.length];
  if (value === undefined) throw new Error("seed: empty name list");
  return value;
}

/** E.164 number "+1 AAA 555 01xx" for the school's area code. */
function phoneNumber(school: SchoolSpec, suffix: number): string {
  if (!Number.isInteger(suffix) || suffix < 0 || suffix > 99) {
    throw new Error(`seed: phone suffix ${suffix} is outside 555-0100..555-0199`);
  }
  return `${school.phonePrefix}01${String(suffix).padStart(2, "0")}`;
}

/** Seeds the demo schools when the database has no school yet; does nothing otherwise. */
export async function seedDemoData(db: Database, now: number): Promise<{ seeded: boolean }> {
  const seeded = db.transaction((tx) => {
    const existing = tx.select({ id: schools.id }).from(schools).limit(1).get();
    if (existing) return false;
    for (const school of SCHOOLS) seedSchool(tx, school, now);
    return true;
  });
  return { seeded };
}

function seedSchool(tx: Tx, spec: SchoolSpec, now: number): void {
  const { id: schoolId } = tx
    .insert(schools)
    .values({
      slug: spec.slug,
      name: spec.name,
      timezone: spec.timezone,
      officePhone: phoneNumber(spec, 0),
      createdAt: now,
    })
    .returning({ id: schools.id })
    .get();

  const classIds = new Map<string, number>();
  for (const grade of GRADES) {
    for (const section of SECTIONS) {
      const name = `${grade}${section}`;
      const row = tx
        .insert(classes)
        .values({ schoolId, grade, section, name })
        .returning({ id: classes.id })
        .get();
      classIds.set(name, row.id);
    }
  }
  const classId = (name: ClassName): number => {
    const id = classIds.get(name);
    if (id === undefined) throw new Error(`seed: unknown class ${name}`);
    return id;
  };

  let staffPhone = STAFF_PHONE_START;
  for (const member of spec.staff) {
    const { id: staffId } = tx
      .insert(staff)
      .values({
        schoolId,
        title: member.title,
        firstName: member.firstName,
        lastName: member.lastName,
        phone: phoneNumber(spec, staffPhone++),
        role: member.role,
        officeFunction: member.officeFunction ?? null,
        createdAt: now,
      })
      .returning({ id: staff.id })
      .get();
    if (member.classTeacherOf) {
      tx.insert(classTeachers)
        .values({
          classId: classId(member.classTeacherOf),
          staffId,
          schoolId,
          isClassTeacher: true,
        })
        .run();
    }
    for (const name of member.teaches?.classes ?? []) {
      tx.insert(classTeachers)
        .values({
          classId: classId(name),
          staffId,
          schoolId,
          isClassTeacher: false,
          subject: member.teaches?.subject ?? null,
        })
        .run();
    }
  }

  const offset = spec.nameOffset;
  let guardianPhone = 1;
  let studentCount = 0;
  let plainFamilies = 0;
  let spanishFamilies = 0;
  const relationshipCounts: Record<Relationship, number> = {
    mother: 0,
    father: 0,
    grandmother: 0,
    guardian: 0,
  };

  for (const family of FAMILIES) {
    const language = family.language ?? "en";
    const lastName =
      language === "es"
        ? pick(SPANISH_LAST_NAMES, offset + spanishFamilies++)
        : pick(LAST_NAMES, offset + plainFamilies++);

    const studentIds = family.children.map((className) => {
      const n = studentCount++;
      const row = tx
        .insert(students)
        .values({
          schoolId,
          classId: classId(className),
          admissionNo: `${spec.admissionPrefix}-2024-${String(n + 1).padStart(3, "0")}`,
          firstName: pick(CHILD_FIRST_NAMES, offset + n),
          lastName,
          createdAt: now,
        })
        .returning({ id: students.id })
        .get();
      return row.id;
    });

    for (const relationship of family.guardians) {
      if (guardianPhone >= STAFF_PHONE_START)
        throw new Error("seed: guardian phones ran into staff");
      const firstName = pick(
        GUARDIAN_FIRST_NAMES[language][relationship],
        offset + relationshipCounts[relationship]++,
      );
      const { id: guardianId } = tx
        .insert(guardians)
        .values({
          schoolId,
          firstName,
          lastName,
          phone: phoneNumber(spec, guardianPhone++),
          language,
          createdAt: now,
        })
        .returning({ id: guardians.id })
        .get();
      for (const studentId of studentIds) {
        tx.insert(guardianStudents).values({ guardianId, studentId, schoolId, relationship }).run();
      }
    }
  }
}
