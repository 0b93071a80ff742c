// Walks every /v1 route in the OpenAPI document (so a new route cannot be forgotten): without a
// token each is 401 unless it is one of the sign-in routes; with another school's staff, every id
// of this school is 404 and no list shows this school's data.
import { describe, expect, it } from "vitest";
import { DEFAULT_LIMITS } from "../../src/domain";
import {
  createTestParentline,
  DEMO,
  signInStaff,
  type TestParentline,
  verifyParent,
} from "../support/parentline";

const PUBLIC = new Set([
  "post /v1/auth/otp/request",
  "post /v1/auth/otp/verify",
  "post /v1/auth/refresh",
  "post /v1/auth/logout",
]);

/** A body each write route accepts, so the request gets past validation to the access checks. */
const BODIES: Record<string, unknown> = {
  "post /v1/tickets/{id}/replies": { body: "Hello" },
  "post /v1/tickets/{id}/notes": { body: "Note" },
  "patch /v1/tickets/{id}": { priority: "urgent" },
  "post /v1/guardians/{id}/flag": { reason: "Testing isolation" },
  "post /v1/canned-replies": { title: "Matrix", body: "Body" },
  "patch /v1/canned-replies/{id}": { body: "Changed" },
  "put /v1/school/guardrails": DEFAULT_LIMITS,
};

interface OpenApi {
  paths: Record<string, Record<string, unknown>>;
}

async function routes(app: TestParentline) {
  const doc = (await (await app.json("GET", "/v1/openapi.json")).json()) as OpenApi;
  return Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.keys(methods).map((method) => ({ method, path, key: `${method} ${path}` })),
  );
}

/** Greenfield's ids for each kind of resource in a path. */
async function greenfieldIds(app: TestParentline) {
  await verifyParent(app, DEMO.parentWithOneChild);
  for (const text of ["New request", "Academics", "A question", "Send"])
    await app.say(DEMO.parentWithOneChild, text);
  const admin = await signInStaff(app, "+14155550190");
  const canned = (await (
    await app.json("POST", "/v1/canned-replies", { title: "Greenfield only", body: "x" }, admin)
  ).json()) as { id: number };
  return { tickets: 1, guardians: 2, "canned-replies": canned.id } as Record<string, number>;
}

const fill = (path: string, ids: Record<string, number>) =>
  path.replace(
    /\/v1\/([a-z-]+)\/\{id\}/,
    (_whole, kind: string) => `/v1/${kind}/${ids[kind] ?? 1}`,
  );

describe("every /v1 route", () => {
  it("needs a token unless it signs in", async () => {
    const app = await createTestParentline();
    const all = await routes(app);
    expect(all.length).toBeGreaterThan(20);
    for (const route of all) {
      if (PUBLIC.has(route.key)) continue;
      const response = await app.json(
        route.method.toUpperCase(),
        fill(route.path, {}),
        BODIES[route.key],
      );
      expect([route.key, response.status]).toEqual([route.key, 401]);
    }
  });

  it("keeps one school's data from another school's staff", async () => {
    const app = await createTestParentline();
    const ids = await greenfieldIds(app);
    const riverside = await signInStaff(app, "+12125550190");
    for (const route of await routes(app)) {
      if (PUBLIC.has(route.key)) continue;
      const response = await app.json(
        route.method.toUpperCase(),
        fill(route.path, ids),
        BODIES[route.key],
        riverside,
      );
      const text = await response.text();
      if (route.path.includes("{id}")) {
        expect([route.key, response.status]).toEqual([route.key, 404]);
      } else {
        expect([route.key, response.status < 500]).toEqual([route.key, true]);
      }
      // Nothing of Greenfield's shows up in what Riverside staff get back.
      expect([route.key, /Greenfield|Michael Barnes|\+1415/.test(text)]).toEqual([
        route.key,
        false,
      ]);
    }
  });
});
