// Every variable Parentline reads is documented where operators look: .env.example and the README.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { CONFIG_VARIABLES } from "../../src/config/config";

const read = (file: string) => readFileSync(new URL(`../../${file}`, import.meta.url), "utf8");

describe("configuration documentation", () => {
  it("lists every variable in .env.example and in the README", () => {
    const example = read(".env.example");
    const readme = read("README.md");
    expect(CONFIG_VARIABLES.length).toBeGreaterThan(30);
    const missingFromExample = CONFIG_VARIABLES.filter(
      (name) => !new RegExp(`^${name}=`, "m").test(example),
    );
    const missingFromReadme = CONFIG_VARIABLES.filter((name) => !readme.includes(`\`${name}\``));
    expect({ missingFromExample, missingFromReadme }).toEqual({
      missingFromExample: [],
      missingFromReadme: [],
    });
  });
});
