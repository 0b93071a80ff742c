// /staff/announcements: the list with live progress, the composer (preview, then send) and one
// announcement's recipients, over the services POST/GET /v1/announcements use.
import { type Context, Hono } from "hono";
import type { AnnouncementAudience } from "../../domain/announce-command";
import type { AnnouncementView } from "../../services/announcement-reports";
import {
  getAnnouncement,
  listAnnouncements,
  listRecipients,
} from "../../services/announcement-reports";
import {
  type AnnouncementPreview,
  cancelAnnouncement,
  createAnnouncement,
  previewAnnouncement,
} from "../../services/announcement-sending";
import { listClassesFor } from "../../services/school-directory";
import {
  audienceOf,
  type ComposerErrors,
  type ComposerValues,
  readComposer,
  refusalErrors,
  scheduleOf,
} from "../announcement-form";
import type { DeskDeps } from "../deps";
import type { DeskEnv } from "../session";
import {
  type AnnouncementItem,
  AnnouncementList,
  AnnouncementPage,
  AnnouncementsPage,
  ComposerPage,
} from "../views/announcements";
import { renderPage } from "../views/render";

function describeAudience(audience: AnnouncementAudience): string {
  switch (audience.kind) {
    case "school":
      return "the whole school";
    case "grades":
      return `grade ${audience.grades.join(", ")}`;
    case "classes":
      return audience.classes.join(", ");
    case "students":
      return `${audience.admissionNumbers.length} students`;
  }
}

const itemOf = (view: AnnouncementView): AnnouncementItem => ({
  id: view.id,
  status: view.status,
  text: view.text,
  urgent: view.urgent,
  audience: describeAudience(view.audience),
  createdAt: view.createdAt,
  scheduledAt: view.scheduledAt,
  counts: view.counts,
});

const emptyComposer = (): ComposerValues => ({
  kind: "classes",
  grades: "",
  classes: [],
  students: "",
  text: "",
  attachmentUrl: "",
  attachmentType: "",
  urgent: false,
  schedule: "",
  draftKey: crypto.randomUUID(),
});

export function announcementRoutes(deps: DeskDeps) {
  async function composer(
    c: Context<DeskEnv>,
    values: ComposerValues,
    options: {
      errors?: ComposerErrors;
      preview?: AnnouncementPreview;
      status?: 200 | 403 | 422;
    } = {},
  ) {
    const session = c.get("desk");
    return renderPage(
      c,
      <ComposerPage
        session={session}
        values={values}
        classes={await listClassesFor(deps.db, session.viewer)}
        preview={options.preview}
        {...(options.errors ? { errors: options.errors } : {})}
      />,
      options.status ?? 200,
    );
  }

  /** One announcement with a page of its recipients, and what the last action did. */
  async function detailPage(
    c: Context<DeskEnv>,
    options: { notice?: string; error?: string; status?: 200 | 403 | 409 } = {},
  ) {
    const session = c.get("desk");
    const id = Number(c.req.param("id"));
    const view = await getAnnouncement(deps, session.viewer.schoolId, id);
    if (!view) return c.text("No such announcement", 404);
    const cursor = Number(c.req.query("cursor")) || undefined;
    const page = listRecipients(deps, id, { limit: 100, ...(cursor ? { after: cursor } : {}) });
    return renderPage(
      c,
      <AnnouncementPage
        session={session}
        item={itemOf(view)}
        recipients={page.recipients}
        nextPage={page.nextCursor ? `/staff/announcements/${id}?cursor=${page.nextCursor}` : null}
        notice={options.notice}
        error={options.error}
      />,
      options.status ?? 200,
    );
  }

  /** The form as a draft, or the errors that stop it, each next to its field. */
  function draftOf(c: Context<DeskEnv>, values: ComposerValues) {
    const schedule = scheduleOf(values, c.get("desk").timeZone);
    if (!schedule.ok) return { errors: { schedule: "Give a date and a time." } };
    const attachment = values.attachmentUrl
      ? {
          url: values.attachmentUrl,
          ...(values.attachmentType ? { contentType: values.attachmentType } : {}),
        }
      : undefined;
    return {
      draft: {
        audience: audienceOf(values),
        text: values.text,
        urgent: values.urgent,
        ...(attachment ? { attachment } : {}),
        ...(schedule.at !== undefined ? { scheduledAt: schedule.at } : {}),
      },
    };
  }

  return new Hono<DeskEnv>()
    .get("/", async (c) => {
      const session = c.get("desk");
      const page = await listAnnouncements(deps, session.viewer.schoolId, { limit: 20 });
      const items = page.announcements.map(itemOf);
      if (c.req.header("x-desk-fragment") === "announcements") {
        return renderPage(c, <AnnouncementList items={items} timeZone={session.timeZone} />);
      }
      const sent = c.req.query("sent");
      return renderPage(
        c,
        <AnnouncementsPage
          session={session}
          items={items}
          notice={sent ? `Announcement #${sent} is on its way.` : undefined}
        />,
      );
    })
    .get("/new", (c) =>
      // Office staff read announcements but do not send them (checkAnnouncer).
      c.get("desk").viewer.role === "office"
        ? c.text("Only admins and teachers send announcements", 403)
        : composer(c, emptyComposer()),
    )
    .post("/preview", async (c) => {
      const values = readComposer(await c.req.parseBody({ all: true }));
      if (!values.draftKey) values.draftKey = crypto.randomUUID();
      const result = await previewAnnouncement(deps, c.get("staff"), audienceOf(values), {
        urgent: values.urgent,
      });
      if (!result.ok)
        return composer(c, values, {
          errors: refusalErrors(result),
          status: result.status === 403 ? 403 : 422,
        });
      return composer(c, values, { preview: result.preview });
    })
    .post("/", async (c) => {
      const values = readComposer(await c.req.parseBody({ all: true }));
      const read = draftOf(c, values);
      if (!read.draft) return composer(c, values, { errors: read.errors, status: 422 });
      const staff = c.get("staff");
      const result = await createAnnouncement(deps, staff, {
        ...read.draft,
        // The composer's key: a double submit returns the first announcement instead of a second.
        ...(values.draftKey ? { sourceKey: `desk:staff-${staff.staffId}:${values.draftKey}` } : {}),
      });
      if (!result.ok)
        return composer(c, values, {
          errors: refusalErrors(result),
          status: result.status === 403 ? 403 : 422,
        });
      return c.redirect(`/staff/announcements?sent=${result.announcement.id}`, 303);
    })
    .get("/:id{[0-9]+}", (c) =>
      detailPage(c, c.req.query("cancelled") ? { notice: "Cancelled: it will not be sent." } : {}),
    )
    .post("/:id{[0-9]+}/cancel", async (c) => {
      const id = Number(c.req.param("id"));
      const result = await cancelAnnouncement(deps, c.get("staff"), id);
      if (!result.ok) {
        if (result.status === 404) return c.text("No such announcement", 404);
        return detailPage(c, { error: result.message, status: result.status === 403 ? 403 : 409 });
      }
      return c.redirect(`/staff/announcements/${id}?cancelled=1`, 303);
    });
}
