// The desk's page frame: header with the sections the member may open, their name and sign-out,
// one stylesheet and one script, both served by the desk itself.
import type { Child, FC } from "hono/jsx";
import type { DeskSession } from "../session";

export interface LayoutProps {
  title: string;
  session?: DeskSession | null;
  /** Which section of the header is current. */
  section?: "tickets" | "announcements" | "reports" | "admin" | "me";
  children?: Child;
}

const sections = (session: DeskSession) => [
  { key: "tickets", href: "/staff/tickets", label: "Tickets" },
  ...(session.viewer.role !== "office"
    ? [{ key: "announcements", href: "/staff/announcements", label: "Announcements" }]
    : []),
  { key: "reports", href: "/staff/reports/weekly", label: "Reports" },
  ...(session.viewer.role !== "teacher"
    ? [{ key: "admin", href: "/staff/admin", label: "Admin" }]
    : []),
  { key: "me", href: "/staff/me/alerts", label: "My alerts" },
];

export const Layout: FC<LayoutProps> = ({ title, session, section, children }) => (
  <html lang="en">
    <head>
      <meta charset="utf-8" />
      <meta name="viewport" content="width=device-width, initial-scale=1" />
      <title>{`${title} · Parentline`}</title>
      <link rel="icon" href="data:," />
      <link rel="stylesheet" href="/staff/assets/desk.css" />
      <script src="/staff/assets/desk.js" defer />
    </head>
    {/* desk.js sends a member whose session ended here (the tenant's sign-in link on Workers). */}
    <body data-sign-in={session?.signInPath}>
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header class="top">
        <span class="brand">Parentline</span>
        {session ? (
          <nav aria-label="Sections">
            <ul>
              {sections(session).map((item) => (
                <li>
                  <a href={item.href} aria-current={item.key === section ? "page" : undefined}>
                    {item.label}
                  </a>
                </li>
              ))}
            </ul>
          </nav>
        ) : null}
        {session ? (
          <form method="post" action="/staff/sign-out" class="signout">
            <input type="hidden" name="_csrf" value={session.csrf} />
            <span class="who">{session.name}</span>
            <button type="submit">Sign out</button>
          </form>
        ) : null}
      </header>
      <main id="main">{children}</main>
    </body>
  </html>
);

/** Marks a field invalid and points it at its error, or at its hint when it has no error. */
export const invalidWhen = (error: string | undefined, errorId: string, hintId?: string) => ({
  "aria-invalid": error ? ("true" as const) : undefined,
  "aria-describedby": error ? errorId : hintId,
});

/** What the last action did (a notice) or why it failed as a whole, above the page's forms. */
export const Notices: FC<{ notice?: string | undefined; error?: string | undefined }> = ({
  notice,
  error,
}) => (
  <>
    {notice ? (
      <p class="notice" role="status">
        {notice}
      </p>
    ) : null}
    {error ? (
      <p class="error" role="alert">
        {error}
      </p>
    ) : null}
  </>
);

/** A plain-words error next to the field it is about (the field names it in aria-describedby). */
export const FieldError: FC<{ id: string; message?: string | undefined }> = ({ id, message }) =>
  message ? (
    <p class="error" id={id}>
      {message}
    </p>
  ) : null;

/** The hidden field every desk form carries. */
export const Csrf: FC<{ session: DeskSession }> = ({ session }) => (
  <input type="hidden" name="_csrf" value={session.csrf} />
);

/** A labelled text input with its error under it (named by aria-describedby). */
export const TextField: FC<{
  id: string;
  label: string;
  value: string;
  error?: string | undefined;
  name?: string;
  type?: "text" | "tel";
  inputmode?: "numeric";
  required?: boolean;
}> = ({ id, label, value, error, name, type = "text", inputmode, required }) => (
  <div>
    <label for={id}>{label}</label>
    <input
      id={id}
      name={name ?? id}
      type={type}
      inputmode={inputmode}
      required={required}
      value={value}
      {...invalidWhen(error, `${id}-error`)}
    />
    <FieldError id={`${id}-error`} message={error} />
  </div>
);
