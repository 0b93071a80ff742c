// A saved conversation the machine cannot load (a newer or unknown version, or a snapshot that
// does not restore) answers 200 (say throws on any other status): the parent hears an apology in their language, lands on the menu if they
// were verified, and what they typed is handled by the fresh conversation, never a 500.
import { Writable } from "node:stream";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { schema } from "../../db";
import { PARENT_MACHINE } from "../../flows/parent";
import { createLogger } from "../../src/logger";
import {
  createTestParentline,
  DEMO,
  type TestParentline,
  verifyParent,
} from "../support/parentline";

const PARENT = DEMO.parentWithOneChild; // Michael Barnes, Chloe in 5A
const SORRY_EN = "Sorry, we had to restart our conversation.";
const SORRY_ES = "Disculpe, tuvimos que reiniciar nuestra conversación.";

/** A snapshot of the current version that names a state the machine does not have. */
function breakSnapshot(app: TestParentline) {
  app.db.$client
    .prepare("update conversations set snapshot = json_set(snapshot, '$.value', 'noSuchState')")
    .run();
}

const saveAsNewerVersion = (app: TestParentline) =>
  app.db.$client
    .prepare("update conversations set machine_version = ?")
    .run(PARENT_MACHINE.version + 1);

async function savedConversation(app: TestParentline) {
  const [row] = await app.db.select().from(schema.conversations);
  return row;
}

describe("a saved conversation the machine cannot load, over the simulator", () => {
  it("apologises, keeps a verified parent verified and shows the menu when the snapshot does not restore", async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const app = await createTestParentline({}, { logger: createLogger("warn", sink) });
    await verifyParent(app, PARENT);
    await app.say(PARENT, "New request");
    breakSnapshot(app);

    const next = await app.say(PARENT, "hi");
    expect(next.texts[0]).toContain(SORRY_EN);
    expect(next.texts.at(-1)).toBe("How can I help?");
    expect(next.texts.join(" ")).not.toContain("code");
    expect(await app.db.select().from(schema.otpCodes)).toHaveLength(1);
    const saved = await savedConversation(app);
    expect(saved?.machineVersion).toBe(PARENT_MACHINE.version);
    const warnings = lines.map((line) => JSON.parse(line) as { level: number; msg: string });
    expect(warnings).toContainEqual(
      expect.objectContaining({
        level: 40,
        msg: "saved conversation could not be restored; starting again",
      }),
    );
    expect(saved?.snapshot).toMatchObject({ value: { verified: "menu" } });
  });

  it("handles what the parent typed as the fresh conversation's first words, not dropping it", async () => {
    const app = await createTestParentline();
    await verifyParent(app, PARENT);
    saveAsNewerVersion(app);

    const next = await app.say(PARENT, "Chloe will be late tomorrow, dentist");
    expect(next.texts[0]).toContain(SORRY_EN);
    // The words went on to the request they start, as at the menu: nothing asks for them again.
    expect(next.texts.slice(1)).toEqual([
      "Hello Michael, welcome to Greenfield Primary School's parent line.",
      "What is it about?",
    ]);
    expect((await savedConversation(app))?.snapshot).toMatchObject({
      context: { draft: { text: "Chloe will be late tomorrow, dentist" } },
    });
    const summary = await app.say(PARENT, "Academics");
    expect(summary.texts.join(" ")).toContain("Message: Chloe will be late tomorrow, dentist");
  });

  it("apologises in Spanish to a Spanish-speaking parent", async () => {
    const app = await createTestParentline();
    await verifyParent(app, PARENT);
    await app.db
      .update(schema.guardians)
      .set({ language: "es" })
      .where(eq(schema.guardians.phone, PARENT));
    app.db.$client
      .prepare(
        "update conversations set snapshot = json_set(snapshot, '$.context.guardian.language', 'es')",
      )
      .run();
    breakSnapshot(app);

    const next = await app.say(PARENT, "hola");
    expect(next.texts[0]).toContain(SORRY_ES);
    expect(next.texts.at(-1)).toBe("¿En qué puedo ayudarle?");
  });

  it("starts an unverified person from the beginning, the message as its first input", async () => {
    const app = await createTestParentline();
    await app.say(PARENT, "hi");
    breakSnapshot(app);

    const next = await app.say(PARENT, "hola");
    // "hola" switched the fresh conversation to Spanish; the apology is in the saved language.
    expect(next.texts).toContainEqual(expect.stringContaining(SORRY_EN));
    expect(next.texts.join(" ")).toContain("código");
    expect((await savedConversation(app))?.snapshot).toMatchObject({ value: "awaitingCode" });
  });
});
