import { describe, expect, it } from "vitest";
import { createTestParentline } from "../support/parentline";

const request = (phone: string, ip: string) => ({
  method: "POST",
  headers: { "content-type": "application/json", "x-forwarded-for": `${ip}, 10.0.0.1` },
  body: JSON.stringify({ phone }),
});

describe("sign-in rate limits", () => {
  it("refuse the 11th attempt for one phone from one address in 10 minutes with 429, Retry-After and the envelope", async () => {
    const app = await createTestParentline({ TRUST_PROXY: "1" });
    for (let n = 0; n < 10; n += 1) {
      const ok = await app.app.request(
        "/v1/auth/otp/request",
        request("+14155550190", "192.0.2.1"),
      );
      expect(ok.status).toBe(202);
    }
    const refused = await app.app.request(
      "/v1/auth/otp/request",
      request("+14155550190", "192.0.2.1"),
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
    // Verify attempts for that phone from that address count too…
    const verify = await app.app.request("/v1/auth/otp/verify", {
      ...request("+14155550190", "192.0.2.1"),
      body: JSON.stringify({ phone: "+14155550190", code: "123456" }),
    });
    expect(verify.status).toBe(429);
    // …however the phone is written: the count is the normalized phone's.
    for (const written of ["4155550190", "14155550190", "(415) 555-0190"])
      expect(
        (await app.app.request("/v1/auth/otp/request", request(written, "192.0.2.1"))).status,
      ).toBe(429);
    // The phone's owner, from another address, is not held back; another phone is unaffected.
    expect(
      (await app.app.request("/v1/auth/otp/request", request("+14155550190", "192.0.2.2"))).status,
    ).toBe(202);
    expect(
      (await app.app.request("/v1/auth/otp/request", request("+14155550184", "192.0.2.1"))).status,
    ).toBe(202);
    app.clock.advance(10 * 60_000);
    expect(
      (await app.app.request("/v1/auth/otp/request", request("+14155550190", "192.0.2.1"))).status,
    ).toBe(202);
  });

  it("refuse the 31st attempt for one phone in 10 minutes, from however many addresses", async () => {
    const app = await createTestParentline({ TRUST_PROXY: "1" });
    for (let n = 0; n < 30; n += 1) {
      // Written three ways, from thirty addresses: still one phone.
      const written = ["+14155550190", "4155550190", "14155550190"][n % 3] as string;
      const ok = await app.app.request("/v1/auth/otp/request", request(written, `192.0.2.${n}`));
      expect(ok.status).toBe(202);
    }
    const refused = await app.app.request(
      "/v1/auth/otp/request",
      request("+14155550190", "192.0.2.99"),
    );
    expect(refused.status).toBe(429);
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

  it("count an IPv6 client by its /64, the network one subscriber is given", async () => {
    const app = await createTestParentline({ TRUST_PROXY: "1" });
    for (let n = 0; n < 30; n += 1) {
      const phone = `+1415555${String(5000 + n).padStart(4, "0")}`;
      const ok = await app.app.request(
        "/v1/auth/otp/request",
        request(phone, `2001:db8:1:2::${n}`),
      );
      expect(ok.status).toBe(202);
    }
    const sameNetwork = request("+14155556000", "2001:db8:1:2:ffff:ffff:ffff:ffff");
    expect((await app.app.request("/v1/auth/otp/request", sameNetwork)).status).toBe(429);
    const nextNetwork = request("+14155556000", "2001:db8:1:3::1");
    expect((await app.app.request("/v1/auth/otp/request", nextNetwork)).status).toBe(202);
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
