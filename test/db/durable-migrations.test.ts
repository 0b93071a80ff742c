// The Durable Object applies the same migrations as Node, from drizzle-kit's bundled index: the
// index must name every migration in the journal, each by its own file.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import drizzleConfig from "../../drizzle.config";

const folder = new URL("../../db/migrations/", import.meta.url);
const journal = JSON.parse(readFileSync(new URL("meta/_journal.json", folder), "utf8")) as {
  entries: { idx: number; tag: string }[];
};
const index = readFileSync(new URL("migrations.js", folder), "utf8");

describe("the Durable Object's migrations index", () => {
  it("imports every journal entry's SQL file and lists it", () => {
    for (const { idx, tag } of journal.entries) {
      const name = `m${String(idx).padStart(4, "0")}`;
      expect(index).toContain(`import ${name} from './${tag}.sql';`);
      expect(index).toMatch(new RegExp(`\\b${name}\\b(,|\\s*\\n\\s*\\})`));
    }
    expect(index.match(/^import m\d{4} /gm)).toHaveLength(journal.entries.length);
  });

  it("is rewritten by drizzle-kit generate, because the config names the durable-sqlite driver", () => {
    expect(drizzleConfig).toMatchObject({ driver: "durable-sqlite", out: "./db/migrations" });
  });
});
