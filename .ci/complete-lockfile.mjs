// Completes package-lock.json with the platform-specific optional packages (esbuild, rollup and
// biome binaries for other systems) that this machine's npm registry does not serve. npm can only
// record what it can fetch, yet `npm ci` refuses a lock that lacks them ("Missing: … from lock
// file"; npm/cli#4828, #8320). A stub entry { version, optional } satisfies it, and npm skips the
// package on a platform it does not fit. Idempotent; run it after changing dependencies.
import { readFileSync, writeFileSync } from "node:fs";

const path = new URL("../package-lock.json", import.meta.url);
const lock = JSON.parse(readFileSync(path, "utf8"));
const exactVersion = /^\d+\.\d+\.\d+(-[\w.]+)?$/;
let added = 0;

for (const [location, entry] of Object.entries(lock.packages)) {
  for (const [name, range] of Object.entries(entry.optionalDependencies ?? {})) {
    const nested = `${location ? `${location}/` : ""}node_modules/${name}`;
    const hoisted = `node_modules/${name}`;
    if (lock.packages[nested] || lock.packages[hoisted]) continue;
    if (!exactVersion.test(range)) {
      console.warn(`skipped ${name}@${range}: not an exact version`);
      continue;
    }
    lock.packages[hoisted] = {
      version: range,
      ...(entry.dev ? { dev: true } : {}),
      optional: true,
    };
    added += 1;
  }
}

lock.packages = Object.fromEntries(
  Object.entries(lock.packages).sort(([a], [b]) =>
    a === "" ? -1 : b === "" ? 1 : a.localeCompare(b),
  ),
);
writeFileSync(path, `${JSON.stringify(lock, null, 2)}\n`);
console.log(`package-lock.json: ${added} platform stub(s) added`);
