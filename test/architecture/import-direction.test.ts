// The core's folders import one way, conversations → services → outbox → db → domain: a file that
// imports a folder above its own fails here. Cycles between single modules are biome's
// noImportCycles (biome.json); this catches the back-and-forth between folders that it cannot see.
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** Top first: a folder may import those below it, never one above. */
const LAYERS = ["src/conversations", "src/services", "src/outbox", "db", "src/domain"] as const;

const { options } = ts.parseJsonConfigFileContent(
  ts.readConfigFile(join(ROOT, "tsconfig.json"), ts.sys.readFile).config,
  ts.sys,
  ROOT,
);

const layerOf = (file: string): number =>
  LAYERS.findIndex((layer) => relative(ROOT, file).startsWith(`${layer}/`));

function sourceFilesOf(layer: string): string[] {
  return readdirSync(join(ROOT, layer), { recursive: true, encoding: "utf8" })
    .filter((name) => /\.tsx?$/.test(name) && !name.endsWith(".d.ts"))
    .map((name) => join(ROOT, layer, name));
}

/** Our own files a file imports (type-only imports too), resolved as tsc resolves them. */
function importsOf(file: string): string[] {
  const { importedFiles } = ts.preProcessFile(readFileSync(file, "utf8"), true, true);
  return importedFiles.flatMap(({ fileName }) => {
    const resolved = ts.resolveModuleName(fileName, file, options, ts.sys).resolvedModule;
    return resolved && !resolved.isExternalLibraryImport ? [resolved.resolvedFileName] : [];
  });
}

function folderImports() {
  const upward: string[] = [];
  const downward = new Set<string>();
  for (const layer of LAYERS) {
    for (const file of sourceFilesOf(layer)) {
      const from = layerOf(file);
      for (const target of importsOf(file)) {
        const to = layerOf(target);
        if (to === -1 || to === from) continue;
        if (to < from) upward.push(`${relative(ROOT, file)} → ${relative(ROOT, target)}`);
        else downward.add(`${LAYERS[from]} → ${LAYERS[to]}`);
      }
    }
  }
  return { upward, downward };
}

describe("the core's import direction", () => {
  const { upward, downward } = folderImports();

  it("has no file importing a folder above its own", () => {
    expect(upward).toEqual([]);
  });

  it("sees each folder import the next one down, so the check reads real imports", () => {
    for (const [index, layer] of LAYERS.slice(0, -1).entries()) {
      expect(downward).toContain(`${layer} → ${LAYERS[index + 1]}`);
    }
  });
});
