// "My alerts": whether the member's staff chat is linked (and how to link it), which ticket alerts
// they get there, and their quiet hours.
import type { FC } from "hono/jsx";
import type { AlertSettingsView } from "../../services/member-alert-settings";
import type { DeskSession } from "../session";
import { channelLabel } from "./labels";
import { Csrf, FieldError, invalidWhen, Layout, Notices } from "./layout";

export interface MyAlertsDraft {
  mode: string;
  quiet: "school" | "own" | "none";
  start: string;
  end: string;
}

export interface MyAlertsErrors {
  mode?: string;
  quietHours?: string;
}

const modeLabels = [
  ["instant", "Each alert as it comes (held through quiet hours for the morning summary)"],
  ["summary", "Only the morning summary of my open tickets"],
  ["off", "No alerts and no summary"],
] as const;

export const MyAlertsPage: FC<{
  session: DeskSession;
  settings: AlertSettingsView;
  draft: MyAlertsDraft;
  errors?: MyAlertsErrors;
  notice?: string | undefined;
}> = ({ session, settings, draft, errors = {}, notice }) => {
  const school = settings.schoolQuietHours;
  return (
    <Layout title="My alerts" session={session} section="me">
      <h1>My alerts</h1>
      <Notices notice={notice} />
      <section class="card" aria-labelledby="chat-heading">
        <h2 id="chat-heading">My staff chat</h2>
        {settings.chat.channel ? (
          <p>
            Ticket alerts come to your chat on {channelLabel(settings.chat.channel)}; you can answer
            them there.
          </p>
        ) : (
          <>
            <p>
              <strong>No chat is linked yet:</strong> alerts reach you nowhere until you link one.
            </p>
            <p>How to link your chat: {settings.chat.howToLink}</p>
          </>
        )}
      </section>
      <form method="post" action="/staff/me/alerts" class="card stack">
        <Csrf session={session} />
        <fieldset class="stack" {...invalidWhen(errors.mode, "mode-error")}>
          <legend>Which alerts</legend>
          {modeLabels.map(([mode, label]) => (
            <label class="check">
              <input type="radio" name="mode" value={mode} checked={draft.mode === mode} />
              {label}
            </label>
          ))}
          <FieldError id="mode-error" message={errors.mode} />
        </fieldset>
        <fieldset class="stack" {...invalidWhen(errors.quietHours, "quiet-error")}>
          <legend>Quiet hours (alerts wait until they end)</legend>
          <label class="check">
            <input type="radio" name="quiet" value="school" checked={draft.quiet === "school"} />
            The school's{school ? ` (${school.start} to ${school.end})` : " (none set)"}
          </label>
          <label class="check">
            <input type="radio" name="quiet" value="own" checked={draft.quiet === "own"} />
            My own
          </label>
          <div class="row">
            <div>
              <label for="quiet-start">From</label>
              <input id="quiet-start" name="start" type="time" value={draft.start} />
            </div>
            <div>
              <label for="quiet-end">Until</label>
              <input id="quiet-end" name="end" type="time" value={draft.end} />
            </div>
          </div>
          <label class="check">
            <input type="radio" name="quiet" value="none" checked={draft.quiet === "none"} />
            None: alerts at any hour
          </label>
          <FieldError id="quiet-error" message={errors.quietHours} />
        </fieldset>
        <button type="submit">Save</button>
      </form>
    </Layout>
  );
};
