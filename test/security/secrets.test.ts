import { describe, expect, it } from "vitest";
import { createSecrets, digestsEqual, generateCode } from "../../src/security";

describe("secrets", () => {
  const secrets = createSecrets("a".repeat(32));

  it("derives a different key per purpose and per app secret", () => {
    expect(secrets.key("jwt").equals(secrets.key("otp-hash"))).toBe(false);
    expect(createSecrets("b".repeat(32)).hash("otp-hash", "123456")).not.toBe(
      secrets.hash("otp-hash", "123456"),
    );
  });

  it("seals and unseals, and refuses a tampered value", () => {
    const sealed = secrets.seal('{"code":"123456"}');
    expect(sealed).not.toContain("123456");
    expect(secrets.unseal(sealed)).toBe('{"code":"123456"}');
    const [iv, tag, body] = sealed.split(".");
    const tampered = [iv, tag, `${body?.slice(0, -2)}AA`].join(".");
    expect(() => secrets.unseal(tampered)).toThrow();
    expect(() => createSecrets("b".repeat(32)).unseal(sealed)).toThrow();
  });

  it("compares digests in constant time, false for different lengths", () => {
    const digest = secrets.hash("otp-hash", "x");
    expect(digestsEqual(digest, digest)).toBe(true);
    expect(digestsEqual(digest, secrets.hash("otp-hash", "y"))).toBe(false);
    expect(digestsEqual(digest, "abcd")).toBe(false);
  });

  it("generates 6-digit codes", () => {
    const codes = Array.from({ length: 200 }, generateCode);
    for (const code of codes) expect(code).toMatch(/^\d{6}$/);
    expect(new Set(codes).size).toBeGreaterThan(190);
  });
});
