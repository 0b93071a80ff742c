import { describe, expect, it } from "vitest";
import { createTestParentline } from "../support/parentline";

const request = (phone: string, ip: string) => ({
  method: "POST",
  headers: { "content-type": "application/json", "x-forwarded-for": `${ip}, 10.0.0.1` },
  body: JSON.stringify({ phone }),
});

describe("sign-in rate limits", () => {
  it("refuse the 11th attempt for one phone in 10 minutes with 429, Retry-After and the envelope", async () => {
    const app = await createTestParentline({ TRUST_PROXY: "1" });
    for (let n = 0; n < 10; n += 1) {
      const ok = await app.app.request(
        "/v1/auth/otp/request",
        request("+14155550190", `192.0.2.${n}`),
      );
      expect(ok.status).toBe(202);
    }
    const refused = await app.app.request(
      "/v1/auth/otp/request",
      request("+14155550190", "192.0.2.99"),
    );
    expect(refused.status).toBe(429);
    expect(refused.headers.get("retry-after")).toBe("600");
    expect(await refused.json()).toEqual({
      error: {
        code: "rate_limited",
        message: "Too many sign-in attempts for this phone; try again in 600 s",
        details: { retryAfterSeconds: 600 },
      },
    });
    // Verify attempts for that phone count too; another phone is unaffected.
    const verify = await app.app.request("/v1/auth/otp/verify", {
      ...request("+14155550190", "192.0.2.98"),
      body: JSON.stringify({ phone: "+14155550190", code: "123456" }),
    });
    expect(verify.status).toBe(429);
    expect(
      (await app.app.request("/v1/auth/otp/request", request("+14155550184", "192.0.2.97"))).status,
    ).toBe(202);
    app.clock.advance(10 * 60_000);
    expect(
      (await app.app.request("/v1/auth/otp/request", request("+14155550190", "192.0.2.96"))).status,
    ).toBe(202);
  });

  it("refuse the 31st attempt from one address in 10 minutes, whatever the phone", async () => {
    const app = await createTestParentline({ TRUST_PROXY: "1" });
    for (let n = 0; n < 30; n += 1) {
      const phone = `+1415555${String(1000 + n).padStart(4, "0")}`;
      expect(
        (await app.app.request("/v1/auth/otp/request", request(phone, "198.51.100.7"))).status,
      ).toBe(202);
    }
    const refused = await app.app.request(
      "/v1/auth/otp/request",
      request("+14155552000", "198.51.100.7"),
    );
    expect(refused.status).toBe(429);
    expect(((await refused.json()) as { error: { message: string } }).error.message).toContain(
      "from this address",
    );
    expect(
      (await app.app.request("/v1/auth/otp/request", request("+14155552000", "198.51.100.8")))
        .status,
    ).toBe(202);
  });

  it("ignores X-Forwarded-For unless TRUST_PROXY is set", async () => {
    const app = await createTestParentline();
    for (let n = 0; n < 30; n += 1) {
      const phone = `+1415555${String(3000 + n).padStart(4, "0")}`;
      await app.app.request("/v1/auth/otp/request", request(phone, `203.0.113.${n}`));
    }
    // All came from the same (socket) address, whatever the header claimed.
    const refused = await app.app.request(
      "/v1/auth/otp/request",
      request("+14155554000", "203.0.113.200"),
    );
    expect(refused.status).toBe(429);
  });
});
