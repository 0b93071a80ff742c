// The desk's session cookie on each runtime: on Node exactly as before (the refresh token alone at
// Path=/staff, so a cookie saved before still opens the desk); on Workers `{tenant}.{token}` at
// Path=/, which a tenant's core reads only when it names that tenant.
import { describe, expect, it } from "vitest";
import {
  deskCookiePath,
  deskCookieValue,
  deskSignInPath,
  refreshTokenInDeskCookie,
  tenantInDeskCookie,
} from "../../src/desk/desk-cookie";
import { codeIn, createTestParentline, STAFF, signInStaffWithTokens } from "../support/parentline";
import { ORIGIN } from "./desk-session";

describe("the desk's cookie on Node", () => {
  it("is set by the sign-in forms at /staff as the refresh token alone, at Path=/staff", async () => {
    const app = await createTestParentline();
    const signInPage = await (await app.app.request(`${ORIGIN}/staff`)).text();
    expect(signInPage).toContain('action="/staff/sign-in/code"');
    const form = (path: string, fields: Record<string, string>) =>
      app.app.request(`${ORIGIN}${path}`, {
        method: "POST",
        headers: { origin: ORIGIN, "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams(fields).toString(),
      });
    const codePage = await (await form("/staff/sign-in/code", { phone: STAFF.rao })).text();
    expect(codePage).toContain('action="/staff/sign-in"');
    await app.dispatcher.dispatchDue();
    const history = (await (
      await app.json("GET", `/dev/chat/history?address=${encodeURIComponent(STAFF.rao)}`)
    ).json()) as { messages: { text: string }[] };
    const code = codeIn(history.messages.map((m) => m.text).slice(-1));
    const signedIn = await form("/staff/sign-in", { phone: STAFF.rao, code, next: "" });
    expect(signedIn.status).toBe(303);
    expect(signedIn.headers.get("location")).toBe("/staff/tickets");
    expect(signedIn.headers.get("set-cookie")).toMatch(
      /^parentline_desk=[\w-]{43}; Max-Age=2592000; Path=\/staff; HttpOnly; SameSite=Lax$/,
    );
  });

  it("still opens the desk with a cookie saved before (a bare refresh token), and signs out to /staff", async () => {
    const app = await createTestParentline();
    const { refreshToken } = await signInStaffWithTokens(app, STAFF.rao);
    const cookie = `parentline_desk=${refreshToken}`;
    const queue = await app.app.request(`${ORIGIN}/staff/tickets`, { headers: { cookie } });
    expect(queue.status).toBe(200);
    const page = await queue.text();
    expect(page).toContain('data-sign-in="/staff"');
    const csrf = page.match(/name="_csrf" value="([0-9a-f]+)"/)?.[1] ?? "";
    const signedOut = await app.app.request(`${ORIGIN}/staff/sign-out`, {
      method: "POST",
      headers: { cookie, origin: ORIGIN, "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ _csrf: csrf }).toString(),
    });
    expect(signedOut.headers.get("location")).toBe("/staff");
    expect(signedOut.headers.get("set-cookie")).toMatch(/^parentline_desk=; .*Path=\/staff/);
    const after = await app.app.request(`${ORIGIN}/staff/tickets`, { headers: { cookie } });
    expect(after.headers.get("location")).toBe("/staff?next=%2Fstaff%2Ftickets");
  });
});

describe("the desk's cookie on Workers", () => {
  const workers = { tenant: "greenfield" };
  const node = {};

  it("names the tenant, at Path=/ so the sign-in link /t/{tenant}/staff sees it too", () => {
    expect(deskCookieValue(workers, "abc_DEF-123")).toBe("greenfield.abc_DEF-123");
    expect(deskCookiePath(workers)).toBe("/");
    expect(deskSignInPath(workers)).toBe("/t/greenfield/staff");
    expect(tenantInDeskCookie("greenfield.abc_DEF-123")).toBe("greenfield");
  });

  it("is read by its own tenant's core only", () => {
    expect(refreshTokenInDeskCookie(workers, "greenfield.abc_DEF-123")).toBe("abc_DEF-123");
    for (const other of [
      "riverside.abc_DEF-123",
      "greenfield.",
      "abc_DEF-123",
      "greenfield-east.x",
    ]) {
      expect(refreshTokenInDeskCookie(workers, other)).toBeNull();
    }
  });

  it("leaves Node's as it was", () => {
    expect(deskCookieValue(node, "abc_DEF-123")).toBe("abc_DEF-123");
    expect(deskCookiePath(node)).toBe("/staff");
    expect(deskSignInPath(node)).toBe("/staff");
    expect(refreshTokenInDeskCookie(node, "abc_DEF-123")).toBe("abc_DEF-123");
    expect(tenantInDeskCookie("abc_DEF-123")).toBeUndefined();
  });
});
