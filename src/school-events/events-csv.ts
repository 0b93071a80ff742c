// School events from a CSV (pure), for schools without an integration: one row per child, each
// checked as the one-child event it describes, so a refusal names the row and the column. Rows
// that describe the same event (type and fields alike) are gathered into one.
import { type CsvRow, parseCsv } from "../domain/csv";
import type { RosterRejection } from "../domain/roster";
import { type SchoolEvent, SchoolEventSchema } from "./event-schema";

export const EVENT_CSV_COLUMNS = [
  "type",
  "admission_no",
  "date",
  "period",
  "status",
  "amount",
  "currency",
  "due_date",
  "title",
  "url",
] as const;
type EventCsvColumn = (typeof EVENT_CSV_COLUMNS)[number];

export const MAX_EVENT_CSV_ROWS = 5000;

/** One event gathered from the rows that describe it. */
export interface CsvEvent {
  rows: number[];
  event: SchoolEvent;
}

export type EventsCsvParse =
  | { ok: false; error: string; missing?: string[]; line?: number }
  | {
      ok: true;
      rows: number;
      /** Each valid row: its line, admission number and event. */
      entries: { row: number; admissionNumber: string; event: SchoolEvent }[];
      rejected: RosterRejection[];
    };

const squash = (header: string) => header.toLowerCase().replace(/[\s._-]+/g, "");

/** The event field a zod issue names, as the CSV column a spreadsheet user sees. */
const COLUMN_OF_FIELD: Record<string, EventCsvColumn> = {
  type: "type",
  date: "date",
  period: "period",
  absent: "admission_no",
  late: "admission_no",
  admissionNumbers: "admission_no",
  classes: "admission_no",
  amount: "amount",
  currency: "currency",
  dueDate: "due_date",
  title: "title",
  url: "url",
};

/** The one-child event a row describes, before checking. */
function rowEvent(cell: (column: EventCsvColumn) => string): Record<string, unknown> {
  const type = cell("type");
  const admissionNumber = cell("admission_no");
  switch (type) {
    case "attendance.marked": {
      const status = cell("status").toLowerCase();
      return {
        type,
        date: cell("date"),
        period: cell("period"),
        [status === "late" ? "late" : "absent"]: [admissionNumber],
      };
    }
    case "fee.reminder":
      return {
        type,
        admissionNumbers: [admissionNumber],
        amount: cell("amount"),
        currency: cell("currency").toUpperCase(),
        dueDate: cell("due_date"),
      };
    default:
      return { type, admissionNumbers: [admissionNumber], title: cell("title"), url: cell("url") };
  }
}

function checkRow(row: CsvRow, columns: Map<EventCsvColumn, number>) {
  const cell = (column: EventCsvColumn) => {
    const at = columns.get(column);
    return at === undefined ? "" : (row.fields[at] ?? "").trim();
  };
  const errors: RosterRejection["errors"] = [];
  if (cell("admission_no") === "") errors.push({ column: "admission_no", message: "is empty" });
  const status = cell("status").toLowerCase();
  if (cell("type") === "attendance.marked" && status !== "absent" && status !== "late")
    errors.push({ column: "status", message: "must be absent or late" });
  const parsed = SchoolEventSchema.safeParse(rowEvent(cell));
  if (!parsed.success)
    for (const issue of parsed.error.issues) {
      const field = String(issue.path[0] ?? "type");
      const column = COLUMN_OF_FIELD[field] ?? "type";
      if (column === "admission_no" && errors.some((e) => e.column === column)) continue;
      errors.push({
        column,
        message:
          field === "type" && issue.path.length <= 1
            ? "must be attendance.marked, fee.reminder or scores.published"
            : issue.message,
      });
    }
  return {
    errors,
    event: parsed.success ? parsed.data : null,
    admissionNumber: cell("admission_no"),
  };
}

export function parseEventsCsv(csv: string): EventsCsvParse {
  const read = parseCsv(csv);
  if (!read.ok) return { ok: false, error: read.error, line: read.line };
  const [header, ...rows] = read.rows;
  if (!header) return { ok: false, error: "the file is empty" };
  const columns = new Map<EventCsvColumn, number>();
  header.fields.forEach((name, index) => {
    const column = EVENT_CSV_COLUMNS.find((candidate) => squash(candidate) === squash(name));
    if (column && !columns.has(column)) columns.set(column, index);
  });
  const missing = (["type", "admission_no"] as const).filter((column) => !columns.has(column));
  if (missing.length) return { ok: false, error: "required columns are missing", missing };
  if (rows.length > MAX_EVENT_CSV_ROWS)
    return { ok: false, error: `at most ${MAX_EVENT_CSV_ROWS} rows per file` };
  const entries: { row: number; admissionNumber: string; event: SchoolEvent }[] = [];
  const rejected: RosterRejection[] = [];
  for (const row of rows) {
    const checked = checkRow(row, columns);
    if (checked.errors.length > 0 || !checked.event)
      rejected.push({ row: row.line, errors: checked.errors });
    else
      entries.push({
        row: row.line,
        admissionNumber: checked.admissionNumber,
        event: checked.event,
      });
  }
  return { ok: true, rows: rows.length, entries, rejected };
}

/** The event's fields without its children: rows with the same key are one event. */
function eventKey(event: SchoolEvent): string {
  switch (event.type) {
    case "attendance.marked":
      return JSON.stringify([event.type, event.date, event.period]);
    case "fee.reminder":
      return JSON.stringify([event.type, event.amount, event.currency, event.dueDate]);
    case "scores.published":
      return JSON.stringify([event.type, event.title, event.url]);
  }
}

/** Gathers one-child events into one event per key, children in row order. */
export function gatherEvents(entries: { row: number; event: SchoolEvent }[]): CsvEvent[] {
  const byKey = new Map<string, CsvEvent>();
  for (const { row, event } of entries) {
    const key = eventKey(event);
    const gathered = byKey.get(key);
    if (!gathered) {
      byKey.set(key, { rows: [row], event: structuredClone(event) });
      continue;
    }
    gathered.rows.push(row);
    const into = gathered.event;
    if (into.type === "attendance.marked" && event.type === "attendance.marked") {
      into.absent.push(...event.absent);
      into.late.push(...event.late);
    } else if (into.type !== "attendance.marked" && event.type !== "attendance.marked")
      into.admissionNumbers.push(...event.admissionNumbers);
  }
  return [...byKey.values()];
}
