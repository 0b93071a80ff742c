// The school's API keys for its other systems: make one (shown once, here only), see each key's
// prefix and last use, revoke it.
import type { FC } from "hono/jsx";
import type { ApiKeyView } from "../../services/api-keys";
import type { DeskSession } from "../session";
import { schoolTime } from "./labels";
import { Csrf, Layout, Notices, TextField } from "./layout";

export const ApiKeysPage: FC<{
  session: DeskSession;
  keys: ApiKeyView[];
  /** A key just made: its only showing. */
  made?: { name: string; key: string } | undefined;
  error?: string | undefined;
  notice?: string | undefined;
  /** This form's own token: a second send of it (a reload) makes no second key. */
  formToken: string;
}> = ({ session, keys, made, error, notice, formToken }) => (
  <Layout title="API keys" session={session} section="admin">
    <p>
      <a href="/staff/admin">← Admin</a>
    </p>
    <h1>API keys</h1>
    <Notices notice={notice} />
    <p class="hint">
      The school's attendance, fees and grades systems send events to Parentline with a key:
      families then hear about their child in their own language. A key can only send events, only
      for this school.
    </p>
    <p>
      <a href="/staff/admin/events">No integration? Upload a CSV</a>
    </p>
    {made ? (
      <section class="card stack" aria-labelledby="made-heading">
        <h2 id="made-heading">Key for {made.name}</h2>
        <p>Copy it now into the other system's settings: it is not shown again.</p>
        <label for="made-key">Key</label>
        <input id="made-key" readonly value={made.key} />
      </section>
    ) : null}
    <form
      method="post"
      action="/staff/admin/api-keys"
      class="card stack"
      aria-labelledby="new-key-heading"
    >
      <h2 id="new-key-heading">Make a key</h2>
      <Csrf session={session} />
      <input type="hidden" name="form" value={formToken} />
      <TextField
        id="name"
        label="What will use it (e.g. Attendance system)"
        value=""
        error={error}
      />
      <button type="submit">Make key</button>
    </form>
    {keys.length === 0 ? <p>No keys yet.</p> : null}
    <ul class="queue">
      {keys.map((key) => (
        <li class="card">
          <p>
            <strong>{key.name}</strong> <code>{key.prefix}…</code>
          </p>
          <p class="hint">
            Made {schoolTime(key.createdAt, session.timeZone)} · last used{" "}
            {key.lastUsedAt ? schoolTime(key.lastUsedAt, session.timeZone) : "never"}
            {key.revokedAt ? ` · revoked ${schoolTime(key.revokedAt, session.timeZone)}` : ""}
          </p>
          {key.revokedAt ? null : (
            <form method="post" action={`/staff/admin/api-keys/${key.id}/revoke`}>
              <Csrf session={session} />
              <button type="submit" class="secondary" aria-label={`Revoke ${key.name}`}>
                Revoke
              </button>
            </form>
          )}
        </li>
      ))}
    </ul>
  </Layout>
);
