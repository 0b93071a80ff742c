// A desk session in-process: the desk's cookie holds a refresh token, so one from the API opens it;
// get and post (with the page's CSRF token and a same-origin header) go through app.request.
import { signInStaffWithTokens, type TestParentline } from "../support/parentline";

export const ORIGIN = "http://localhost";

export async function deskSession(app: TestParentline, phone: string) {
  const { refreshToken } = await signInStaffWithTokens(app, phone);
  const cookie = `parentline_desk=${refreshToken}`;
  const get = (path: string, headers: Record<string, string> = {}) =>
    app.app.request(`${ORIGIN}${path}`, { headers: { cookie, ...headers } });
  const tickets = await (await get("/staff/tickets")).text();
  const csrf = tickets.match(/name="_csrf" value="([0-9a-f]+)"/)?.[1] ?? "";
  const post = (path: string, form: Record<string, string>) =>
    app.app.request(`${ORIGIN}${path}`, {
      method: "POST",
      headers: { cookie, origin: ORIGIN, "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ _csrf: csrf, ...form }).toString(),
    });
  return { get, post, csrf, cookie };
}
