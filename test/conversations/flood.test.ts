// The flooding guardrail is for abuse: a parent following the bot's own prompts, through its
// longest journeys back to back within 5 minutes, is never paused or flagged.
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { schema } from "../../db";
import { inboundSms, sendInbound, useTwilioTestbed } from "../channels/twilio/support";
import { codeIn, DEMO, STAFF, type TestParentline } from "../support/parentline";

const PARENT = DEMO.parentWithTwoChildren;
let app: TestParentline;
const twilio = useTwilioTestbed((created) => {
  app = created;
});

/** Signs a staff member in over the API, the code arriving by SMS through the fake Twilio. */
async function staffToken(phone: string): Promise<string> {
  await app.json("POST", "/v1/auth/otp/request", { phone });
  await app.dispatcher.dispatchDue();
  const code = codeIn(twilio.to(phone).map((message) => message.body));
  const verified = await app.json("POST", "/v1/auth/otp/verify", { phone, code });
  return ((await verified.json()) as { accessToken: string }).accessToken;
}

describe("a busy parent over SMS", () => {
  it("walks every journey the prompts offer, back to back, without tripping the flood guardrail", async () => {
    const said: string[] = [];
    let typed = 0;
    const sms = async (text: string) => {
      typed += 1;
      const { replies } = await sendInbound(app, inboundSms(PARENT, text));
      said.push(...replies);
      return replies;
    };
    const script = async (...answers: string[]) => {
      for (const answer of answers) await sms(answer);
    };

    await script("hi", "111111", "222222", "resend");
    await sms(codeIn(said.slice(-2)));
    await script("1", "1", "1", "Oliver needs his reading book", "1"); // a request
    await script("1", "2", "2", "Ava is absent today, fever", "1"); // an attendance note
    await script("One more thing about the reading book", "1"); // added to T-1001
    await script("2", "3", "7"); // my requests, announcements, help
    await script("6", "1", "2", "5", "2", "5", "1"); // settings, Spanish and back
    await script("4", "Please call me about the school trip"); // talk to a person

    const token = await staffToken(STAFF.admin);
    const [ticket] = await app.db.select().from(schema.tickets).limit(1);
    const resolved = await app.json(
      "PATCH",
      `/v1/tickets/${ticket?.id}`,
      { status: "resolved" },
      token,
    );
    expect(resolved.status).toBe(200);
    await app.dispatcher.dispatchDue();
    await script("5", "menu", "2");

    expect(typed).toBeGreaterThanOrEqual(30);
    expect(said.filter((text) => /pause/i.test(text))).toEqual([]);
    const [guardian] = await app.db
      .select()
      .from(schema.guardians)
      .where(eq(schema.guardians.phone, PARENT));
    expect(guardian?.flaggedAt).toBeNull();
  });
});
