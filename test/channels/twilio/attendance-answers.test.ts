// Attendance notices over SMS (signed Twilio webhooks, the Messages API through msw): a family that
// never wrote in hears at once, even in the night's quiet hours; a STOP'd number hears nothing; and
// the parent's answer becomes an Attendance ticket on that child, routed to the class teacher.
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { smsSegments } from "../../../bots/twilio";
import { schema } from "../../../db";
import { codeIn, DEMO, STAFF, type TestParentline } from "../../support/parentline";
import { makeApiKey, sendEvent } from "../../support/school-events";
import { inboundSms, sendInbound, useTwilioTestbed } from "./support";

let app: TestParentline;
const twilio = useTwilioTestbed((created) => {
  app = created;
});

/** Chloe, GF-2024-003, in 5A: the one child of DEMO.parentWithOneChild. */
const CHLOE = "GF-2024-003";
const ABSENT = (absent: string[]) => ({
  type: "attendance.marked",
  date: "2026-11-23",
  absent,
  late: [],
  period: "AM",
});

/** The admin's access token, the code arriving by SMS through the fake Twilio. */
async function adminToken(): Promise<string> {
  await app.json("POST", "/v1/auth/otp/request", { phone: STAFF.admin });
  await app.dispatcher.dispatchDue();
  const code = codeIn(twilio.to(STAFF.admin).map((message) => message.body));
  const verified = await app.json("POST", "/v1/auth/otp/verify", { phone: STAFF.admin, code });
  return ((await verified.json()) as { accessToken: string }).accessToken;
}

describe("attendance notices by SMS", () => {
  it("reach the phone on file at once in quiet hours, and the parent's answer becomes an Attendance ticket on the child", async () => {
    const { key } = await makeApiKey(app, await adminToken());
    twilio.created.length = 0;
    // 09:00Z is 01:00 in Greenfield's zone: inside the default quiet hours (21:00-07:00).
    const sent = await sendEvent(app, key, ABSENT([CHLOE]), "att-1");
    expect(sent.status).toBe(202);
    expect(await sent.json()).toMatchObject({ accepted: 1, messages: 1, rejected: [] });
    await app.dispatcher.dispatchDue();
    const notices = twilio.to(DEMO.parentWithOneChild);
    expect(notices.map((message) => message.body)).toEqual([
      "Greenfield Primary School: Chloe was marked absent on Monday, November 23 (AM). If this is unexpected, reply here and the school will look into it.",
    ]);

    const answer = await sendInbound(
      app,
      inboundSms(DEMO.parentWithOneChild, "She has a fever, back on Wednesday"),
    );
    expect(answer.status).toBe(200);
    const [ticket] = await app.db.select().from(schema.tickets);
    const [chloe] = await app.db
      .select()
      .from(schema.students)
      .where(eq(schema.students.admissionNo, CHLOE));
    expect(ticket).toMatchObject({
      category: "attendance",
      studentId: chloe?.id,
      channel: "sms",
      address: DEMO.parentWithOneChild,
      routingReason: expect.stringContaining("class teacher"),
    });
    const [message] = await app.db.select().from(schema.ticketMessages);
    expect(message).toMatchObject({
      authorType: "parent",
      body: "She has a fever, back on Wednesday",
    });
    expect(answer.replies).toEqual([
      "Thank you. We've passed your answer about Chloe's attendance to Ms Rao, class teacher of 5A (T-1001). You'll get the reply here.",
    ]);
    // Only the first answer is taken as one: the next message is the conversation's.
    await sendInbound(app, inboundSms(DEMO.parentWithOneChild, "Thanks"));
    expect(await app.db.select().from(schema.tickets)).toHaveLength(1);
  });

  it("send nothing to a number that sent STOP, and report the child as unreachable", async () => {
    const { key } = await makeApiKey(app, await adminToken());
    await sendInbound(app, inboundSms(DEMO.parentWithOneChild, "STOP"));
    twilio.created.length = 0;
    const sent = await sendEvent(app, key, ABSENT([CHLOE]), "att-2");
    expect(await sent.json()).toMatchObject({
      accepted: 0,
      messages: 0,
      rejected: [{ admissionNumber: CHLOE, reason: "no_reachable_guardian" }],
    });
    await app.dispatcher.dispatchDue();
    expect(twilio.to(DEMO.parentWithOneChild)).toEqual([]);
  });

  it("are written in GSM-7 on SMS, Spanish and Intl's spaces included, and the row records the segments", async () => {
    const { key } = await makeApiKey(app, await adminToken());
    twilio.created.length = 0;
    // Maya (GF-2024-013) of 5A; her guardian reads Spanish.
    await sendEvent(app, key, ABSENT(["GF-2024-013"]), "att-3");
    await sendEvent(
      app,
      key,
      {
        type: "fee.reminder",
        admissionNumbers: ["GF-2024-013"],
        amount: "45.00",
        currency: "USD",
        dueDate: "2026-12-15",
      },
      "fee-3",
    );
    // The fee reminder waits for the end of quiet hours (07:00 in Greenfield).
    app.clock.set(Date.parse("2026-11-23T15:00:00Z"));
    await app.dispatcher.dispatchDue();
    const bodies = twilio.to("+14155550108").map((message) => message.body);
    expect(bodies).toEqual([
      "Greenfield Primary School: Maya figura como ausente el lunes, 23 de noviembre (AM). Si no lo esperaba, responda aqui y el colegio lo revisara.",
      "Greenfield Primary School: le recordamos que el pago de 45,00 US$ de Maya vence el martes, 15 de diciembre. ¿Preguntas? Responda MENU y haga una nueva consulta.",
    ]);
    expect(bodies.map(smsSegments)).toEqual([1, 1]);
    const rows = await app.db
      .select({ segments: schema.outbox.segments })
      .from(schema.outbox)
      .where(eq(schema.outbox.address, "+14155550108"));
    expect(rows.map((row) => row.segments)).toEqual([1, 1]);
  });
});
