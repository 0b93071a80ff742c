import { describe, expect, it } from "vitest";
import { normalizePhone } from "../../src/domain";
import { maskPhone } from "../../src/logger";

describe("normalizePhone", () => {
  it.each([
    ["+14155550123", "+14155550123"],
    ["+1 (415) 555-0123", "+14155550123"],
    ["415 555 0123", "+14155550123"],
    ["14155550123", "+14155550123"],
    [" +44 20 7946 0958 ", "+442079460958"],
  ])("normalizes %j to E.164", (input, expected) => {
    expect(normalizePhone(input, "US")).toBe(expected);
  });

  it("uses the default country for national numbers", () => {
    expect(normalizePhone("020 7946 0958", "GB")).toBe("+442079460958");
  });

  it.each(["", "hello", "12", "+1 555", "123456"])("refuses %j", (input) => {
    expect(normalizePhone(input, "US")).toBeNull();
  });
});

describe("maskPhone", () => {
  it("keeps the country prefix and last four digits only", () => {
    expect(maskPhone("+14155550123")).toBe("+1•••••0123");
  });
});
