// `wrangler deploy --dry-run` bundles the Worker as a deploy would, with no account: it must build
// with no errors, carry every migration, and fit Workers' script size limit.
import { execFile } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { gzipSync } from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";

/** The paid plan's limit on a Worker after compression (the free plan's is 3 MB). */
const WORKER_SIZE_LIMIT_BYTES = 10 * 1024 * 1024;

const outdir = mkdtempSync(join(tmpdir(), "parentline-worker-"));
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

describe("the Worker's bundle", () => {
  it("builds with wrangler deploy --dry-run, with every migration and within the size limit", async () => {
    const { stderr } = await promisify(execFile)(
      "npx",
      ["wrangler", "deploy", "--dry-run", "--outdir", outdir],
      { env: { ...process.env, WRANGLER_SEND_METRICS: "false" } },
    );
    expect(stderr).not.toMatch(/✘|\[ERROR\]/);
    const files = readdirSync(outdir);
    const migrations = readdirSync(new URL("../../db/migrations/", import.meta.url)).filter(
      (name) => name.endsWith(".sql"),
    );
    for (const migration of migrations) {
      expect(files.some((file) => file.endsWith(`-${migration}`))).toBe(true);
    }
    const bundle = files
      .filter((file) => !file.endsWith(".map"))
      .map((file) => readFileSync(join(outdir, file)));
    const gzipped = bundle.reduce((total, file) => total + gzipSync(file).length, 0);
    expect(gzipped).toBeLessThan(WORKER_SIZE_LIMIT_BYTES);
  }, 120_000);
});
