import { describe, expect, it } from "vitest";
import { schema } from "../../../db";
import { codeIn, DEMO, type TestParentline } from "../../support/parentline";
import {
  enqueue,
  inboundSms,
  inboundWhatsApp,
  isOptedOut,
  outboxRow,
  sendInbound,
  useTwilioTestbed,
} from "./support";

const PARENT = DEMO.parentWithOneChild;
const OFFICE = DEMO.greenfieldOffice;
let app: TestParentline;
const twilio = useTwilioTestbed((created) => {
  app = created;
});

const sms = (text: string) => sendInbound(app, inboundSms(PARENT, text));

async function verifyOverSms() {
  const code = codeIn((await sms("hi")).replies);
  const verified = await sms(code);
  if (!verified.replies.join("\n").includes("verified")) throw new Error("not verified");
}

describe("STOP", () => {
  it.each(["STOP", "stop", "StopAll", "UNSUBSCRIBE", "cancel", "END", "quit."])(
    "%s opts the number out with one confirmation, inline",
    async (word) => {
      const answer = await sms(word);
      expect(answer.replies).toHaveLength(1);
      expect(answer.replies[0]).toMatch(/unsubscribed/i);
      expect(await isOptedOut(app.db, "sms", PARENT)).toBe(true);
    },
  );

  it("leaves the number hearing nothing: later messages get an empty <Response/>, rows are parked", async () => {
    await verifyOverSms();
    await sms("STOP");

    const later = await sms("menu");
    expect(later.status).toBe(200);
    expect(later.replies).toEqual([]);

    const staffReply = await enqueue(app, { body: "Your child's form is ready." });
    await app.dispatcher.dispatchDue();
    expect(await outboxRow(app.db, staffReply)).toMatchObject({
      status: "dead",
      lastError: "recipient opted out",
    });
    expect(twilio.created).toHaveLength(0);
  });

  it("on WhatsApp opts out the WhatsApp address only", async () => {
    const answer = await sendInbound(app, inboundWhatsApp(PARENT, "STOP"));
    expect(answer.replies).toHaveLength(1);
    expect(await isOptedOut(app.db, "twilio-whatsapp", PARENT)).toBe(true);
    expect(await isOptedOut(app.db, "sms", PARENT)).toBe(false);
  });
});

describe("START", () => {
  it.each(["START", "yes", "UNSTOP"])(
    "%s opts back in with a confirmation, and the conversation resumes",
    async (word) => {
      await verifyOverSms();
      await sms("STOP");

      const back = await sms(word);
      expect(back.replies).toHaveLength(1);
      expect(back.replies[0]).toMatch(/subscribed again/);
      expect(await isOptedOut(app.db, "sms", PARENT)).toBe(false);

      const menu = await sms("menu");
      expect(menu.replies.join("\n")).toMatch(/How can I help\?/);
      const staffReply = await enqueue(app, { body: "Your child's form is ready." });
      await app.dispatcher.dispatchDue();
      expect(await outboxRow(app.db, staffReply)).toMatchObject({ status: "sent" });
      expect(twilio.created.map((message) => message.body)).toEqual([
        "Your child's form is ready.",
      ]);
    },
  );

  it("from a number that never stopped is an ordinary message for the conversation", async () => {
    const answer = await sms("yes");
    expect(answer.replies.join("\n")).toMatch(/We sent a 6-digit code/);
    expect(await isOptedOut(app.db, "sms", PARENT)).toBe(false);
  });
});

describe("HELP", () => {
  it("from a verified parent answers with the school's office phone", async () => {
    await verifyOverSms();
    const answer = await sms("HELP");
    expect(answer.replies.join("\n")).toContain(`call the office on ${OFFICE}`);
  });

  it("from a number no school knows says so (there is no school whose office to give)", async () => {
    const answer = await sendInbound(app, inboundSms("+14155550199", "HELP"));
    expect(answer.replies).toHaveLength(1);
    expect(answer.replies[0]).toMatch(
      /isn't registered with the school\. Please contact the office to/,
    );
  });

  it("from an unverified number on file names the school and its office phone, and sends no code", async () => {
    const answer = await sms("HELP");
    expect(answer.replies).toEqual([
      `This is Greenfield Primary School's parent line. For help, call the office on ${OFFICE}. Write anything here to start.`,
    ]);
    const rows = await app.db.select().from(schema.otpCodes);
    expect(rows).toEqual([]);
    // The next message starts verification.
    expect((await sms("hi")).replies.join("\n")).toContain("6-digit code");
  });
});
