// A tenant's configuration on Workers: the Worker's variables under the tenant's own, its own
// public URL, and keys of its own; its tokens name it and no other tenant (nor Node) reads them.
import { describe, expect, it } from "vitest";
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
