// A tenant's configuration on Workers: the Worker's variables under the tenant's own, its own
// public URL, and keys of its own; its tokens name it and no other tenant (nor Node) reads them.
import { describe, expect, it } from "vitest";
import { ConfigError } from "../../src/config";
import { createSecrets } from "../../src/security";
import { issueAccessToken, readAccessToken } from "../../src/services/staff-auth";
import { tenantConfig } from "../../src/workers/tenant-config";

const env = {
  APP_SECRET: "a-worker-secret-of-at-least-thirty-two-chars",
  WORKER_PUBLIC_URL: "https://parentline.example/",
  TELEGRAM_BOT_TOKEN: "111111:shared-token",
  TENANT_CONFIG_GREENFIELD_EAST: JSON.stringify({ TELEGRAM_BOT_TOKEN: "222222:greenfield-token" }),
  TENANTS: { binding: "not a variable" },
};

describe("a tenant's configuration", () => {
  it("takes the tenant's own variables over the Worker's and its webhooks under /t/{tenant}", () => {
    const config = tenantConfig(env, "greenfield-east");
    expect(config.tenant).toBe("greenfield-east");
    expect(config.publicBaseUrl).toBe("https://parentline.example/t/greenfield-east");
    expect(config.channels.telegram).toMatchObject({
      botToken: "222222:greenfield-token",
      mode: "webhook",
    });
    expect(tenantConfig(env, "riverside").channels.telegram).toMatchObject({
      botToken: "111111:shared-token",
    });
  });

  it.each([
    ["not JSON", '{"TELEGRAM_BOT_TOKEN": "333:secret-token",', "it is not valid JSON"],
    ["a list", '["333:secret-token"]', "it is not an object"],
    [
      "an object in a setting",
      '{"TELEGRAM_BOT_TOKEN": {"t": "333:secret-token"}}',
      "TELEGRAM_BOT_TOKEN: not a string",
    ],
  ])(
    "refuses a TENANT_CONFIG that is %s, naming the variable and never its value",
    (_, own, why) => {
      const read = () => tenantConfig({ ...env, TENANT_CONFIG_RIVERSIDE: own }, "riverside");
      expect(read).toThrow(ConfigError);
      try {
        read();
      } catch (error) {
        expect((error as ConfigError).problems).toEqual([
          `TENANT_CONFIG_RIVERSIDE: not a JSON object of settings (${why})`,
        ]);
        expect((error as Error).message).not.toContain("secret-token");
      }
    },
  );

  it("takes numbers and true/false in a TENANT_CONFIG as a variable's text", () => {
    const config = tenantConfig(
      { ...env, TENANT_CONFIG_RIVERSIDE: JSON.stringify({ OUTBOX_POLL_MS: 750 }) },
      "riverside",
    );
    expect(config.outboxPollMs).toBe(750);
  });

  it("derives each tenant's keys from APP_SECRET and its name", () => {
    const [a, b] = [tenantConfig(env, "a"), tenantConfig(env, "b")];
    expect(a.appSecret).not.toBe(b.appSecret);
    expect(createSecrets(a.appSecret).hash("token-hash", "x")).not.toBe(
      createSecrets(b.appSecret).hash("token-hash", "x"),
    );
  });

  it("refuses a token naming another tenant, or one read where no tenant is served", async () => {
    const secrets = createSecrets(env.APP_SECRET);
    const now = () => Date.parse("2026-12-07T04:00:00Z");
    const token = await issueAccessToken(
      { secrets, now, config: { tenant: "a" } },
      { id: 3 },
      "session-1",
    );
    expect(await readAccessToken({ secrets, now, config: { tenant: "a" } }, token)).toMatchObject({
      staffId: 3,
    });
    expect(await readAccessToken({ secrets, now, config: { tenant: "b" } }, token)).toBeNull();
    expect(await readAccessToken({ secrets, now, config: {} }, token)).toBeNull();
  });
});
