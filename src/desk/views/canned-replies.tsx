// The school's canned replies for office staff and admins: add one, edit or delete each, with the
// {parent} and {child} placeholders explained where they are typed.
import type { FC } from "hono/jsx";
import type { DeskSession } from "../session";
import { Csrf, FieldError, invalidWhen, Layout, Notices } from "./layout";

export interface CannedDraft {
  title: string;
  body: string;
}

/** Which form an error belongs to: "new", or a reply's id. */
export interface CannedErrors {
  at: "new" | number;
  title?: string;
  body?: string;
}

const CannedFields: FC<{ prefix: string; draft: CannedDraft; errors: CannedErrors | null }> = ({
  prefix,
  draft,
  errors,
}) => (
  <>
    <label for={`${prefix}-title`}>Title (what staff pick from the list)</label>
    <input
      id={`${prefix}-title`}
      name="title"
      maxlength={80}
      value={draft.title}
      {...invalidWhen(errors?.title, `${prefix}-title-error`)}
    />
    <FieldError id={`${prefix}-title-error`} message={errors?.title} />
    <label for={`${prefix}-body`}>Text</label>
    <textarea
      id={`${prefix}-body`}
      name="body"
      maxlength={4000}
      {...invalidWhen(errors?.body, `${prefix}-body-error`, "placeholders-hint")}
    >
      {draft.body}
    </textarea>
    <FieldError id={`${prefix}-body-error`} message={errors?.body} />
  </>
);

export const CannedRepliesPage: FC<{
  session: DeskSession;
  replies: { id: number; title: string; body: string }[];
  /** What was typed into the form that came back with errors. */
  draft: CannedDraft;
  errors: CannedErrors | null;
  notice?: string | undefined;
}> = ({ session, replies, draft, errors, notice }) => {
  const errorsAt = (at: "new" | number) => (errors?.at === at ? errors : null);
  return (
    <Layout title="Canned replies" session={session} section="admin">
      <p>
        <a href="/staff/admin">← Admin</a>
      </p>
      <h1>Canned replies</h1>
      <Notices notice={notice} />
      <p class="hint" id="placeholders-hint">
        Write {"{parent}"} and {"{child}"} where the parent's and child's names go; they are filled
        in when a reply uses it.
      </p>
      <form
        method="post"
        action="/staff/admin/canned-replies"
        class="card stack"
        aria-labelledby="new-canned-heading"
      >
        <h2 id="new-canned-heading">Add a canned reply</h2>
        <Csrf session={session} />
        <CannedFields
          prefix="new"
          draft={errors?.at === "new" ? draft : { title: "", body: "" }}
          errors={errorsAt("new")}
        />
        <button type="submit">Add</button>
      </form>
      <h2>The school's canned replies</h2>
      {replies.length === 0 ? <p>None yet.</p> : null}
      <ul class="queue">
        {replies.map((reply) => (
          <li class="card">
            <form
              method="post"
              action={`/staff/admin/canned-replies/${reply.id}`}
              class="stack"
              aria-label={`Canned reply: ${reply.title}`}
            >
              <Csrf session={session} />
              <CannedFields
                prefix={`canned-${reply.id}`}
                draft={errors?.at === reply.id ? draft : reply}
                errors={errorsAt(reply.id)}
              />
              <div class="row">
                <button type="submit" class="shrink">
                  Save
                </button>
                <button
                  type="submit"
                  class="secondary shrink"
                  formaction={`/staff/admin/canned-replies/${reply.id}/delete`}
                  aria-label={`Delete ${reply.title}`}
                >
                  Delete
                </button>
              </div>
            </form>
          </li>
        ))}
      </ul>
    </Layout>
  );
};
