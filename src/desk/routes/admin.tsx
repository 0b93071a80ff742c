// /staff/admin: dead letters (office and admins), and for admins the guardrails, the staff
// directory, roster import and the audit log; each over the service its /v1 route calls.
import { type Context, Hono, type MiddlewareHandler } from "hono";
import { type outboxStatuses, staffRoles } from "../../../db/schema";
import { guardrailLimitsSchema, officeFunctions } from "../../domain";
import { listAudit } from "../../services/audit";
import { listOutbox, retryOutboxRow } from "../../services/dead-letters";
import { type DirectoryRefusal, type StaffInput, saveStaff } from "../../services/directory-admin";
import { loadSchoolLimits, saveSchoolLimits } from "../../services/guardrails";
import { importRoster } from "../../services/roster-import";
import { listStaff } from "../../services/school-directory";
import type { DeskDeps } from "../deps";
import { type DeskEnv, requireDeskAdmin } from "../session";
import {
  AdminIndexPage,
  AuditPage,
  DeadLettersPage,
  GuardrailsPage,
  guardrailFields,
  RosterPage,
  type StaffDraft,
  StaffPage,
} from "../views/admin";
import { renderPage } from "../views/render";
import { apiKeyDeskRoutes } from "./api-keys";
import { cannedReplyRoutes } from "./canned-replies";
import { eventsUploadRoutes } from "./events-upload";

/** Deliveries are for office staff and admins, as GET /v1/outbox says. */
const requireOfficeOrAdmin: MiddlewareHandler<DeskEnv> = async (c, next) => {
  if (c.get("desk").viewer.role === "teacher")
    return c.text("Only office staff and admins can open this page", 403);
  await next();
};

const text = (form: Record<string, unknown>, name: string) =>
  typeof form[name] === "string" ? (form[name] as string).trim() : "";

const staffFieldLabels: Record<string, string> = {
  phone: "Mobile number",
  officeFunction: "Office desk",
  role: "Role",
  firstName: "First name",
  lastName: "Last name",
};

function refusalMessage(refusal: DirectoryRefusal): { field: string; message: string } {
  if (refusal.reason === "not_found") return { field: "form", message: "No such member of staff." };
  return {
    field: refusal.field,
    message: `${staffFieldLabels[refusal.field] ?? refusal.field} ${refusal.message}.`,
  };
}

const emptyDraft: StaffDraft = {
  title: "",
  firstName: "",
  lastName: "",
  phone: "",
  role: "teacher",
  officeFunction: "",
};

export function adminRoutes(deps: DeskDeps) {
  const actorOf = (c: Context<DeskEnv>) => {
    const { viewer } = c.get("desk");
    return { staffId: viewer.staffId, schoolId: viewer.schoolId };
  };

  async function deadLetters(
    c: Context<DeskEnv>,
    status: (typeof outboxStatuses)[number],
    options: { notice?: string; error?: { id: number; message: string } } = {},
  ) {
    const session = c.get("desk");
    const before = Number(c.req.query("before")) || undefined;
    const page = await listOutbox(deps, session.viewer.schoolId, {
      status,
      limit: 50,
      ...(before ? { before } : {}),
    });
    return renderPage(
      c,
      <DeadLettersPage
        session={session}
        status={status}
        rows={page.rows}
        nextPage={
          page.nextCursor
            ? `/staff/admin/dead-letters?status=${status}&before=${page.nextCursor}`
            : null
        }
        notice={options.notice}
        error={options.error}
      />,
      options.error ? 409 : 200,
    );
  }

  async function staffPage(
    c: Context<DeskEnv>,
    options: {
      draft?: StaffDraft;
      errors?: Record<string, string>;
      rowError?: { id: number; message: string };
      notice?: string;
      status?: 200 | 404 | 409 | 422;
    } = {},
  ) {
    const session = c.get("desk");
    const members = await listStaff(deps.db, session.viewer, { includeInactive: true });
    return renderPage(
      c,
      <StaffPage
        session={session}
        members={members}
        draft={options.draft ?? emptyDraft}
        {...(options.errors ? { errors: options.errors } : {})}
        rowError={options.rowError}
        notice={options.notice}
      />,
      options.status ?? 200,
    );
  }

  const deadLetterStatus = (value: string | undefined) =>
    (["dead", "failed", "undelivered"] as const).find((s) => s === value) ?? "dead";

  const app = new Hono<DeskEnv>();
  app.use("*", requireOfficeOrAdmin);
  app.get("/", (c) => renderPage(c, <AdminIndexPage session={c.get("desk")} />));
  app.get("/dead-letters", (c) => {
    const retried = c.req.query("retried");
    return deadLetters(c, deadLetterStatus(c.req.query("status")), {
      ...(retried ? { notice: `Message #${retried} is queued to go again.` } : {}),
    });
  });
  app.post("/dead-letters/:id{[0-9]+}/retry", async (c) => {
    const id = Number(c.req.param("id"));
    const status = deadLetterStatus(text(await c.req.parseBody(), "status"));
    const result = await retryOutboxRow(deps, actorOf(c), id);
    if (!result.ok) return deadLetters(c, status, { error: { id, message: `${result.message}.` } });
    return c.redirect(`/staff/admin/dead-letters?status=${status}&retried=${id}`, 303);
  });

  // Canned replies are office staff's and admins', as /v1/canned-replies says.
  app.route("/canned-replies", cannedReplyRoutes(deps));

  // Everything below is the admin's alone.
  app.use("/guardrails", requireDeskAdmin);
  app.use("/staff/*", requireDeskAdmin);
  app.use("/roster", requireDeskAdmin);
  app.use("/audit", requireDeskAdmin);
  app.use("/api-keys/*", requireDeskAdmin);
  app.use("/api-keys", requireDeskAdmin);
  app.route("/api-keys", apiKeyDeskRoutes(deps));
  app.use("/events/*", requireDeskAdmin);
  app.use("/events", requireDeskAdmin);
  app.route("/events", eventsUploadRoutes(deps));

  app.get("/guardrails", async (c) => {
    const session = c.get("desk");
    const limits = await loadSchoolLimits(deps.db, session.viewer.schoolId);
    return renderPage(
      c,
      <GuardrailsPage
        session={session}
        values={Object.fromEntries(Object.entries(limits))}
        notice={
          c.req.query("saved") !== undefined ? "Limits saved; the bot applies them now." : undefined
        }
      />,
    );
  });
  app.post("/guardrails", async (c) => {
    const form = await c.req.parseBody();
    const values = Object.fromEntries(guardrailFields.map(([name]) => [name, text(form, name)]));
    const parsed = guardrailLimitsSchema.safeParse(
      Object.fromEntries(
        Object.entries(values).map(([name, value]) => [
          name,
          /^\d+$/.test(value) ? Number(value) : value,
        ]),
      ),
    );
    if (!parsed.success) {
      const errors: Record<string, string> = {};
      for (const issue of parsed.error.issues) {
        const name = String(issue.path[0]);
        errors[name] ??=
          issue.code === "too_small"
            ? `Must be at least ${issue.minimum}.`
            : issue.code === "too_big"
              ? `Must be at most ${issue.maximum}.`
              : "Enter a whole number.";
      }
      return renderPage(
        c,
        <GuardrailsPage session={c.get("desk")} values={values} errors={errors} />,
        422,
      );
    }
    await saveSchoolLimits(deps, actorOf(c), parsed.data);
    return c.redirect("/staff/admin/guardrails?saved", 303);
  });

  app.get("/staff", (c) => {
    const done = c.req.query("done");
    return staffPage(c, done ? { notice: done === "added" ? "Member added." : "Saved." } : {});
  });
  app.post("/staff", async (c) => {
    const form = await c.req.parseBody();
    const draft: StaffDraft = {
      title: text(form, "title"),
      firstName: text(form, "firstName"),
      lastName: text(form, "lastName"),
      phone: text(form, "phone"),
      role: text(form, "role"),
      officeFunction: text(form, "officeFunction"),
    };
    const errors: Record<string, string> = {};
    if (!draft.firstName) errors.firstName = "Enter a first name.";
    if (!draft.lastName) errors.lastName = "Enter a last name.";
    if (!draft.phone) errors.phone = "Enter a mobile number.";
    const role = staffRoles.find((r) => r === draft.role);
    if (!role) errors.form = "Choose a role.";
    if (Object.keys(errors).length || !role) return staffPage(c, { draft, errors, status: 422 });
    const input: StaffInput = {
      title: draft.title,
      firstName: draft.firstName,
      lastName: draft.lastName,
      phone: draft.phone,
      role,
      officeFunction: officeFunctions.find((f) => f === draft.officeFunction) ?? null,
    };
    const result = await saveStaff(deps, actorOf(c), null, input);
    if (!result.ok) {
      const { field, message } = refusalMessage(result);
      return staffPage(c, {
        draft,
        errors: { [field]: message },
        status: result.reason === "duplicate" ? 409 : 422,
      });
    }
    return c.redirect("/staff/admin/staff?done=added", 303);
  });
  app.post("/staff/:id{[0-9]+}", async (c) => {
    const id = Number(c.req.param("id"));
    const form = await c.req.parseBody();
    const change = text(form, "change");
    const role = staffRoles.find((r) => r === text(form, "role"));
    const input: Partial<StaffInput> =
      change === "deactivate"
        ? { active: false }
        : change === "activate"
          ? { active: true }
          : {
              ...(role ? { role } : {}),
              officeFunction:
                officeFunctions.find((f) => f === text(form, "officeFunction")) ?? null,
            };
    const result = await saveStaff(deps, actorOf(c), id, input);
    if (!result.ok) {
      const { message } = refusalMessage(result);
      return staffPage(c, {
        rowError: { id, message },
        status: result.reason === "not_found" ? 404 : 422,
      });
    }
    return c.redirect("/staff/admin/staff?done=saved", 303);
  });

  app.get("/roster", (c) => renderPage(c, <RosterPage session={c.get("desk")} />));
  app.post("/roster", async (c) => {
    const session = c.get("desk");
    const form = await c.req.parseBody();
    const file = form.csv;
    const csv = file instanceof File ? await file.text() : "";
    if (!csv.trim()) {
      return renderPage(
        c,
        <RosterPage
          session={session}
          fileError="Choose a CSV file with at least a header and a row."
        />,
        422,
      );
    }
    const dryRun = text(form, "mode") !== "apply";
    let result: Awaited<ReturnType<typeof importRoster>>;
    try {
      result = await importRoster(deps, actorOf(c), csv, { dryRun });
    } catch (error) {
      if (!String((error as { code?: unknown }).code).startsWith("SQLITE_CONSTRAINT")) throw error;
      return renderPage(
        c,
        <RosterPage
          session={session}
          fileError="The directory changed during the import; run it again."
        />,
        409,
      );
    }
    if (!result.ok) {
      const missing = result.missing?.length ? ` (missing: ${result.missing.join(", ")})` : "";
      return renderPage(
        c,
        <RosterPage
          session={session}
          fileError={`The file cannot be read: ${result.error}${missing}.`}
        />,
        422,
      );
    }
    return renderPage(
      c,
      <RosterPage session={session} report={result.report} />,
      result.report.rejected.length ? 422 : 200,
    );
  });

  app.get("/audit", async (c) => {
    const session = c.get("desk");
    const entity = c.req.query("entity")?.trim() ?? "";
    const action = c.req.query("action")?.trim() ?? "";
    const before = Number(c.req.query("before")) || undefined;
    const [page, members] = await Promise.all([
      listAudit(deps.db, session.viewer.schoolId, {
        limit: 50,
        ...(entity ? { entity } : {}),
        ...(action ? { action } : {}),
        ...(before ? { before } : {}),
      }),
      listStaff(deps.db, session.viewer, { includeInactive: true }),
    ]);
    const names = new Map(members.map((member) => [member.id, member.name]));
    const rows = page.entries.map((entry) => ({
      ...entry,
      actor:
        entry.actorType === "staff"
          ? (names.get(entry.actorId ?? 0) ?? `Staff #${entry.actorId}`)
          : entry.actorType === "guardian"
            ? `Parent #${entry.actorId}`
            : "Parentline",
    }));
    const query = new URLSearchParams({ entity, action });
    return renderPage(
      c,
      <AuditPage
        session={session}
        rows={rows}
        filters={{ entity, action }}
        nextPage={page.nextCursor ? `/staff/admin/audit?${query}&before=${page.nextCursor}` : null}
      />,
    );
  });
  return app;
}
