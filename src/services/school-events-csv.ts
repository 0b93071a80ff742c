// POST /v1/integrations/events.csv's work: an admin's CSV of school events checked row by row
// like the roster import; any refused row sends nothing, a dry run reports without sending, and
// otherwise each gathered event is received as if a system had sent it.
import type { RosterRejection } from "../domain/roster";
import type { SchoolEvent } from "../school-events/event-schema";
import { gatherEvents, parseEventsCsv } from "../school-events/events-csv";
import type { ServiceDeps } from "./deps";
import {
  type EventAnswer,
  receiveSchoolEvent,
  requestHashOf,
  resolveEventChildren,
} from "./school-events";

export interface EventsCsvReport {
  dryRun: boolean;
  applied: boolean;
  rows: number;
  events: {
    type: SchoolEvent["type"];
    rows: number[];
    children: number;
    /** Once applied: what sending it answered. */
    result?: Omit<EventAnswer, "type">;
  }[];
  rejected: RosterRejection[];
}

export type EventsCsvResult =
  | { ok: false; error: string; missing?: string[]; line?: number }
  | { ok: true; report: EventsCsvReport };

export async function importEventsCsv(
  deps: ServiceDeps,
  admin: { staffId: number; schoolId: number },
  csv: string,
  options: { dryRun: boolean; idempotencyKey?: string },
): Promise<EventsCsvResult> {
  const parsed = parseEventsCsv(csv);
  if (!parsed.ok) return parsed;
  const rejected = [...parsed.rejected];
  const known = parsed.entries.filter((entry) => {
    const resolved = resolveEventChildren(deps, admin.schoolId, entry.event);
    if (resolved.ok && resolved.resolved.rejected.length === 0) return true;
    rejected.push({
      row: entry.row,
      errors: [
        {
          column: "admission_no",
          message: `no student of the school has the admission number ${entry.admissionNumber}`,
        },
      ],
    });
    return false;
  });
  rejected.sort((a, b) => a.row - b.row);
  const gathered = gatherEvents(known);
  const report: EventsCsvReport = {
    dryRun: options.dryRun,
    applied: false,
    rows: parsed.rows,
    events: gathered.map(({ rows, event }) => ({ type: event.type, rows, children: rows.length })),
    rejected,
  };
  if (rejected.length > 0 || options.dryRun) return { ok: true, report };
  // The same file uploaded twice (a double click, a retry, once from a browser's form and once
  // from a script) sends nothing twice: its identity ignores how its lines end.
  const base = options.idempotencyKey ?? `csv:${requestHashOf(csv.replace(/\r\n?/g, "\n"))}`;
  for (const [index, { event }] of gathered.entries()) {
    const body = JSON.stringify(event);
    const outcome = await receiveSchoolEvent(
      deps,
      { schoolId: admin.schoolId, staffId: admin.staffId },
      event,
      { key: `${base}:${index + 1}`, requestHash: requestHashOf(body) },
    );
    const entry = report.events[index];
    if (outcome.ok && entry) {
      const { type: _type, ...result } = outcome.answer;
      entry.result = result;
    }
  }
  return { ok: true, report: { ...report, applied: true } };
}
