// A Spanish-speaking parent reads nothing in English: the one-time code's message, who has their
// request, and the announcements that name their children.
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { schema } from "../../db";
import { linkAllBySimulator } from "../announcements/support";
import {
  createTestParentline,
  DEMO,
  STAFF,
  signInStaff,
  verifyParent,
} from "../support/parentline";

const PARENT = DEMO.parentWithOneChild; // Michael Barnes, Chloe in 5A at Greenfield
const NOON = Date.parse("2026-11-23T20:00:00Z");

const codeMessages = async (app: Awaited<ReturnType<typeof createTestParentline>>) =>
  (await app.db.select().from(schema.outbox).where(eq(schema.outbox.kind, "otp"))).map(
    (row) => row.body,
  );

describe("a Spanish-speaking parent", () => {
  it("gets the code's own message in Spanish after writing 'hola' first", async () => {
    const app = await createTestParentline();
    await app.say(PARENT, "hola");
    expect(await codeMessages(app)).toEqual([
      "Su código de Parentline es {code}. Caduca en 10 minutos. No lo comparta con nadie.",
    ]);
  });

  it("gets the code in the language on the guardian's record when they switch to none", async () => {
    const app = await createTestParentline();
    await app.db
      .update(schema.guardians)
      .set({ language: "es" })
      .where(eq(schema.guardians.phone, PARENT));
    await app.say(PARENT, "hi");
    expect((await codeMessages(app))[0]).toMatch(/^Su código de Parentline es \{code\}/);
  });

  it("hears who has their request in Spanish", async () => {
    const app = await createTestParentline();
    await verifyParent(app, PARENT);
    await app.say(PARENT, "Language");
    await app.say(PARENT, "Español");
    await app.say(PARENT, "Nueva consulta");
    await app.say(PARENT, "Académico");
    await app.say(PARENT, "Chloe necesita ayuda con matemáticas");
    const sent = (await app.say(PARENT, "Enviar")).texts.join(" ");
    expect(sent).toContain("Ms Rao, tutoría de 5A");
    expect(sent).not.toMatch(/class teacher|the school office/);
  });

  it("gets announcements about their children in Spanish", async () => {
    const app = await createTestParentline();
    app.clock.set(NOON);
    const families = await linkAllBySimulator(app, ["5A"]);
    const [family] = families;
    if (!family) throw new Error("the demo data has families in 5A");
    await app.db
      .update(schema.guardians)
      .set({ language: "es" })
      .where(eq(schema.guardians.id, family.guardianId));
    const admin = await signInStaff(app, STAFF.admin);
    const created = await app.json(
      "POST",
      "/v1/announcements",
      { audience: { kind: "classes", classes: ["5A"] }, text: "Picnic el viernes" },
      admin,
    );
    expect(created.status).toBe(201);
    const [row] = await app.db
      .select()
      .from(schema.outbox)
      .where(eq(schema.outbox.address, family.phone));
    expect(row?.body).toBe(`Sobre ${family.children.join(" y ")}: Picnic el viernes`);
  });
});
