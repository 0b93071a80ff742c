// Node only: the desk's assets and the API reference's script, read from disk.
import { readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { gzip } from "node:zlib";
import type { StaticFiles } from "../http/static-files";

const deskAsset = (name: string) =>
  readFileSync(new URL(`../desk/assets/${name}`, import.meta.url), "utf8");

// The package exports neither its package.json nor its browser build: found from its main module.
function scalarPackageRoot(): string {
  return join(dirname(createRequire(import.meta.url).resolve("@scalar/api-reference")), "..");
}

export function nodeStaticFiles(): StaticFiles {
  const packageRoot = scalarPackageRoot();
  const { version } = JSON.parse(readFileSync(join(packageRoot, "package.json"), "utf8")) as {
    version: string;
  };
  /** The package's self-contained browser build (it defines window.Scalar). */
  const standalone = join(packageRoot, "dist", "browser", "standalone.js");
  return {
    desk: { css: deskAsset("desk.css"), js: deskAsset("desk.js") },
    docsScript: {
      version,
      // About 4.8 MB as installed and a quarter of that gzipped.
      async load() {
        const plain = await readFile(standalone);
        return { plain, gzipped: await promisify(gzip)(plain) };
      },
    },
  };
}
