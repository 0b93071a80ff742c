// End-to-end servers run on an environment the test spells out: neither a developer's `.env` in
// the server's working directory nor variables exported in their shell change what is tested.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { startServer, stopAllServers } from "../support/server-process";

describe("an end-to-end server's environment", { timeout: 60_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), "parentline-env-"));
  const exported = { SIMULATOR: process.env.SIMULATOR, DEMO_DATA: process.env.DEMO_DATA };

  afterAll(async () => {
    await stopAllServers();
    for (const [name, value] of Object.entries(exported)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it("ignores a .env with bad values in its working directory and the test's own variables", async () => {
    // Each of these would stop the start (bad values) or turn the simulator off if it leaked in.
    writeFileSync(
      join(dir, ".env"),
      ["APP_SECRET=too-short", "LOG_LEVEL=loud", "SIMULATOR=0", "DEMO_DATA=0"].join("\n"),
    );
    process.env.SIMULATOR = "0";
    process.env.DEMO_DATA = "0";

    const server = await startServer({ databasePath: join(dir, "parentline.db"), cwd: dir });
    try {
      const health = (await (await fetch(`${server.baseUrl}/health`)).json()) as {
        channels: Record<string, string>;
      };
      expect(health.channels.simulator).toBe("on");
      const demo = await fetch(`${server.baseUrl}/dev/demo`);
      expect(demo.status).toBe(200);
      expect(((await demo.json()) as { schools: unknown[] }).schools.length).toBe(2);
      expect(server.output()).toMatch(/metrics: +\S+\/metrics \(open to anyone/);
    } finally {
      expect(await server.stop()).toBe(0);
    }
  });
});
