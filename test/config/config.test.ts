import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig } from "../../src/config";

describe("parseConfig", () => {
  it("runs with no variables at all in development", () => {
    const config = parseConfig({});
    expect(config).toMatchObject({
      env: "development",
      port: 8787,
      databasePath: "./data/parentline.db",
      simulatorEnabled: true,
      demoData: true,
      usingDevelopmentSecret: true,
    });
  });

  it("requires APP_SECRET in production and turns the simulator and demo data off", () => {
    expect(() => parseConfig({ NODE_ENV: "production" })).toThrow(/APP_SECRET/);
    const config = parseConfig({ NODE_ENV: "production", APP_SECRET: "s".repeat(32) });
    expect(config).toMatchObject({
      simulatorEnabled: false,
      demoData: false,
      usingDevelopmentSecret: false,
    });
    expect(
      parseConfig({ NODE_ENV: "production", APP_SECRET: "s".repeat(32), SIMULATOR: "1" })
        .simulatorEnabled,
    ).toBe(true);
  });

  it("names every bad variable", () => {
    try {
      parseConfig({ PORT: "eighty", DEFAULT_COUNTRY: "usa", APP_SECRET: "short" });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const message = (error as Error).message;
      expect(message).toMatch(/PORT/);
      expect(message).toMatch(/DEFAULT_COUNTRY/);
      expect(message).toMatch(/APP_SECRET: must be at least 32 characters/);
    }
  });

  it("refuses a provider timeout as long as the outbox lease, and defaults within it", () => {
    expect(() => parseConfig({ OUTBOX_LEASE_MS: "5000", TELEGRAM_TIMEOUT_MS: "5000" })).toThrow(
      /TELEGRAM_TIMEOUT_MS: must be shorter than OUTBOX_LEASE_MS \(5000\)/,
    );
    const config = parseConfig({ TWILIO_TIMEOUT_MS: "250" });
    expect(config.channels.twilio.timeoutMs).toBe(250);
    expect(config.channels.telegram.timeoutMs).toBe(10_000);
    expect(config.channels.whatsappCloud.timeoutMs).toBe(10_000);
    // Unset under a short lease, a timeout defaults to half of it.
    const shortLease = parseConfig({ OUTBOX_LEASE_MS: "2000" });
    expect(shortLease.channels.telegram.timeoutMs).toBe(1_000);
  });

  it("holds the WhatsApp gateway's /send timeout to the outbox lease like a provider's", () => {
    expect(() =>
      parseConfig({ OUTBOX_LEASE_MS: "5000", WHATSAPP_GATEWAY_TIMEOUT_MS: "5000" }),
    ).toThrow(/WHATSAPP_GATEWAY_TIMEOUT_MS: must be shorter than OUTBOX_LEASE_MS \(5000\)/);
    expect(parseConfig({ OUTBOX_LEASE_MS: "2000" }).channels.whatsappGateway.timeoutMs).toBe(1_000);
    expect(() => parseConfig({ WHATSAPP_GATEWAY_SECRET: "short" })).toThrow(
      /WHATSAPP_GATEWAY_SECRET: must be at least 32 characters/,
    );
  });

  it("limits a dispatcher run's sends only when OUTBOX_SENDS_PER_RUN is set", () => {
    expect(parseConfig({}).outboxSendsPerRun).toBeUndefined();
    expect(parseConfig({ OUTBOX_SENDS_PER_RUN: "40" }).outboxSendsPerRun).toBe(40);
    expect(() => parseConfig({ OUTBOX_SENDS_PER_RUN: "0" })).toThrow(/OUTBOX_SENDS_PER_RUN/);
    expect(() => parseConfig({ OUTBOX_SENDS_PER_RUN: "2.5" })).toThrow(/OUTBOX_SENDS_PER_RUN/);
  });

  it("treats empty variables as unset", () => {
    expect(parseConfig({ PORT: "", APP_SECRET: "" }).port).toBe(8787);
  });
});
