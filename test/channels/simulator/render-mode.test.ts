// The simulator shows testers what an SMS parent sees: the same replies rendered as Twilio's SMS
// channel renders them (numbered options, GSM-7, segments), from the send answer and the history.
import { describe, expect, it } from "vitest";
import { createTestParentline, DEMO } from "../../support/parentline";

const PARENT = DEMO.parentWithOneChild;

interface SmsReply {
  text: string;
  options?: { label: string }[];
  sms?: { text: string; segments: number }[];
}

describe("the simulator's SMS render mode", () => {
  it("answers each reply also as SMS text with its segments, in the send answer and the history", async () => {
    const app = await createTestParentline();
    const sent = await app.json("POST", "/dev/chat/send", {
      address: PARENT,
      text: "hi",
      render: "sms",
    });
    const { replies } = (await sent.json()) as { replies: SmsReply[] };
    const prompt = replies.find((reply) => reply.text.startsWith("We sent"));
    expect(prompt?.text).toContain("+1•••••0102");
    expect(prompt?.sms).toEqual([
      {
        text: 'We sent a 6-digit code to +1*****0102. Please type it here. (Type "resend" for a new code.)',
        segments: 1,
      },
    ]);

    const code =
      replies
        .map((r) => r.text)
        .join(" ")
        .match(/code is (\d{6})/)?.[1] ?? "";
    await app.say(PARENT, code);
    const history = await app.json(
      "GET",
      `/dev/chat/history?render=sms&address=${encodeURIComponent(PARENT)}`,
    );
    const { messages } = (await history.json()) as { messages: SmsReply[] };
    const menu = messages.at(-1);
    expect(menu?.options?.length).toBe(7);
    expect(menu?.sms?.[0]?.text).toMatch(/\n\n1\. New request\n2\. My requests/);

    const plain = await app.json("GET", `/dev/chat/history?address=${encodeURIComponent(PARENT)}`);
    const withoutMode = (await plain.json()) as { messages: SmsReply[] };
    expect(withoutMode.messages.every((message) => message.sms === undefined)).toBe(true);
  });

  it("refuses a render mode it does not know", async () => {
    const app = await createTestParentline();
    const sent = await app.json("POST", "/dev/chat/send", {
      address: PARENT,
      text: "hi",
      render: "fax",
    });
    expect(sent.status).toBe(422);
  });
});
