// The parent's "settings" in the chat: what they see, announcements instant / once a day / off,
// which channel comes first; written through the same service staff use, audited as the guardian.
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { schema } from "../../db";
import { getPreferences } from "../../src/services/guardian-preferences";
import { linkAddress } from "../announcements/support";
import {
  codeIn,
  createTestParentline,
  DEMO,
  STAFF,
  signInStaff,
  type TestParentline,
  verifyParent,
} from "../support/parentline";

const { guardians, auditLog, tickets } = schema;
const PARENT = DEMO.parentWithOneChild;
const MENU_PROMPT = "How can I help?";

async function guardianOf(app: TestParentline, phone: string) {
  const [guardian] = await app.db.select().from(guardians).where(eq(guardians.phone, phone));
  if (!guardian) throw new Error(`no guardian ${phone}`);
  return guardian;
}

/** The guardian's preferences as office staff read them over the API. */
async function preferencesOverApi(app: TestParentline, guardianId: number) {
  const token = await signInStaff(app, STAFF.frontOffice);
  const response = await app.json(
    "GET",
    `/v1/guardians/${guardianId}/preferences`,
    undefined,
    token,
  );
  expect(response.status).toBe(200);
  return (await response.json()) as { channelOrder: string[]; announcements: string };
}

async function verifiedApp() {
  const app = await createTestParentline();
  await verifyParent(app, PARENT);
  return { app, guardian: await guardianOf(app, PARENT) };
}

const labels = (reply: { body: { replies: { options?: { label: string }[] }[] } }) =>
  reply.body.replies.at(-1)?.options?.map((option) => option.label);

describe("the parent's settings in the chat", () => {
  it('"settings" shows the settings in plain words; one channel has no order to change', async () => {
    const { app } = await verifiedApp();
    const shown = await app.say(PARENT, "settings");
    expect(shown.texts).toEqual([
      [
        "Your settings:",
        "Announcements: instant (each one as it's sent)",
        "Messages come by: Chat simulator",
        "To get messages on another app too, write to us from it and verify.",
        "What would you like to change?",
      ].join("\n"),
    ]);
    expect(labels(shown)).toEqual(["Announcements", "Back to menu"]);

    const back = await app.say(PARENT, "Back to menu");
    expect(back.texts).toEqual([MENU_PROMPT]);
  });

  it("is a menu choice too, and the summary follows what was set", async () => {
    const { app, guardian } = await verifiedApp();
    await app.say(PARENT, "menu");
    await app.say(PARENT, "Settings");
    await app.say(PARENT, "Announcements");
    await app.say(PARENT, "Off");
    const shown = await app.say(PARENT, "Settings");
    expect(shown.texts[0]).toContain("Announcements: off (urgent messages still come)");
    expect((await preferencesOverApi(app, guardian.id)).announcements).toBe("off");
  });

  it("sets announcements to once a day, off and back to instant, each confirmed, audited as the guardian", async () => {
    const { app, guardian } = await verifiedApp();
    await app.say(PARENT, "settings");
    const question = await app.say(PARENT, "Announcements");
    expect(question.texts).toEqual([
      "How would you like to get announcements? Urgent messages and attendance notices always come through.",
    ]);
    expect(labels(question)).toEqual(["Instant", "Once a day (digest)", "Off"]);

    const digest = await app.say(PARENT, "Once a day (digest)");
    expect(digest.texts).toEqual([
      "Done: you'll get announcements once a day, in one message.",
      MENU_PROMPT,
    ]);
    expect(await preferencesOverApi(app, guardian.id)).toMatchObject({
      announcements: "digest",
      channelOrder: [],
    });

    await app.say(PARENT, "settings");
    await app.say(PARENT, "1");
    const off = await app.say(PARENT, "3");
    expect(off.texts[0]).toBe(
      "Done: announcements are off; urgent messages and attendance notices still come through.",
    );
    expect((await preferencesOverApi(app, guardian.id)).announcements).toBe("off");

    await app.say(PARENT, "settings");
    await app.say(PARENT, "Announcements");
    const instant = await app.say(PARENT, "instant");
    expect(instant.texts[0]).toBe("Done: you'll get each announcement as soon as it's sent.");
    expect(
      (await getPreferences({ db: app.db, now: app.clock.now }, guardian.schoolId, guardian.id))
        ?.announcements,
    ).toBe("instant");

    const audits = await app.db
      .select()
      .from(auditLog)
      .where(
        and(eq(auditLog.action, "guardian.preferences"), eq(auditLog.entityId, `${guardian.id}`)),
      )
      .orderBy(auditLog.id);
    expect(audits.map((row) => [row.actorType, row.actorId, row.after])).toEqual([
      ["guardian", guardian.id, { channelOrder: [], announcements: "digest" }],
      ["guardian", guardian.id, { channelOrder: [], announcements: "off" }],
      ["guardian", guardian.id, { channelOrder: [], announcements: "instant" }],
    ]);
  });

  it("asks again when the answer is none of the choices, and changes nothing", async () => {
    const { app, guardian } = await verifiedApp();
    await app.say(PARENT, "settings");
    await app.say(PARENT, "Announcements");
    const unclear = await app.say(PARENT, "sometimes");
    expect(unclear.texts).toEqual([
      "Sorry, I didn't catch that. Please choose one of the options.",
    ]);
    expect(labels(unclear)).toEqual(["Instant", "Once a day (digest)", "Off"]);
    const [stored] = await app.db.select().from(guardians).where(eq(guardians.id, guardian.id));
    expect(stored?.preferences).toEqual({});
  });

  it("puts the chosen channel first among the verified ones; the others keep their order", async () => {
    const { app, guardian } = await verifiedApp();
    const verifiedOnSimulator = app.clock.now();
    app.clock.advance(60_000);
    // Telegram verified after the simulator, SMS long before: the order is Telegram, simulator, SMS.
    await linkAddress(app, guardian.id, { channel: "telegram", address: "700000102" });
    await linkAddress(app, guardian.id, {
      channel: "sms",
      address: PARENT,
      verifiedAt: verifiedOnSimulator - 86_400_000,
    });

    const shown = await app.say(PARENT, "settings");
    expect(shown.texts[0]).toContain("Messages come by: Telegram, then Chat simulator, then SMS");
    expect(shown.texts[0]).not.toContain("another app");
    expect(labels(shown)).toEqual(["Announcements", "Channel order", "Back to menu"]);

    const question = await app.say(PARENT, "Channel order");
    expect(question.texts).toEqual(["Which channel first? The others keep their order after it."]);
    expect(labels(question)).toEqual(["Telegram", "Chat simulator", "SMS"]);

    const chosen = await app.say(PARENT, "SMS");
    expect(chosen.texts).toEqual([
      "Done: we'll reach you by SMS, then Telegram, then Chat simulator.",
      MENU_PROMPT,
    ]);
    expect(await preferencesOverApi(app, guardian.id)).toMatchObject({
      channelOrder: ["sms", "telegram", "simulator"],
      announcements: "instant",
    });

    await app.say(PARENT, "settings");
    await app.say(PARENT, "2");
    await app.say(PARENT, "2"); // Telegram, now second
    expect((await preferencesOverApi(app, guardian.id)).channelOrder).toEqual([
      "telegram",
      "sms",
      "simulator",
    ]);
  });

  it("does not offer a channel the guardian opted out of", async () => {
    const { app, guardian } = await verifiedApp();
    await linkAddress(app, guardian.id, { channel: "sms", address: PARENT, optedOut: true });
    const shown = await app.say(PARENT, "settings");
    expect(shown.texts[0]).toContain("Messages come by: Chat simulator\n");
    expect(labels(shown)).toEqual(["Announcements", "Back to menu"]);
  });

  it('"settings" works mid-request like "menu": what was being written is dropped', async () => {
    const { app } = await verifiedApp();
    await app.say(PARENT, "New request");
    await app.say(PARENT, "Academics");
    const shown = await app.say(PARENT, "Settings");
    expect(shown.texts[0]).toMatch(/^Your settings:/);
    await app.say(PARENT, "Back to menu");
    expect(await app.db.select().from(tickets)).toEqual([]);
  });

  it("an unverified parent typing settings is verified first", async () => {
    const app = await createTestParentline();
    const first = await app.say(PARENT, "settings");
    expect(first.texts.join("\n")).toContain("We sent a 6-digit code");
    expect(first.texts.join("\n")).not.toContain("Your settings");
    const verified = await app.say(PARENT, codeIn(first.texts));
    expect(verified.texts.at(-1)).toBe(MENU_PROMPT);
    expect(labels(verified)).toContain("Settings");
    expect((await app.say(PARENT, "settings")).texts[0]).toMatch(/^Your settings:/);
  });

  it("speaks Spanish to a parent who chose it, and understands ajustes", async () => {
    const { app, guardian } = await verifiedApp();
    await app.say(PARENT, "Language");
    const switched = await app.say(PARENT, "Español");
    expect(labels(switched)).toContain("Ajustes");

    const shown = await app.say(PARENT, "ajustes");
    expect(shown.texts).toEqual([
      [
        "Sus ajustes:",
        "Avisos: al instante (cada uno cuando se envía)",
        "Le escribimos por: Simulador de chat",
        "Para recibir mensajes también en otra aplicación, escríbanos desde ella y verifíquese.",
        "¿Qué le gustaría cambiar?",
      ].join("\n"),
    ]);
    expect(labels(shown)).toEqual(["Avisos", "Volver al menú"]);
    const question = await app.say(PARENT, "Avisos");
    expect(question.texts[0]).toContain("Los mensajes urgentes");
    expect(labels(question)).toEqual(["Al instante", "Resumen diario", "Desactivados"]);
    const digest = await app.say(PARENT, "Resumen diario");
    expect(digest.texts).toEqual([
      "Listo: recibirá los avisos una vez al día, en un solo mensaje.",
      "¿En qué puedo ayudarle?",
    ]);
    expect((await preferencesOverApi(app, guardian.id)).announcements).toBe("digest");
  });
});

describe("STOP in a chat app (no carrier keywords)", () => {
  it("turns announcements off with a confirmation, keeps the chat, and 'cancel' stays a word", async () => {
    const { app, guardian } = await verifiedApp();
    const answer = await app.say(PARENT, "STOP");
    expect(answer.texts[0]).toMatch(/announcements are off/);
    expect(answer.texts[0]).toMatch(/"settings"/);
    expect((await preferencesOverApi(app, guardian.id)).announcements).toBe("off");

    await app.say(PARENT, "1");
    await app.say(PARENT, "1");
    const cancelled = await app.say(PARENT, "cancel");
    expect(cancelled.texts).toEqual(["Okay, nothing was sent.", MENU_PROMPT]);
  });
});
