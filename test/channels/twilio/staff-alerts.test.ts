// Ticket alerts and answers over Twilio SMS, end to end in-process: a teacher verified on SMS gets
// a new request's alert by SMS (through the Twilio SDK to msw), answers with "T-1001 …" and with a
// plain text right after the next alert, and the parent, also on SMS, receives both; the alert
// never carries the parent's number, and the answer never carries hers.
import { describe, expect, it } from "vitest";
import { codeIn, DEMO, STAFF, type TestParentline } from "../../support/parentline";
import { inboundSms, sendInbound, useTwilioTestbed } from "./support";

const PARENT = DEMO.parentWithOneChild; // Michael Barnes, Chloe in 5A → Ms Rao
/** Monday 09:00 in Greenfield (America/Los_Angeles). */
const MONDAY_9AM = Date.parse("2026-11-23T17:00:00Z");

let app: TestParentline;
const twilio = useTwilioTestbed((created) => {
  app = created;
});

/** An SMS from `phone`, a few seconds after the last; returns the TwiML replies. */
async function sms(phone: string, text: string): Promise<string[]> {
  app.clock.advance(5_000);
  const answer = await sendInbound(app, inboundSms(phone, text));
  expect(answer.status).toBe(200);
  return answer.replies;
}

async function verify(phone: string) {
  await sms(phone, codeIn(await sms(phone, "hi")));
}

describe("ticket alerts over SMS", () => {
  it("alerts the teacher by SMS; she answers with T-1001 and right after an alert, the parent gets both", async () => {
    app.clock.set(MONDAY_9AM);
    await verify(STAFF.rao);
    await verify(PARENT);
    for (const text of ["1", "1", "Is there homework tonight?"]) await sms(PARENT, text);
    expect((await sms(PARENT, "1")).join("\n")).toContain("T-1001");
    await app.dispatcher.dispatchDue();
    const [alert] = twilio.to(STAFF.rao).filter((m) => m.body.startsWith("New request"));
    // Parentline's own words go out in GSM-7 on SMS: "·" would make every alert a UCS-2 text.
    expect(alert?.body).toBe(
      [
        "New request T-1001 from Michael Barnes about Chloe (5A) - Academics",
        '"Is there homework tonight?"',
        'Reply to this message to answer the parent, or type "T-1001 your answer".',
      ].join("\n"),
    );
    expect(alert?.body).not.toContain(PARENT.slice(2));

    expect(await sms(STAFF.rao, "T-1001 Yes, page 12.")).toEqual([
      "Sent to Michael Barnes on T-1001.",
    ]);
    app.clock.advance(11 * 60_000);
    await sms(PARENT, "Thanks! Which book?");
    await sms(PARENT, "1");
    await app.dispatcher.dispatchDue();
    expect(twilio.to(STAFF.rao).at(-1)?.body).toMatch(/^T-1001 - Michael Barnes .* wrote again:/);
    expect(await sms(STAFF.rao, "The blue one.")).toEqual([
      'Sent to Michael Barnes on T-1001, the ticket you were alerted about last. For another ticket, start with its reference, like "T-1234 your answer".',
    ]);
    await app.dispatcher.dispatchDue();
    const toParent = twilio.to(PARENT).map((m) => m.body);
    expect(toParent.filter((body) => body.startsWith("T-1001 - Ms Rao"))).toEqual([
      "T-1001 - Ms Rao: Yes, page 12.",
      "T-1001 - Ms Rao: The blue one.",
    ]);
    for (const body of toParent) expect(body).not.toContain(STAFF.rao.slice(2));
  });

  it("quotes the parent's words as written in an SMS alert, Parentline's own around them in GSM-7", async () => {
    app.clock.set(MONDAY_9AM);
    await verify(STAFF.rao);
    await verify(PARENT);
    const words = "Mañana llegará tarde, ¿está bien?";
    for (const text of ["1", "1", words]) await sms(PARENT, text);
    await sms(PARENT, "1");
    await app.dispatcher.dispatchDue();
    const [alert] = twilio.to(STAFF.rao).filter((m) => m.body.startsWith("New request"));
    expect(alert?.body).toBe(
      [
        "New request T-1001 from Michael Barnes about Chloe (5A) - Academics",
        `"${words}"`,
        'Reply to this message to answer the parent, or type "T-1001 your answer".',
      ].join("\n"),
    );
  });
});
