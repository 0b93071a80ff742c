// The simulator shows testers what a parent on SMS, WhatsApp or Telegram sees: the same replies
// rendered by each channel's own renderer, from the send answer and the history.
import { describe, expect, it } from "vitest";
import { createTestParentline, DEMO, verifyParent } from "../../support/parentline";

const PARENT = DEMO.parentWithOneChild;

interface SmsReply {
  text: string;
  options?: { label: string }[];
  shown?: { text: string; segments?: number; buttons?: string[][]; listButton?: string }[];
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
    expect(prompt?.shown).toEqual([
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
    expect(menu?.shown?.[0]?.text).toMatch(/\n\n1\. New request\n2\. My requests/);

    const plain = await app.json("GET", `/dev/chat/history?address=${encodeURIComponent(PARENT)}`);
    const withoutMode = (await plain.json()) as { messages: SmsReply[] };
    expect(withoutMode.messages.every((message) => message.shown === undefined)).toBe(true);
  });

  it("shows the parent's own words as written in the SMS view, and only ours in GSM-7", async () => {
    const app = await createTestParentline();
    await verifyParent(app, PARENT);
    await app.say(PARENT, "New request");
    await app.say(PARENT, "Academics");
    const words = "Chloe llegará tarde — ¿está bien?";
    const sent = await app.json("POST", "/dev/chat/send", {
      address: PARENT,
      text: words,
      render: "sms",
    });
    const { replies } = (await sent.json()) as { replies: SmsReply[] };
    expect(replies.at(-1)?.shown?.[0]?.text).toContain(`Message: ${words}`);

    const history = await app.json(
      "GET",
      `/dev/chat/history?render=sms&address=${encodeURIComponent(PARENT)}`,
    );
    const { messages } = (await history.json()) as { messages: SmsReply[] };
    expect(messages.at(-1)?.shown?.[0]?.text).toContain(`Message: ${words}`);
  });

  it("shows the menu as WhatsApp shows it: more than 3 options make a list", async () => {
    const app = await createTestParentline();
    await verifyParent(app, PARENT);
    const history = await app.json(
      "GET",
      `/dev/chat/history?render=whatsapp&address=${encodeURIComponent(PARENT)}`,
    );
    const { messages } = (await history.json()) as { messages: SmsReply[] };
    const menu = messages.at(-1)?.shown?.at(-1);
    expect(menu?.listButton).toBe("☰");
    expect(menu?.buttons?.slice(0, 2)).toEqual([["New request"], ["My requests"]]);
    expect(menu?.segments).toBeUndefined();
  });

  it("shows a yes/no question as WhatsApp reply buttons and Telegram's inline keyboard", async () => {
    const app = await createTestParentline();
    await verifyParent(app, PARENT);
    await app.say(PARENT, "New request");
    await app.say(PARENT, "Fees");
    const asked = async (render: string) =>
      (
        (await (
          await app.json("POST", "/dev/chat/send", {
            address: PARENT,
            text: "Is the trip paid?",
            render,
          })
        ).json()) as { replies: SmsReply[] }
      ).replies.at(-1);
    const whatsapp = await asked("whatsapp");
    expect(whatsapp?.options?.length).toBe(2);
    expect(whatsapp?.shown?.at(-1)?.buttons).toEqual([
      whatsapp?.options?.map((option) => option.label),
    ]);
    await app.say(PARENT, "menu");
    await app.say(PARENT, "New request");
    await app.say(PARENT, "Fees");
    const telegram = await asked("telegram");
    expect(telegram?.shown?.at(-1)?.buttons?.flat()).toEqual(
      telegram?.options?.map((option) => option.label),
    );
    expect(telegram?.shown?.at(-1)?.listButton).toBeUndefined();
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
