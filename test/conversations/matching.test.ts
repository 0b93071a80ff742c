// What a parent types is taken as they mean it: a child's name (or its start), yes/no in English
// or Spanish, a greeting or thanks at the menu (never a request), a message naming a child.
import { describe, expect, it } from "vitest";
import { createTestParentline, DEMO, verifyParent } from "../support/parentline";

const PARENT = DEMO.parentWithTwoChildren;

async function verified() {
  const app = await createTestParentline();
  await verifyParent(app, PARENT);
  return app;
}

describe("matching what a parent types", () => {
  it("takes a child's first name at the child question and yes at the confirmation", async () => {
    const app = await verified();
    const asked = await app.say(PARENT, "New request");
    const label = asked.body.replies.at(-1)?.options?.[1]?.label ?? "";
    const firstName = label.split(" ")[0] ?? "";
    expect((await app.say(PARENT, firstName)).texts).toEqual(["What is it about?"]);
    await app.say(PARENT, "Academics");
    await app.say(PARENT, "Could we have the spelling list again?");
    const sent = await app.say(PARENT, "yes");
    expect(sent.texts[0]).toMatch(/Your request T-1001 has been sent/);
  });

  it("shows the menu for a greeting and acknowledges thanks, making no request of either", async () => {
    const app = await verified();
    expect((await app.say(PARENT, "hi")).texts).toEqual(["How can I help?"]);
    expect((await app.say(PARENT, "Thanks!")).texts[0]).toMatch(/You're welcome/);
    expect((await app.say(PARENT, "hola")).texts).toEqual(["How can I help?"]);
  });

  it("skips the child question when a free-text message names the child", async () => {
    const app = await verified();
    const asked = await app.say(PARENT, "New request");
    const firstName = (asked.body.replies.at(-1)?.options?.[0]?.label ?? "").split(" ")[0];
    await app.say(PARENT, "menu");
    const next = await app.say(PARENT, `my son ${firstName} was sick today`);
    expect(next.texts).toEqual(["What is it about?"]);
  });
});
