// /staff/admin/events: an admin's school events as CSV, checked then sent through the service
// POST /v1/integrations/events.csv calls; and the example file to start from.
import { type Context, Hono } from "hono";
import { importEventsCsv } from "../../services/school-events-csv";
import type { DeskDeps } from "../deps";
import type { DeskEnv } from "../session";
import { EventsUploadPage } from "../views/events-upload";
import { renderPage } from "../views/render";

const EXAMPLE_CSV = [
  "type,admission_no,date,period,status,amount,currency,due_date,title,url",
  "attendance.marked,GF-2024-001,2026-12-07,AM,absent,,,,,",
  "attendance.marked,GF-2024-003,2026-12-07,AM,late,,,,,",
  "fee.reminder,GF-2024-003,,,,45.00,USD,2026-12-15,,",
  "scores.published,GF-2024-001,,,,,,,Term 1 results,https://school.example/results",
  "",
].join("\r\n");

export function eventsUploadRoutes(deps: DeskDeps) {
  const page = (
    c: Context<DeskEnv>,
    props: Omit<Parameters<typeof EventsUploadPage>[0], "session"> = {},
    status: 200 | 409 | 422 = 200,
  ) => renderPage(c, <EventsUploadPage session={c.get("desk")} {...props} />, status);

  return new Hono<DeskEnv>()
    .get("/", (c) => page(c))
    .get("/example.csv", (c) => {
      c.header("content-type", "text/csv; charset=utf-8");
      c.header("content-disposition", 'attachment; filename="school-events-example.csv"');
      return c.body(EXAMPLE_CSV);
    })
    .post("/", async (c) => {
      const form = await c.req.parseBody();
      const file = form.csv instanceof File ? await form.csv.text() : "";
      const pasted = typeof form.pasted === "string" ? form.pasted : "";
      // A browser sends a form's text with CRLF; the service names a file regardless of line endings.
      const csv = file.trim() ? file : pasted;
      if (!csv.trim()) return page(c, { fileError: "Choose a CSV file, or paste its rows." }, 422);
      const { viewer } = c.get("desk");
      const result = await importEventsCsv(
        deps,
        { staffId: viewer.staffId, schoolId: viewer.schoolId },
        csv,
        { dryRun: form.mode !== "apply" },
      );
      if (!result.ok) {
        const missing = result.missing?.length ? ` (missing: ${result.missing.join(", ")})` : "";
        const line = result.line ? ` (line ${result.line})` : "";
        return page(
          c,
          { csv, fileError: `The file cannot be read: ${result.error}${missing}${line}.` },
          422,
        );
      }
      return page(c, { csv, report: result.report }, result.report.rejected.length ? 422 : 200);
    });
}
