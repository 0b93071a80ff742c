// Over signed Twilio SMS, a parent's or teacher's own words are never rewritten: the confirm step
// quotes the parent's message as written while Parentline's words around it are GSM-7, a staff
// reply arrives as the teacher wrote it, and each row's segments follow the text really sent.
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { smsSegments } from "../../../bots/twilio";
import { schema } from "../../../db";
import { isGsm7 } from "../../../src/contracts";
import { DEMO, STAFF, type TestParentline } from "../../support/parentline";
import { inboundSms, sendInbound, staffTokenOverSms, useTwilioTestbed } from "./support";

const PARENT = DEMO.parentWithOneChild; // Michael Barnes, Chloe in 5A (Ms Rao)
const WORDS = "Mañana llegará tarde, ¿está bien?";

let app: TestParentline;
const twilio = useTwilioTestbed((created) => {
  app = created;
});

/** One inbound SMS; every text Parentline sent back, inline or by the dispatcher. */
async function sms(text: string) {
  const { replies } = await sendInbound(app, inboundSms(PARENT, text));
  await app.dispatcher.dispatchDue();
  const sent = [...replies, ...twilio.to(PARENT).map((message) => message.body)];
  twilio.created.length = 0;
  return sent;
}

/** A Spanish-speaking parent, verified over SMS, with a request written and not yet sent. */
async function spanishParentAtConfirm() {
  await app.db
    .update(schema.guardians)
    .set({ language: "es" })
    .where(eq(schema.guardians.phone, PARENT));
  const asked = (await sms("hola")).join("\n");
  await sms(asked.match(/es (\d{6})\./)?.[1] ?? "no code");
  await sms("1"); // Nueva consulta
  await sms("Académico");
  return sms(WORDS);
}

const rowsTo = (address: string) =>
  app.db.select().from(schema.outbox).where(eq(schema.outbox.address, address));

describe("a parent's own words over SMS", () => {
  it("quotes a Spanish parent's message as written in the confirm SMS, the rest in GSM-7", async () => {
    const [confirm] = await spanishParentAtConfirm();
    expect(confirm).toContain(WORDS);
    const ours = (confirm ?? "").replace(WORDS, "");
    expect(isGsm7(ours)).toBe(true);
    expect(confirm).toBe(
      `Revise su consulta:\nEstudiante: Chloe\nTema: Académico\nMensaje: ${WORDS}\n\n1. Enviar\n2. No enviar`,
    );

    // "á" is outside GSM-7, so the whole SMS is UCS-2, and the row counts it so.
    const row = (await rowsTo(PARENT)).at(-1);
    expect(row?.body).toContain(WORDS);
    expect(isGsm7(confirm ?? "")).toBe(false);
    expect(row?.segments).toBe(smsSegments(confirm ?? ""));
    expect(row?.segments).toBeGreaterThan(1);
  });

  it("delivers a teacher's reply unchanged and quotes it unchanged in the parent's list", async () => {
    await spanishParentAtConfirm();
    const sent = await sms("1"); // Enviar
    expect(sent.join("\n")).toMatch(/T-1001/);
    const token = await staffTokenOverSms(app, twilio, STAFF.rao);
    const [ticket] = await app.db.select().from(schema.tickets);
    const reply = await app.json(
      "POST",
      `/v1/tickets/${ticket?.id}/replies`,
      { body: "Gracias, José. Está bien." },
      token,
    );
    expect(reply.status).toBe(201);
    await app.dispatcher.dispatchDue();
    const delivered = twilio.to(PARENT).map((message) => message.body);
    twilio.created.length = 0;
    expect(delivered).toEqual([expect.stringMatching(/: Gracias, José\. Está bien\.$/)]);

    const list = await sms("2"); // Mis consultas
    expect(list.join("\n")).toContain('"Gracias, José. Está bien."');
  });
});

describe("a teacher's own words over SMS", () => {
  it("quotes their announcement as written in the SMS preview", async () => {
    const teacher = async (text: string) =>
      (await sendInbound(app, inboundSms(STAFF.rao, text))).replies;
    const asked = (await teacher("hi")).join("\n");
    await teacher(asked.match(/code is (\d{6})/)?.[1] ?? "no code");
    const words = "Mañana no hay clase: la escuela está cerrada.";
    const preview = (await teacher(`/announce 5A: ${words}`)).join("\n");
    expect(preview).toContain(`"${words}"`);
  });
});
