// Over signed Twilio SMS, a saved conversation the machine cannot load is answered like any other
// message (200 with TwiML), with the apology, and the parent's text goes on to their request.
import { describe, expect, it } from "vitest";
import { codeIn, DEMO, type TestParentline } from "../../support/parentline";
import { inboundSms, sendInbound, useTwilioTestbed } from "./support";

const PARENT = DEMO.parentWithOneChild; // Michael Barnes, Chloe in 5A

let app: TestParentline;
const twilio = useTwilioTestbed((created) => {
  app = created;
});

/** One inbound SMS: its status and every text Parentline sent back, inline or by the dispatcher. */
async function sms(text: string) {
  const { status, replies } = await sendInbound(app, inboundSms(PARENT, text));
  await app.dispatcher.dispatchDue();
  const sent = [...replies, ...twilio.to(PARENT).map((message) => message.body)];
  twilio.created.length = 0;
  return { status, sent };
}

describe("an SMS parent whose saved conversation cannot be loaded", () => {
  it("hears the apology and has their message taken as the start of a request", async () => {
    await sms(codeIn((await sms("hi")).sent));
    app.db.$client
      .prepare("update conversations set snapshot = json_set(snapshot, '$.value', 'noSuchState')")
      .run();

    const next = await sms("Chloe will be late tomorrow, dentist");
    expect(next.status).toBe(200);
    expect(next.sent.join("\n")).toContain("Sorry, we had to restart our conversation.");
    expect(next.sent.join("\n")).toContain("What is it about?");
    const summary = await sms("1");
    expect(summary.sent.join("\n")).toContain("Chloe will be late tomorrow, dentist");
  });
});
