// GET /health, the OpenAPI document and docs page, and the simulator pages that exist only where
// the simulator is on.
import { describe, expect, it } from "vitest";
import { createTestParentline } from "../support/parentline";

const PRODUCTION_SECRET = "p".repeat(40);

interface OpenApiDocument {
  openapi: string;
  paths: Record<
    string,
    Record<
      string,
      {
        requestBody?: { content: Record<string, { schema: { $ref?: string } }> };
        responses: Record<string, unknown>;
      }
    >
  >;
  components: { schemas: Record<string, unknown> };
}

describe("GET /health", () => {
  it("reports the service, the database and the simulator as on", async () => {
    const app = await createTestParentline();
    const response = await app.json("GET", "/health");
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      status: "ok",
      database: "ok",
      channels: { simulator: "on" },
    });
  });

  it("answers 503 degraded when the database is unavailable", async () => {
    const app = await createTestParentline();
    app.db.$client.close();
    const response = await app.json("GET", "/health");
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ status: "degraded", database: "unavailable" });
  });
});

describe("the API documentation", () => {
  it("serves an OpenAPI 3.1 document covering every /v1 route with its request schemas", async () => {
    const app = await createTestParentline();
    const response = await app.json("GET", "/v1/openapi.json");
    expect(response.status).toBe(200);
    const doc = (await response.json()) as OpenApiDocument;
    expect(doc.openapi).toBe("3.1.0");
    expect(Object.keys(doc.paths).sort()).toEqual(
      [
        "/v1/auth/otp/request",
        "/v1/auth/otp/verify",
        "/v1/auth/refresh",
        "/v1/auth/logout",
        "/v1/tickets",
        "/v1/tickets/{id}",
        "/v1/tickets/{id}/replies",
        "/v1/tickets/{id}/notes",
        "/v1/guardians/{id}/guardrails",
        "/v1/guardians",
        "/v1/audit",
        "/v1/classes",
        "/v1/students",
        "/v1/staff",
        "/v1/school/guardrails",
        "/v1/school/staff-alerts",
        "/v1/canned-replies",
        "/v1/canned-replies/{id}",
        "/v1/guardians/{id}/flag",
        "/v1/api-keys",
        "/v1/api-keys/{id}",
        "/v1/integrations/events",
        "/v1/integrations/events.csv",
        "/v1/guardrails/check",
        "/v1/classes/{id}",
        "/v1/students/{id}",
        "/v1/guardians/{id}",
        "/v1/staff/{id}",
        "/v1/import/roster",
        "/v1/events",
        "/v1/outbox",
        "/v1/outbox/{id}/retry",
        "/v1/announcements",
        "/v1/announcements/preview",
        "/v1/announcements/{id}",
        "/v1/announcements/{id}/cancel",
        "/v1/guardians/{id}/preferences",
        "/v1/staff/me/alerts",
        "/v1/reports/tickets",
        "/v1/reports/announcements",
        "/v1/exports/tickets.csv",
        "/v1/exports/announcements/{id}/recipients.csv",
        "/v1/jobs",
      ].sort(),
    );
    expect(Object.keys(doc.paths["/v1/tickets"] ?? {})).toEqual(["get"]);
    expect(Object.keys(doc.paths["/v1/tickets/{id}"] ?? {}).sort()).toEqual(["get", "patch"]);

    const requestSchema = (path: string, method: string) =>
      doc.paths[path]?.[method]?.requestBody?.content["application/json"]?.schema.$ref;
    expect(requestSchema("/v1/auth/otp/request", "post")).toBe("#/components/schemas/CodeRequest");
    expect(requestSchema("/v1/auth/otp/verify", "post")).toBe(
      "#/components/schemas/CodeVerification",
    );
    expect(requestSchema("/v1/tickets/{id}/replies", "post")).toBe(
      "#/components/schemas/ReplyRequest",
    );
    expect(requestSchema("/v1/tickets/{id}", "patch")).toBe("#/components/schemas/TicketPatch");
    for (const name of ["CodeRequest", "CodeVerification", "ReplyRequest", "TicketPatch"]) {
      expect(doc.components.schemas).toHaveProperty(name);
    }

    expect(doc.components.schemas.Error).toMatchObject({
      type: "object",
      properties: { error: { type: "object" } },
    });
    const errorResponse = doc.paths["/v1/tickets/{id}"]?.get?.responses["404"];
    expect(JSON.stringify(errorResponse)).toContain("#/components/schemas/Error");
  });

  it("serves the interactive docs page as HTML", async () => {
    const app = await createTestParentline();
    const response = await app.json("GET", "/v1/docs");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/html");
    expect(await response.text()).toContain("/v1/openapi.json");
  });
});

describe("the simulator pages", () => {
  it("serves the chat page in development", async () => {
    const app = await createTestParentline();
    const response = await app.json("GET", "/dev/chat");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/html");
    const page = await response.text();
    expect(page).toMatch(/^<!doctype html>/i);
    expect(page).toContain("<title>Parentline simulator</title>");
  });

  it("is off in production unless SIMULATOR is set", async () => {
    const app = await createTestParentline({
      NODE_ENV: "production",
      APP_SECRET: PRODUCTION_SECRET,
    });
    for (const path of ["/dev/chat", "/dev/demo", "/dev/chat/history?address=%2B14155550102"]) {
      const response = await app.json("GET", path);
      expect(response.status, path).toBe(404);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe("not_found");
    }
    expect(
      (await app.json("POST", "/dev/chat/send", { address: "+14155550102", text: "hi" })).status,
    ).toBe(404);
    const health = (await (await app.json("GET", "/health")).json()) as {
      status: string;
      channels: Record<string, string>;
    };
    expect(health.status).toBe("ok");
    expect(health.channels.simulator).toMatch(/^off/);
    const root = (await (await app.json("GET", "/")).json()) as Record<string, unknown>;
    expect(root).not.toHaveProperty("simulator");
  });

  it("is on in production with SIMULATOR=1", async () => {
    const app = await createTestParentline({
      NODE_ENV: "production",
      APP_SECRET: PRODUCTION_SECRET,
      SIMULATOR: "1",
    });
    const health = (await (await app.json("GET", "/health")).json()) as {
      channels: Record<string, string>;
    };
    expect(health.channels.simulator).toBe("on");
    const page = await app.json("GET", "/dev/chat");
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toContain("text/html");
    expect((await app.json("GET", "/dev/demo")).status).toBe(200);
  });
});
