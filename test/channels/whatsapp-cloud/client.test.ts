// How Graph API failures become the dispatcher's send failures, and how the channel turns on.
import { describe, expect, it } from "vitest";
import { isSignedByMeta, secretsMatch, sendErrorFrom } from "../../../bots/whatsapp-cloud";
import { createTestParentline } from "../../support/parentline";
import { APP_SECRET, fixture, signatureOf, WHATSAPP_ENV } from "./support";

const graphError = (code: number) => ({ error: { code, message: `(#${code})` } });

describe("Graph API failures", () => {
  it.each([
    { status: 429, body: fixture("send-error-rate-limit"), failure: "rate_limited", wait: 2_000 },
    { status: 400, body: fixture("send-error-rate-limit"), failure: "rate_limited", wait: 2_000 },
    { status: 400, body: graphError(131056), failure: "rate_limited", wait: 6_000 },
    { status: 400, body: graphError(80007), failure: "rate_limited", wait: 60_000 },
    { status: 429, body: null, failure: "rate_limited", wait: 2_000 },
    { status: 400, body: fixture("send-error-re-engagement"), failure: "outside_window" },
    { status: 400, body: graphError(131026), failure: "rejected" },
    { status: 400, body: graphError(100), failure: "rejected" },
    { status: 400, body: graphError(131050), failure: "rejected" },
    { status: 404, body: null, failure: "rejected" },
    { status: 500, body: graphError(131000), failure: "transient" },
    { status: 503, body: null, failure: "transient" },
    { status: 400, body: graphError(131016), failure: "transient" },
    { status: 401, body: graphError(190), failure: "transient" },
  ])("HTTP $status with $body.error.code is $failure", ({ status, body, failure, wait }) => {
    const error = sendErrorFrom(status, body);
    expect(error.failure).toBe(failure);
    expect(error.details.retryAfterMs).toBe(wait);
    const code = (body as { error?: { code?: number } } | null)?.error?.code;
    expect(error.details.providerCode).toBe(code === undefined ? undefined : String(code));
  });
});

describe("Meta's authenticity checks", () => {
  const body = new TextEncoder().encode(JSON.stringify(fixture("webhook-text")));

  it("accepts the app secret's HMAC of the exact bytes and nothing else", () => {
    const text = new TextDecoder().decode(body);
    expect(isSignedByMeta(body, signatureOf(text), APP_SECRET)).toBe(true);
    expect(
      isSignedByMeta(body, signatureOf(text).toUpperCase().replace("SHA256", "sha256"), APP_SECRET),
    ).toBe(true);
    expect(isSignedByMeta(body, signatureOf(text, "another-secret"), APP_SECRET)).toBe(false);
    expect(isSignedByMeta(body, signatureOf(`${text} `), APP_SECRET)).toBe(false);
    expect(isSignedByMeta(body, signatureOf(text).replace("sha256=", "sha1="), APP_SECRET)).toBe(
      false,
    );
    expect(isSignedByMeta(body, "sha256=abc", APP_SECRET)).toBe(false);
    expect(isSignedByMeta(body, undefined, APP_SECRET)).toBe(false);
  });

  it("matches the verify token exactly", () => {
    expect(secretsMatch("token", "token")).toBe(true);
    expect(secretsMatch("token ", "token")).toBe(false);
    expect(secretsMatch("", "token")).toBe(false);
  });
});

describe("turning the WhatsApp Cloud channel on", () => {
  it("is off, naming what is missing, until its four variables are set", async () => {
    expect((await createTestParentline()).channelStates()["whatsapp-cloud"]).toBe(
      "off: missing WHATSAPP_CLOUD_TOKEN, WHATSAPP_CLOUD_PHONE_NUMBER_ID, WHATSAPP_CLOUD_APP_SECRET, WHATSAPP_CLOUD_VERIFY_TOKEN",
    );
    const { WHATSAPP_CLOUD_APP_SECRET: _secret, ...withoutSecret } = WHATSAPP_ENV;
    const partial = await createTestParentline(withoutSecret);
    expect(partial.channelStates()["whatsapp-cloud"]).toBe(
      "off: missing WHATSAPP_CLOUD_APP_SECRET",
    );
    expect((await partial.app.request("/webhooks/whatsapp")).status).toBe(404);

    expect((await createTestParentline(WHATSAPP_ENV)).channelStates()["whatsapp-cloud"]).toBe("on");
  });

  it("is off with a clear reason when the template setting cannot be a template name", async () => {
    const app = await createTestParentline({
      ...WHATSAPP_ENV,
      WHATSAPP_CLOUD_TEMPLATE: "Parent line",
    });
    expect(app.channelStates()["whatsapp-cloud"]).toMatch(/^off: WHATSAPP_CLOUD_TEMPLATE must be/);
  });
});
