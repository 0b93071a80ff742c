// Roster rows (pure): the columns a school's CSV export may use, and each row checked and
// normalized, or refused with a reason per column. One row = one student and one guardian; a
// student with two guardians appears on two rows.
import { type CsvRow, parseCsv } from "./csv";
import { normalizePhone } from "./phone";

export type RosterColumn =
  | "admissionNo"
  | "firstName"
  | "lastName"
  | "className"
  | "grade"
  | "section"
  | "guardianName"
  | "guardianFirstName"
  | "guardianLastName"
  | "guardianPhone"
  | "relationship";

/** Header names as exports spell them, compared without case, spaces, dots, dashes or underscores. */
export const ROSTER_HEADERS: Record<RosterColumn, string[]> = {
  admissionNo: [
    "admission_no",
    "admission number",
    "admission",
    "adm no",
    "student id",
    "student number",
    "pupil id",
    "upn",
  ],
  firstName: ["first_name", "student first name", "given name", "forename", "first name"],
  lastName: ["last_name", "student last name", "surname", "family name", "last name"],
  className: ["class", "class name", "form", "homeroom", "section name", "grade section"],
  grade: ["grade", "year", "year group", "standard"],
  section: ["section", "division", "stream"],
  guardianName: [
    "guardian_name",
    "guardian",
    "parent",
    "parent name",
    "contact name",
    "guardian name",
  ],
  guardianFirstName: ["guardian_first_name", "parent first name", "guardian first name"],
  guardianLastName: [
    "guardian_last_name",
    "parent last name",
    "guardian last name",
    "parent surname",
  ],
  guardianPhone: [
    "guardian_phone",
    "parent phone",
    "guardian mobile",
    "parent mobile",
    "mobile",
    "phone",
    "contact number",
    "guardian phone",
  ],
  relationship: ["relationship", "relation", "guardian relationship"],
};

const squash = (header: string) => header.toLowerCase().replace(/[\s._-]+/g, "");

export interface RosterEntry {
  row: number;
  admissionNo: string;
  firstName: string;
  lastName: string;
  className: string;
  grade: number;
  section: string;
  guardianFirstName: string;
  guardianLastName: string;
  guardianPhone: string;
  relationship: string;
}

export interface RosterRejection {
  row: number;
  errors: { column: string; message: string }[];
}

export type RosterParse =
  | { ok: false; error: string; missing?: string[]; line?: number }
  | { ok: true; entries: RosterEntry[]; rejected: RosterRejection[] };

export const MAX_ROSTER_ROWS = 5000;

export function parseRoster(csv: string, defaultCountry: string): RosterParse {
  const read = parseCsv(csv);
  if (!read.ok) return { ok: false, error: read.error, line: read.line };
  const [header, ...rows] = read.rows;
  if (!header) return { ok: false, error: "the file is empty" };
  const columns = new Map<RosterColumn, number>();
  header.fields.forEach((name, index) => {
    const key = squash(name);
    for (const [column, aliases] of Object.entries(ROSTER_HEADERS) as [RosterColumn, string[]][]) {
      if (!columns.has(column) && aliases.some((alias) => squash(alias) === key)) {
        columns.set(column, index);
        return;
      }
    }
  });
  const missing = [
    !columns.has("admissionNo") && "admission_no",
    !columns.has("firstName") && "first_name",
    !columns.has("lastName") && "last_name",
    !columns.has("className") && !(columns.has("grade") && columns.has("section")) && "class",
    !columns.has("guardianPhone") && "guardian_phone",
    !columns.has("guardianName") && !columns.has("guardianFirstName") && "guardian_name",
  ].filter((name): name is string => Boolean(name));
  if (missing.length) return { ok: false, error: "required columns are missing", missing };
  if (rows.length > MAX_ROSTER_ROWS)
    return { ok: false, error: `at most ${MAX_ROSTER_ROWS} rows per file` };

  const entries: RosterEntry[] = [];
  const rejected: RosterRejection[] = [];
  const firstRowOf = new Map<string, RosterEntry>();
  for (const row of rows) {
    const result = readRow(row, columns, defaultCountry);
    if ("errors" in result) {
      rejected.push(result);
      continue;
    }
    // The same student on two rows (two guardians) must agree on who and where they are.
    const earlier = firstRowOf.get(result.admissionNo.toLowerCase());
    if (
      earlier &&
      (earlier.firstName !== result.firstName ||
        earlier.lastName !== result.lastName ||
        earlier.className !== result.className)
    ) {
      rejected.push({
        row: result.row,
        errors: [
          {
            column: "admission_no",
            message: `row ${earlier.row} gives this student another name or class`,
          },
        ],
      });
      continue;
    }
    if (!earlier) firstRowOf.set(result.admissionNo.toLowerCase(), result);
    entries.push(result);
  }
  return { ok: true, entries, rejected };
}

function readRow(
  row: CsvRow,
  columns: Map<RosterColumn, number>,
  defaultCountry: string,
): RosterEntry | RosterRejection {
  const get = (column: RosterColumn) => {
    const index = columns.get(column);
    return index === undefined ? "" : (row.fields[index] ?? "").trim().replace(/\s+/g, " ");
  };
  const errors: { column: string; message: string }[] = [];
  const required = (column: RosterColumn, label: string, max = 80) => {
    const value = get(column);
    if (!value) errors.push({ column: label, message: "is empty" });
    else if (value.length > max)
      errors.push({ column: label, message: `is longer than ${max} characters` });
    return value;
  };
  const admissionNo = required("admissionNo", "admission_no", 40);
  const firstName = required("firstName", "first_name");
  const lastName = required("lastName", "last_name");

  let grade = Number.NaN;
  let section = "";
  let className = get("className").toUpperCase().replace(/\s+/g, "");
  if (columns.has("grade") && columns.has("section") && (get("grade") || get("section"))) {
    grade = Number(get("grade").replace(/^(grade|year|class)\s*/i, ""));
    section = get("section").toUpperCase();
    className ||= `${grade}${section}`;
  } else {
    // "5A", "5-A", "Grade 5 A", "Year 5B": a number, then letters.
    const match = get("className").match(
      /^(?:grade|year|class|std\.?)?\s*(\d{1,2})\s*[-/ ]?\s*([A-Za-z]{1,3})$/i,
    );
    if (match) {
      grade = Number(match[1]);
      section = (match[2] ?? "").toUpperCase();
      className = `${grade}${section}`;
    }
  }
  if (!Number.isInteger(grade) || grade < 0 || grade > 13 || !/^[A-Z]{1,3}$/.test(section))
    errors.push({ column: "class", message: 'is not a class such as "5A"' });

  let guardianFirstName = get("guardianFirstName");
  let guardianLastName = get("guardianLastName");
  if (!guardianFirstName) {
    // "Maria Ortiz", or "Ortiz, Maria" as registers often write it; a lone name takes the child's surname.
    const full = get("guardianName");
    const [last, first] = full.includes(",") ? full.split(",", 2).map((part) => part.trim()) : [];
    const [given = "", ...rest] = full.split(" ");
    guardianFirstName = first ?? given;
    guardianLastName ||= last ?? (rest.join(" ") || lastName);
  }
  if (!guardianFirstName) errors.push({ column: "guardian_name", message: "is empty" });
  const rawPhone = get("guardianPhone");
  const guardianPhone = rawPhone ? normalizePhone(rawPhone, defaultCountry) : null;
  if (!guardianPhone)
    errors.push({
      column: "guardian_phone",
      message: rawPhone ? `"${rawPhone}" is not a phone number` : "is empty",
    });
  const relationship = (get("relationship") || "guardian").toLowerCase().slice(0, 30);

  if (errors.length || !guardianPhone) return { row: row.line, errors };
  return {
    row: row.line,
    admissionNo,
    firstName,
    lastName,
    className,
    grade,
    section,
    guardianFirstName,
    guardianLastName,
    guardianPhone,
    relationship,
  };
}
