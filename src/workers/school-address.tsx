// What a browser gets on Workers at /staff/… or /v1/docs when no tenant is named anywhere (no
// /t/{tenant}/ in the path, no desk cookie, as after signing out): what a school's sign-in link
// looks like, and a field for the school's address that goes on to the same page under it.
import type { Context } from "hono";
import { fromDeskScript } from "../desk/session";
import { FieldError, invalidWhen, Layout, Notices } from "../desk/views/layout";
import { renderPage } from "../desk/views/render";
import { TENANT_NAME } from "./tenant-config";

/** The pages a person opens in a browser, as opposed to webhooks and the JSON API. */
export const isBrowserPage = (pathname: string) =>
  pathname === "/staff" || pathname.startsWith("/staff/") || pathname === "/v1/docs";

const FIELD = "school";

interface SchoolAddressProps {
  pathname: string;
  origin: string;
  /** The other query parameters, carried through the form (a sign-in's `next`). */
  carried: [string, string][];
  value: string;
  error?: string | undefined;
  notice?: string | undefined;
}

const SchoolAddressPage = ({
  pathname,
  origin,
  carried,
  value,
  error,
  notice,
}: SchoolAddressProps) => {
  const docs = pathname === "/v1/docs";
  const example = `${origin}/t/your-school${docs ? "/v1/docs" : "/staff"}`;
  return (
    <Layout title={docs ? "Staff API reference" : "Your school's address"}>
      <section class="narrow">
        <h1>{docs ? "The staff API reference" : "Sign in to the staff desk"}</h1>
        <Notices notice={notice} />
        <p>
          Each school has its own {docs ? "address" : "sign-in link"}, from its Parentline admin. It
          looks like <code>{example}</code>.
        </p>
        <form method="get" action={pathname} class="stack">
          {carried.map(([name, carriedValue]) => (
            <input type="hidden" name={name} value={carriedValue} />
          ))}
          <label for={FIELD}>Your school's address</label>
          <input
            id={FIELD}
            name={FIELD}
            autocapitalize="none"
            autocomplete="off"
            spellcheck={false}
            required
            value={value}
            {...invalidWhen(error, `${FIELD}-error`, `${FIELD}-hint`)}
          />
          <p class="hint" id={`${FIELD}-hint`}>
            The name after /t/ in the link, for example greenfield-east.
          </p>
          <FieldError id={`${FIELD}-error`} message={error} />
          <button type="submit">Go on</button>
        </form>
      </section>
    </Layout>
  );
};

/**
 * The page, or with `?school=` the same path under that school's /t/{tenant}/ (303). A name that
 * cannot be a tenant's is said next to the field; nothing is routed anywhere.
 */
export async function schoolAddressResponse(
  c: Context,
  pathname: string,
  invalidName?: string,
): Promise<Response> {
  // The desk's own scripts (fetch or EventSource) get 401, as from the desk.
  if (fromDeskScript(c)) return c.text("Signed out", 401);
  const url = new URL(c.req.url);
  const carried = [...url.searchParams].filter(([name]) => name !== FIELD && name !== "ended");
  const typed = url.searchParams.get(FIELD);
  const page = (status: 200 | 404 | 422, props: Partial<SchoolAddressProps> = {}) =>
    renderPage(
      c,
      <SchoolAddressPage
        pathname={pathname}
        origin={url.origin}
        carried={carried}
        value=""
        {...props}
      />,
      status,
    );
  if (typed !== null) {
    const school = typed.trim().toLowerCase();
    if (!TENANT_NAME.test(school)) {
      return page(422, {
        value: typed,
        error: "Use the name in your sign-in link: lowercase letters, digits and hyphens.",
      });
    }
    const query = new URLSearchParams(carried).toString();
    return c.redirect(`/t/${school}${pathname}${query ? `?${query}` : ""}`, 303);
  }
  const isRead = c.req.method === "GET" || c.req.method === "HEAD";
  return page(isRead && invalidName === undefined ? 200 : 404, {
    ...(invalidName !== undefined
      ? { value: invalidName, error: `“${invalidName}” is not a school's address here.` }
      : {}),
    ...(url.searchParams.has("ended") ? { notice: "You have been signed out." } : {}),
  });
}
