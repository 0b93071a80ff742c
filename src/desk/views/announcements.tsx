// Announcements: the list with a live progress bar each, the composer with its preview (the same
// reach the chat's /announce shows), and one announcement's recipients.
import type { FC } from "hono/jsx";
import type { AnnouncementCounts } from "../../services/announcement-reports";
import type { AnnouncementPreview } from "../../services/announcement-sending";
import type { ComposerErrors, ComposerValues } from "../announcement-form";
import type { DeskSession } from "../session";
import { channelLabel, deliveryLabels, familiesByChannel, schoolTime } from "./labels";
import { Csrf, FieldError, invalidWhen, Layout, Notices } from "./layout";

export interface AnnouncementItem {
  id: number;
  status: string;
  text: string;
  urgent: boolean;
  audience: string;
  createdAt: number;
  scheduledAt: number | null;
  counts: AnnouncementCounts;
}

const skipLabels: Record<string, string> = {
  no_channel: "no chat channel on record",
  opted_out: "opted out",
  announcements_off: "turned announcements off",
};

const skippedTotal = (counts: AnnouncementCounts) =>
  Object.values(counts.skipped).reduce((sum, n) => sum + n, 0);

/** Families whose message has gone its way (sent, failed or skipped) out of all in the audience. */
export const Progress: FC<{ item: AnnouncementItem; timeZone: string }> = ({ item, timeZone }) => {
  const { counts } = item;
  const done = counts.recipients - counts.pending;
  const going = item.status === "sending" && counts.pending > 0;
  return (
    <div data-progress={going ? "going" : "settled"}>
      <label for={`progress-${item.id}`}>
        {item.status === "scheduled"
          ? `Scheduled for ${item.scheduledAt ? schoolTime(item.scheduledAt, timeZone) : ""}`
          : item.status === "cancelled"
            ? "Cancelled"
            : `${done} of ${counts.recipients} families done`}
      </label>
      <progress
        id={`progress-${item.id}`}
        max={String(counts.recipients || 1)}
        value={String(done)}
      >
        {done} of {counts.recipients}
      </progress>
      <p class="counts">
        <span>Sent {counts.sent}</span>
        <span>Delivered {counts.delivered}</span>
        <span>Read {counts.read}</span>
        <span>Failed {counts.failed}</span>
        <span>Pending {counts.pending}</span>
        <span>Not sent {skippedTotal(counts)}</span>
      </p>
    </div>
  );
};

export const AnnouncementList: FC<{ items: AnnouncementItem[]; timeZone: string }> = ({
  items,
  timeZone,
}) => (
  <ul class="queue" data-live="announcements">
    {items.length === 0 ? <li class="card">No announcements yet.</li> : null}
    {items.map((item) => (
      <li class="card">
        <p>
          <a href={`/staff/announcements/${item.id}`}>
            <strong>#{item.id}</strong> to {item.audience}
          </a>{" "}
          {item.urgent ? <span class="badge urgent">Urgent</span> : null}{" "}
          <span class="hint">{schoolTime(item.createdAt, timeZone)}</span>
        </p>
        <p class="body">{item.text}</p>
        <Progress item={item} timeZone={timeZone} />
      </li>
    ))}
  </ul>
);

export const AnnouncementsPage: FC<{
  session: DeskSession;
  items: AnnouncementItem[];
  notice?: string | undefined;
}> = ({ session, items, notice }) => (
  <Layout title="Announcements" session={session} section="announcements">
    <h1>Announcements</h1>
    <Notices notice={notice} />
    <p>
      <a class="button" href="/staff/announcements/new">
        New announcement
      </a>
    </p>
    <AnnouncementList items={items} timeZone={session.timeZone} />
  </Layout>
);

export const PreviewBlock: FC<{ preview: AnnouncementPreview }> = ({ preview }) => (
  <section class="card" aria-labelledby="preview-heading" id="preview">
    <h2 id="preview-heading">Preview</h2>
    <p data-testid="reach">
      Reaches <strong>{preview.reached}</strong> of {preview.guardians} families
      {preview.digest ? ` (${preview.digest} in their daily digest)` : ""}.
    </p>
    <ul>
      {familiesByChannel(preview.byChannel).map(([channel, n]) => (
        <li>
          {channel}: {n}
        </li>
      ))}
    </ul>
    {Object.values(preview.unreachable).some((n) => n > 0) ? (
      <>
        <p>Cannot be reached:</p>
        <ul>
          {Object.entries(preview.unreachable)
            .filter(([, n]) => n > 0)
            .map(([reason, n]) => (
              <li>
                {n} {skipLabels[reason] ?? reason}
              </li>
            ))}
        </ul>
      </>
    ) : null}
  </section>
);

export interface ComposerProps {
  session: DeskSession;
  values: ComposerValues;
  classes: { id: number; name: string }[];
  errors?: ComposerErrors;
  preview?: AnnouncementPreview | undefined;
}

export const ComposerPage: FC<ComposerProps> = ({
  session,
  values,
  classes,
  errors = {},
  preview,
}) => (
  <Layout title="New announcement" session={session} section="announcements">
    <p>
      <a href="/staff/announcements">← Announcements</a>
    </p>
    <h1>New announcement</h1>
    <Notices error={errors.form} />
    {preview ? <PreviewBlock preview={preview} /> : null}
    <form method="post" action="/staff/announcements/preview" class="card stack">
      <Csrf session={session} />
      <input type="hidden" name="draftKey" value={values.draftKey} />
      <fieldset class="stack" {...invalidWhen(errors.audience, "audience-error")}>
        <legend>Who gets it</legend>
        {(
          [
            ["school", "The whole school"],
            ["grades", "Grades"],
            ["classes", "Classes"],
            ["students", "Students, by admission number"],
          ] as const
        )
          // Only admins announce to the whole school (checkAnnouncer).
          .filter(([kind]) => kind !== "school" || session.viewer.role === "admin")
          .map(([kind, label]) => (
            <label class="check">
              <input type="radio" name="kind" value={kind} checked={values.kind === kind} />
              {label}
            </label>
          ))}
        <label for="grades">Grades (for "Grades"; e.g. 4, 5)</label>
        <input id="grades" name="grades" value={values.grades} />
        <fieldset class="row">
          <legend class="hint">Classes (for "Classes")</legend>
          {classes.map((item) => (
            <label class="check shrink">
              <input
                type="checkbox"
                name="classes"
                value={item.name}
                checked={values.classes.includes(item.name)}
              />
              {item.name}
            </label>
          ))}
        </fieldset>
        <label for="students">Admission numbers (for "Students"; one per line)</label>
        <textarea id="students" name="students">
          {values.students}
        </textarea>
        <FieldError id="audience-error" message={errors.audience} />
      </fieldset>
      <label for="text">Message</label>
      <textarea id="text" name="text" maxlength={1500} {...invalidWhen(errors.text, "text-error")}>
        {values.text}
      </textarea>
      <FieldError id="text-error" message={errors.text} />
      <label for="attachmentUrl">Attachment link (optional, https://)</label>
      <input
        id="attachmentUrl"
        name="attachmentUrl"
        type="url"
        value={values.attachmentUrl}
        {...invalidWhen(errors.attachment, "attachment-error")}
      />
      <FieldError id="attachment-error" message={errors.attachment} />
      <label for="attachmentType">Attachment type (optional, e.g. application/pdf)</label>
      <input id="attachmentType" name="attachmentType" value={values.attachmentType} />
      <label class="check">
        <input type="checkbox" name="urgent" checked={values.urgent} />
        Urgent: goes at once, through quiet hours and digests
      </label>
      <label for="schedule">Send at (optional, school time)</label>
      <input
        id="schedule"
        name="schedule"
        type="datetime-local"
        value={values.schedule}
        {...invalidWhen(errors.schedule, "schedule-error")}
      />
      <FieldError id="schedule-error" message={errors.schedule} />
      <div class="row">
        <button type="submit" class={preview ? "secondary shrink" : "shrink"}>
          Preview
        </button>
        {preview ? (
          <button type="submit" class="shrink" formaction="/staff/announcements">
            Send
          </button>
        ) : null}
      </div>
    </form>
  </Layout>
);

export interface RecipientRow {
  name: string;
  channel: string | null;
  status: string;
  skippedReason: string | null;
  lastError: string | null;
}

export const AnnouncementPage: FC<{
  session: DeskSession;
  item: AnnouncementItem;
  recipients: RecipientRow[];
  nextPage: string | null;
  notice?: string | undefined;
  /** Why a cancel was refused, shown next to its button. */
  error?: string | undefined;
}> = ({ session, item, recipients, nextPage, notice, error }) => (
  <Layout title={`Announcement #${item.id}`} session={session} section="announcements">
    <p>
      <a href="/staff/announcements">← Announcements</a>
    </p>
    <h1>
      Announcement #{item.id} to {item.audience}
    </h1>
    {/* A refused cancel of one that is no longer scheduled has no button to sit next to. */}
    <Notices notice={notice} error={item.status === "scheduled" ? undefined : error} />
    <div data-live="announcements">
      <div class="card">
        <p class="body">{item.text}</p>
        <Progress item={item} timeZone={session.timeZone} />
      </div>
      <div class="table-wrap">
        <table class="cards">
          <caption class="visually-hidden">Each family's message</caption>
          <thead>
            <tr>
              <th scope="col">Family</th>
              <th scope="col">Channel</th>
              <th scope="col">State</th>
            </tr>
          </thead>
          <tbody>
            {recipients.map((row) => (
              <tr>
                <td data-label="Family">{row.name}</td>
                <td data-label="Channel">{row.channel ? channelLabel(row.channel) : "—"}</td>
                <td data-label="State">
                  {row.status === "skipped"
                    ? `Not sent: ${skipLabels[row.skippedReason ?? ""] ?? row.skippedReason}`
                    : row.status === "waiting_for_digest"
                      ? "In tonight's digest"
                      : (deliveryLabels[row.status] ?? row.status)}
                  {row.lastError ? ` (${row.lastError})` : ""}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
    {item.status === "scheduled" && session.viewer.role !== "office" ? (
      <form method="post" action={`/staff/announcements/${item.id}/cancel`} class="card stack">
        <Csrf session={session} />
        <p id="cancel-hint" class="hint">
          Until it starts sending, you can call it back: nobody receives it.
        </p>
        <button
          type="submit"
          class="secondary"
          {...invalidWhen(error, "cancel-error", "cancel-hint")}
        >
          Cancel this announcement
        </button>
        <FieldError id="cancel-error" message={error} />
      </form>
    ) : null}
    {nextPage ? (
      <a class="button secondary" href={nextPage}>
        More families
      </a>
    ) : null}
  </Layout>
);
