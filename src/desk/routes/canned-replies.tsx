// /staff/admin/canned-replies: office staff and admins add, edit and delete the school's canned
// replies, through the service and the input rules /v1/canned-replies use.
import { type Context, Hono } from "hono";
import { CannedInput } from "../../routes/v1/canned-replies";
import {
  type CannedWrite,
  createCannedReply,
  deleteCannedReply,
  listCannedReplies,
  updateCannedReply,
} from "../../services/canned-replies";
import type { DeskDeps } from "../deps";
import type { DeskEnv } from "../session";
import { type CannedDraft, type CannedErrors, CannedRepliesPage } from "../views/canned-replies";
import { renderPage } from "../views/render";

const text = (form: Record<string, unknown>, name: string) =>
  typeof form[name] === "string" ? (form[name] as string).trim() : "";

const notices: Record<string, string> = {
  added: "Canned reply added.",
  saved: "Canned reply saved.",
  deleted: "Canned reply deleted.",
};

/** The form's fields, or what is wrong with each, in plain words. */
function readCanned(form: Record<string, unknown>) {
  const draft = { title: text(form, "title"), body: text(form, "body") };
  const parsed = CannedInput.safeParse(draft);
  if (parsed.success) return { draft, input: parsed.data };
  const errors: Omit<CannedErrors, "at"> = {};
  if (!draft.title) errors.title = "Give it a title.";
  else if (draft.title.length > 80)
    errors.title = `The title is ${draft.title.length} characters; the most is 80.`;
  if (!draft.body) errors.body = "Write the text.";
  else if (draft.body.length > 4000)
    errors.body = `The text is ${draft.body.length} characters; the most is 4000.`;
  return { draft, errors };
}

export function cannedReplyRoutes(deps: DeskDeps) {
  const actorOf = (c: Context<DeskEnv>) => {
    const { viewer } = c.get("desk");
    return { staffId: viewer.staffId, schoolId: viewer.schoolId };
  };

  async function page(
    c: Context<DeskEnv>,
    options: {
      draft?: CannedDraft;
      errors?: CannedErrors;
      notice?: string | undefined;
      status?: 200 | 404 | 409 | 422;
    } = {},
  ) {
    const session = c.get("desk");
    return renderPage(
      c,
      <CannedRepliesPage
        session={session}
        replies={await listCannedReplies(deps.db, session.viewer.schoolId)}
        draft={options.draft ?? { title: "", body: "" }}
        errors={options.errors ?? null}
        notice={options.notice}
      />,
      options.status ?? 200,
    );
  }

  /** A refused write shown next to its form, or the redirect that reports it done. */
  function answer(
    c: Context<DeskEnv>,
    at: "new" | number,
    draft: CannedDraft,
    result: CannedWrite,
  ) {
    if (result.ok)
      return c.redirect(
        `/staff/admin/canned-replies?done=${at === "new" ? "added" : "saved"}`,
        303,
      );
    if (result.reason === "not_found") return c.text("No such canned reply", 404);
    return page(c, {
      status: 409,
      draft,
      errors: { at, title: "The school already has a canned reply with this title." },
    });
  }

  return new Hono<DeskEnv>()
    .get("/", (c) => page(c, { notice: notices[c.req.query("done") ?? ""] }))
    .post("/", async (c) => {
      const read = readCanned(await c.req.parseBody());
      if (!read.input)
        return page(c, { status: 422, draft: read.draft, errors: { at: "new", ...read.errors } });
      return answer(c, "new", read.draft, await createCannedReply(deps, actorOf(c), read.input));
    })
    .post("/:id{[0-9]+}", async (c) => {
      const id = Number(c.req.param("id"));
      const read = readCanned(await c.req.parseBody());
      if (!read.input)
        return page(c, { status: 422, draft: read.draft, errors: { at: id, ...read.errors } });
      return answer(c, id, read.draft, await updateCannedReply(deps, actorOf(c), id, read.input));
    })
    .post("/:id{[0-9]+}/delete", async (c) => {
      if (!(await deleteCannedReply(deps, actorOf(c), Number(c.req.param("id")))))
        return c.text("No such canned reply", 404);
      return c.redirect("/staff/admin/canned-replies?done=deleted", 303);
    });
}
