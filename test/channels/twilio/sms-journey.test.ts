// The measured goals of a parent's journey over SMS (signed Twilio webhooks): how many messages a
// parent types and how many SMS segments Parentline sends, the one-time code included, from "hi"
// to a ticket reference. A journey over its budget fails.
import { describe, expect, it } from "vitest";
import { smsSegments } from "../../../bots/twilio";
import { codeIn, DEMO, type TestParentline } from "../../support/parentline";
import { inboundSms, sendInbound, useTwilioTestbed } from "./support";

let app: TestParentline;
const twilio = useTwilioTestbed((created) => {
  app = created;
});

/** One SMS parent: what they typed and every segment Parentline sent them. */
function smsParent(phone: string) {
  const journey = { messages: 0, segments: 0, replies: [] as string[] };
  return {
    journey,
    async say(text: string): Promise<string[]> {
      journey.messages += 1;
      const { replies } = await sendInbound(app, inboundSms(phone, text));
      // Anything the dispatcher sends (none on SMS, where replies ride inline) counts too.
      await app.dispatcher.dispatchDue();
      const sent = [...replies, ...twilio.to(phone).map((message) => message.body)];
      twilio.created.length = 0;
      journey.segments += sent.reduce((sum, body) => sum + smsSegments(body), 0);
      journey.replies.push(...sent);
      return sent;
    },
  };
}

const referenceIn = (replies: string[]) =>
  replies
    .join("\n")
    .match(/T-\d{4,}/g)
    ?.at(-1);

/** Verifies over SMS: "hi", then the code that came back. */
async function verify(parent: ReturnType<typeof smsParent>) {
  const replies = await parent.say("hi");
  await parent.say(codeIn(replies));
}

/** Says each answer in turn; returns the last ticket reference said. */
async function answer(parent: ReturnType<typeof smsParent>, answers: string[]) {
  let replies: string[] = [];
  for (const text of answers) replies = await parent.say(text);
  return referenceIn(replies);
}

const report = (what: string, journey: { messages: number; segments: number }) =>
  console.info(`${what}: ${journey.messages} messages, ${journey.segments} segments`);

describe("an SMS parent's journey to a ticket", () => {
  it("takes one child from hi to a reference in at most 6 messages and 10 segments", async () => {
    const parent = smsParent(DEMO.parentWithOneChild);
    await verify(parent);
    const reference = await answer(parent, ["1", "1", "Chloe needs extra reading homework", "1"]);
    report("one child", parent.journey);
    expect(reference).toBe("T-1001");
    expect(parent.journey.messages).toBeLessThanOrEqual(6);
    expect(parent.journey.segments).toBeLessThanOrEqual(10);
  });

  it("says 'verified' and the menu in one SMS segment", async () => {
    const parent = smsParent(DEMO.parentWithOneChild);
    await verify(parent);
    const verified = parent.journey.replies.find((reply) => reply.includes("verified"));
    expect(verified).toMatch(/verified\.\n\nHow can I help\?\n\n1\. New request/);
    expect(smsSegments(verified ?? "")).toBe(1);
  });

  it("takes two children from hi to a reference in at most 7 messages", async () => {
    const parent = smsParent(DEMO.parentWithTwoChildren);
    await verify(parent);
    const reference = await answer(parent, ["1", "1", "1", "Please send the reading list", "1"]);
    report("two children", parent.journey);
    expect(reference).toBe("T-1001");
    expect(parent.journey.messages).toBeLessThanOrEqual(7);
  });

  it("takes a verified parent's next request in at most 4 messages", async () => {
    const first = smsParent(DEMO.parentWithOneChild);
    await verify(first);
    await answer(first, ["1", "1", "Chloe needs extra reading homework", "1"]);
    app.clock.advance(2 * 60 * 60_000);
    const next = smsParent(DEMO.parentWithOneChild);
    const reference = await answer(next, ["1", "4", "The bus was late again this morning", "1"]);
    report("next request", next.journey);
    expect(reference).toBe("T-1002");
    expect(next.journey.messages).toBeLessThanOrEqual(4);
  });
});
