// A .env file fills in what the environment leaves unset, and a missing one changes nothing.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config";
import { loadEnvFile } from "../../src/node/env-file";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function envFile(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), "parentline-env-"));
  dirs.push(dir);
  const path = join(dir, ".env");
  writeFileSync(path, text);
  return path;
}

describe("a .env file", () => {
  it("fills in the variables the environment does not set; the environment wins", () => {
    const path = envFile(
      '# copied from .env.example\nPORT=4100\nDEFAULT_COUNTRY=GB\nLOG_LEVEL="debug"\n',
    );
    const env: Record<string, string | undefined> = { NODE_ENV: "test", PORT: "5000" };
    expect(loadEnvFile(path, env)).toBe(true);
    expect(env).toEqual({
      NODE_ENV: "test",
      PORT: "5000",
      DEFAULT_COUNTRY: "GB",
      LOG_LEVEL: "debug",
    });
    expect(parseConfig(env)).toMatchObject({ port: 5000, logLevel: "debug" });
  });

  it("changes nothing when there is none", () => {
    const env = { NODE_ENV: "test" };
    expect(loadEnvFile(join(tmpdir(), "no-such-dir", ".env"), env)).toBe(false);
    expect(env).toEqual({ NODE_ENV: "test" });
  });
});
