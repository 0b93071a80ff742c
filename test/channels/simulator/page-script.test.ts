// The simulator page's script is written inside a TypeScript template literal, where an escape
// meant for the browser ("\n") turns into the character itself and breaks the script: every
// inline script the page serves must parse.
import { Script } from "node:vm";
import { describe, expect, it } from "vitest";
import { createTestParentline } from "../../support/parentline";

const inlineScripts = (html: string) =>
  [...html.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/g)].map((match) => match[1] ?? "");

describe("the simulator page", () => {
  it("serves inline scripts that parse as JavaScript", async () => {
    const app = await createTestParentline();
    const response = await app.app.request("/dev/chat");
    expect(response.status).toBe(200);
    const scripts = inlineScripts(await response.text());
    expect(scripts.length).toBeGreaterThan(0);
    for (const source of scripts) expect(() => new Script(source)).not.toThrow();
  });
});
