// The Worker's routing rules, in-process over a stand-in namespace: which tenant's object a
// request reaches (path, then bearer token, then desk cookie), what a browser gets at /staff/… or
// /v1/docs with no tenant named, that nothing is forwarded when no tenant is, and that in
// production only the tenants the deployment serves are.
import { describe, expect, it } from "vitest";
import { servedTenants } from "../../src/workers/served-tenants";
import { TENANT_HEADER } from "../../src/workers/tenant-config";
import type { TenantNamespace } from "../../src/workers/tenant-routing";
import { workerApp } from "../../src/workers/worker-app";

const ORIGIN = "https://parentline.example";

/** Records each request an object gets and answers which tenant it is. */
function standInTenants(env: Record<string, unknown> = { NODE_ENV: "development" }) {
  const received: { tenant: string; path: string; header: string | null; cookie: string | null }[] =
    [];
  const namespace: TenantNamespace = {
    idFromName: (name) => name,
    get: (id) => ({
      async fetch(request) {
        const url = new URL(request.url);
        received.push({
          tenant: String(id),
          path: url.pathname + url.search,
          header: request.headers.get(TENANT_HEADER),
          cookie: request.headers.get("cookie"),
        });
        return new Response(`tenant ${String(id)}`);
      },
    }),
  };
  const app = workerApp(
    namespace,
    { css: "body { color: black }", js: "// desk" },
    servedTenants(env),
  );
  const request = (path: string, init: RequestInit = {}) => app.request(`${ORIGIN}${path}`, init);
  return { received, request };
}

/** An unsigned JWT with this `ten` claim: the Worker reads it, the object verifies it. */
const bearerFor = (tenant: string) =>
  `Bearer e30.${btoa(JSON.stringify({ ten: tenant })).replaceAll("=", "")}.signature`;

describe("routing to a tenant's object", () => {
  it("sends /t/{tenant}/staff to that tenant with the prefix removed, naming it in its own header", async () => {
    const { received, request } = standInTenants();
    const response = await request("/t/greenfield/staff?next=%2Fstaff%2Ftickets", {
      headers: { [TENANT_HEADER]: "riverside" },
    });
    await expect(response.text()).resolves.toBe("tenant greenfield");
    expect(received).toEqual([
      {
        tenant: "greenfield",
        path: "/staff?next=%2Fstaff%2Ftickets",
        header: "greenfield",
        cookie: null,
      },
    ]);
  });

  it("sends the desk's own /staff/… links by the tenant its cookie names", async () => {
    const { received, request } = standInTenants();
    const cookie = "parentline_desk=greenfield.c2Vzc2lvbi10b2tlbg";
    for (const path of ["/staff/tickets", "/staff/events", "/staff", "/v1/docs"]) {
      await request(path, { headers: { cookie } });
    }
    expect(received.map(({ tenant, path }) => `${tenant} ${path}`)).toEqual([
      "greenfield /staff/tickets",
      "greenfield /staff/events",
      "greenfield /staff",
      "greenfield /v1/docs",
    ]);
    expect(received[0]?.cookie).toBe(cookie);
  });

  it("takes the path's tenant over a cookie's, and a bearer token's over a cookie's", async () => {
    const { received, request } = standInTenants();
    const cookie = "parentline_desk=greenfield.token";
    await request("/t/riverside/staff/tickets", { headers: { cookie } });
    await request("/v1/tickets", { headers: { cookie, authorization: bearerFor("hillside") } });
    expect(received.map(({ tenant, path }) => `${tenant} ${path}`)).toEqual([
      "riverside /staff/tickets",
      "hillside /v1/tickets",
    ]);
  });

  it("serves the desk's stylesheet and script itself: the sign-in page has no cookie yet", async () => {
    const { received, request } = standInTenants();
    const css = await request("/staff/assets/desk.css");
    expect(css.status).toBe(200);
    expect(css.headers.get("content-type")).toBe("text/css; charset=utf-8");
    await expect(css.text()).resolves.toBe("body { color: black }");
    expect((await request("/staff/assets/desk.js")).status).toBe(200);
    expect(received).toEqual([]);
  });
});

describe("a browser page with no tenant named", () => {
  it("shows what a school's sign-in link looks like and asks for the school's address", async () => {
    const { received, request } = standInTenants();
    const response = await request("/staff");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/html/);
    expect(response.headers.get("content-security-policy")).toContain("default-src 'self'");
    const html = await response.text();
    expect(html).toContain("Sign in to the staff desk");
    expect(html).toContain(`${ORIGIN}/t/your-school/staff`);
    expect(html).toMatch(/<label for="school">Your school&#39;s address<\/label>/);
    expect(received).toEqual([]);
  });

  it("goes on to the same page under the school's address, keeping where sign-in returns to", async () => {
    const { received, request } = standInTenants();
    const response = await request(
      "/staff?next=%2Fstaff%2Ftickets%2FT-1001&school=%20Greenfield-East%20",
    );
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe(
      "/t/greenfield-east/staff?next=%2Fstaff%2Ftickets%2FT-1001",
    );
    const docs = await request("/v1/docs?school=greenfield");
    expect(docs.headers.get("location")).toBe("/t/greenfield/v1/docs");
    expect(received).toEqual([]);
  });

  it("says next to the field when the address cannot be a school's, and routes nowhere", async () => {
    const { received, request } = standInTenants();
    const typed = await request("/staff?school=..%2Fadmin");
    expect(typed.status).toBe(422);
    const html = await typed.text();
    expect(html).toContain("lowercase letters, digits and hyphens");
    expect(html).toContain('aria-invalid="true"');
    const inPath = await request("/t/Green%20Field/staff/tickets");
    expect(inPath.status).toBe(404);
    await expect(inPath.text()).resolves.toContain(
      "“Green Field” is not a school&#39;s address here.",
    );
    const malformed = await request("/t/%E0%A4%A/staff");
    expect(malformed.status).toBe(404);
    await expect(malformed.text()).resolves.toContain("“%E0%A4%A” is not a school");
    expect(received).toEqual([]);
  });

  it("tells a signed-out desk so, and answers its scripts 401 as the desk does", async () => {
    const { received, request } = standInTenants();
    await expect((await request("/staff?ended=1")).text()).resolves.toContain(
      "You have been signed out.",
    );
    const stream = await request("/staff/events", { headers: { accept: "text/event-stream" } });
    expect(stream.status).toBe(401);
    const fragment = await request("/staff/tickets", { headers: { "x-desk-fragment": "queue" } });
    expect(fragment.status).toBe(401);
    const cookieOfNoTenant = await request("/staff/tickets", {
      headers: { cookie: "parentline_desk=Not_A.Tenant" },
    });
    expect(cookieOfNoTenant.status).toBe(200);
    await expect(cookieOfNoTenant.text()).resolves.toContain("Your school&#39;s address");
    expect(received).toEqual([]);
  });

  it("refuses a form posted with no tenant, changing nothing anywhere", async () => {
    const { received, request } = standInTenants();
    const response = await request("/staff/sign-out", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: ORIGIN },
      body: "_csrf=x",
    });
    expect(response.status).toBe(404);
    expect(received).toEqual([]);
  });

  it("keeps the JSON 404 for the API and webhooks", async () => {
    const { received, request } = standInTenants();
    for (const path of ["/v1/tickets", "/webhooks/telegram", "/t/Bad_Name/v1/tickets"]) {
      const response = await request(path, {
        method: path.startsWith("/webhooks") ? "POST" : "GET",
      });
      expect(response.status).toBe(404);
      await expect(response.json()).resolves.toMatchObject({ error: { code: "tenant_not_found" } });
    }
    expect(received).toEqual([]);
  });
});

describe("in production, only the tenants the deployment serves", () => {
  const PRODUCTION = {
    NODE_ENV: "production",
    TENANT_NAMES: "riverside, hillside",
    TENANT_CONFIG_GREENFIELD_EAST: '{"TELEGRAM_BOT_TOKEN":"1:x"}',
  };

  it("forwards to a tenant named in TENANT_NAMES or given a TENANT_CONFIG_<TENANT>", async () => {
    const { received, request } = standInTenants(PRODUCTION);
    await request("/t/riverside/health");
    await request("/t/hillside/webhooks/telegram", { method: "POST" });
    await request("/t/greenfield-east/staff");
    await request("/v1/tickets", { headers: { authorization: bearerFor("riverside") } });
    expect(received.map(({ tenant, path }) => `${tenant} ${path}`)).toEqual([
      "riverside /health",
      "hillside /webhooks/telegram",
      "greenfield-east /staff",
      "riverside /v1/tickets",
    ]);
  });

  it("answers any other name 404 from the Worker, so no object is ever made for it", async () => {
    const { received, request } = standInTenants(PRODUCTION);
    for (const [path, init] of [
      ["/t/greenfeld-east/health", {}],
      ["/t/random-1234/webhooks/telegram", { method: "POST" }],
      ["/v1/tickets", { headers: { authorization: bearerFor("removed") } }],
    ] as const) {
      const response = await request(path, init);
      expect(response.status, path).toBe(404);
      await expect(response.json()).resolves.toMatchObject({
        error: { code: "tenant_not_found", message: expect.stringMatching(/No tenant named “/) },
      });
    }
    expect(received).toEqual([]);
  });

  it("tells a browser that a mistyped sign-in link is no school's address", async () => {
    const { received, request } = standInTenants(PRODUCTION);
    const typo = await request("/t/greenfeld-east/staff");
    expect(typo.status).toBe(404);
    await expect(typo.text()).resolves.toContain(
      "“greenfeld-east” is not a school&#39;s address here.",
    );
    const removed = await request("/staff/tickets", {
      headers: { cookie: "parentline_desk=removed.token" },
    });
    expect(removed.status).toBe(200);
    await expect(removed.text()).resolves.toContain("Your school&#39;s address");
    expect(received).toEqual([]);
  });

  it("forwards nothing while TENANT_NAMES holds a name that cannot be a tenant's", async () => {
    const { received, request } = standInTenants({
      ...PRODUCTION,
      TENANT_NAMES: "riverside Hill_Side",
    });
    const response = await request("/t/riverside/health");
    expect(response.status).toBe(503);
    await expect(response.json()).resolves.toEqual({
      error: {
        code: "worker_misconfigured",
        message: "The Worker's list of tenants cannot be read: fix these variables, then deploy",
        details: [
          "TENANT_NAMES: “Hill_Side” is not a tenant name",
          "a tenant name is lowercase letters, digits and hyphens",
        ],
      },
    });
    expect((await request("/staff/assets/desk.css")).status).toBe(200);
    expect(received).toEqual([]);
  });

  it("serves any well-formed name in development, as npm run dev:worker runs", async () => {
    const { received, request } = standInTenants({ NODE_ENV: "development" });
    await request("/t/anything-at-all/health");
    expect(received.map(({ tenant }) => tenant)).toEqual(["anything-at-all"]);
  });
});
