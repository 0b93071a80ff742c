// Every refusal comes in the one envelope { error: { code, message, details? } } with the right
// status, and no body ever carries a stack trace or a raw "Error:" text.
import { beforeAll, describe, expect, it } from "vitest";
import { MAX_BODY_BYTES } from "../../src/app";
import { createTestParentline, signInStaff, type TestParentline } from "../support/parentline";

const TEACHER_5A = "+14155550184"; // Ms Priya Rao (see /dev/demo)

interface Envelope {
  error: { code: string; message: string; details?: { path: string; message: string }[] };
}

/** A line of a JavaScript stack trace: "    at fn (file.ts:1:2)" or "at file.ts:1:2". */
const STACK_LINE = /(^|\n|\\n)\s*at\s+(\S+\s+\()?[^\s()]+:\d+:\d+/;

/** Reads a response that must be an error envelope with the given status and code. */
async function envelope(response: Response, status: number, code: string): Promise<Envelope> {
  const text = await response.text();
  expect(text).not.toMatch(STACK_LINE);
  expect(text).not.toContain("Error:");
  expect(response.status).toBe(status);
  expect(response.headers.get("content-type")).toContain("application/json");
  const body = JSON.parse(text) as Envelope;
  expect(Object.keys(body)).toEqual(["error"]);
  expect(body.error.code).toBe(code);
  expect(typeof body.error.message).toBe("string");
  expect(body.error.message.length).toBeGreaterThan(0);
  return body;
}

const rawPost = (app: TestParentline, path: string, body: string, headers = {}) =>
  app.app.request(path, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body,
  });

describe("HTTP errors", () => {
  let app: TestParentline;
  let token: string;

  beforeAll(async () => {
    app = await createTestParentline();
    token = await signInStaff(app, TEACHER_5A);
  });

  it("answers an unknown route with a 404 envelope", async () => {
    const body = await envelope(await app.json("GET", "/no/such/route"), 404, "not_found");
    expect(body.error.message).toBe("No route for GET /no/such/route");
    await envelope(await app.json("POST", "/v1/nothing-here", {}), 404, "not_found");
  });

  it("answers malformed JSON with a 400 envelope", async () => {
    for (const path of ["/v1/auth/otp/verify", "/v1/auth/otp/request", "/dev/chat/send"]) {
      const body = await envelope(await rawPost(app, path, '{"phone": '), 400, "bad_request");
      expect(body.error.message).toMatch(/malformed json/i);
    }
  });

  it("refuses a body over 1 MB with a 413 envelope", async () => {
    const huge = JSON.stringify("x".repeat(Math.ceil(MAX_BODY_BYTES * 1.1)));
    const length = { "content-length": String(Buffer.byteLength(huge)) };
    for (const path of ["/v1/auth/otp/request", "/dev/chat/send"]) {
      await envelope(await rawPost(app, path, huge, length), 413, "payload_too_large");
    }
  });

  it("refuses a body over 1 MB that does not declare its length", async () => {
    const huge = JSON.stringify({ address: "+14155550102", text: "x".repeat(MAX_BODY_BYTES) });
    await envelope(await rawPost(app, "/dev/chat/send", huge), 413, "payload_too_large");
  });

  it("lists each invalid field's path in a 422 envelope", async () => {
    const missingPhone = await envelope(
      await app.json("POST", "/v1/auth/otp/request", {}),
      422,
      "validation_failed",
    );
    expect(missingPhone.error.details?.map((d) => d.path)).toEqual(["phone"]);

    const badCode = await envelope(
      await app.json("POST", "/v1/auth/otp/verify", { phone: TEACHER_5A, code: "12ab" }),
      422,
      "validation_failed",
    );
    expect(badCode.error.details).toEqual([{ path: "code", message: "must be the 6-digit code" }]);

    const both = await envelope(
      await app.json("POST", "/v1/auth/otp/verify", { code: 123456 }),
      422,
      "validation_failed",
    );
    expect(both.error.details?.map((d) => d.path).sort()).toEqual(["code", "phone"]);

    const emptyReply = await envelope(
      await app.json("POST", "/v1/tickets/1/replies", { body: "   " }, token),
      422,
      "validation_failed",
    );
    expect(emptyReply.error.details).toEqual([{ path: "body", message: "must not be empty" }]);

    const missingText = await envelope(
      await app.json("POST", "/dev/chat/send", { address: "+14155550102" }),
      422,
      "validation_failed",
    );
    expect(missingText.error.details?.map((d) => d.path)).toEqual(["text"]);
  });

  it("refuses a ticket id that is not a number with 422", async () => {
    const body = await envelope(
      await app.json("GET", "/v1/tickets/abc", undefined, token),
      422,
      "validation_failed",
    );
    expect(body.error.details?.map((d) => d.path)).toEqual(["id"]);
    await envelope(
      await app.json("GET", "/v1/tickets?limit=0", undefined, token),
      422,
      "validation_failed",
    );
    await envelope(
      await app.json("GET", "/v1/tickets?cursor=xyz", undefined, token),
      422,
      "validation_failed",
    );
  });

  it("refuses a simulator send to an address that is not a phone number with 422", async () => {
    const body = await envelope(
      await app.json("POST", "/dev/chat/send", { address: "not-a-phone", text: "hi" }),
      422,
      "validation_failed",
    );
    expect(body.error.details).toEqual([{ path: "address", message: "is not a phone number" }]);
    await envelope(
      await app.json("GET", "/dev/chat/history?address=nope"),
      422,
      "validation_failed",
    );
  });

  it("asks for sign-in with a 401 envelope", async () => {
    await envelope(await app.json("GET", "/v1/tickets"), 401, "unauthorized");
    await envelope(
      await app.json("POST", "/v1/tickets/1/replies", { body: "hi" }),
      401,
      "unauthorized",
    );
  });

  it("hides an unexpected failure behind a generic 500 envelope", async () => {
    const broken = await createTestParentline();
    const brokenToken = await signInStaff(broken, TEACHER_5A);
    broken.db.$client.close();
    const body = await envelope(
      await broken.json("GET", "/v1/tickets", undefined, brokenToken),
      500,
      "internal",
    );
    expect(body.error.message).toBe("Something went wrong on our side. Please try again.");
    expect(body.error.details).toBeUndefined();
  });
});
