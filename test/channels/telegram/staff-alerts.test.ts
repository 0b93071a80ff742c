// Ticket alerts over Telegram, end to end in-process: a teacher links her Telegram chat as a staff
// chat; a parent's request (on the simulator) sends her the alert through the real grammY client
// to the msw Bot API; she answers by replying to it and by "T-1001 …", and the parent receives both
// on their own channel; a ticket she may not see is refused and nothing reaches its parent.
import { and, eq } from "drizzle-orm";
import type { Message } from "grammy/types";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { schema } from "../../../db";
import {
  DEMO,
  makeRequest,
  STAFF,
  type TestParentline,
  verifyParent,
} from "../../support/parentline";
import { CHAT_ID, textUpdate } from "./bot-api";
import { type TelegramTestbed, telegramTestbed } from "./support";

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const CHAT = String(CHAT_ID);
/** Monday 09:00 in Greenfield (America/Los_Angeles). */
const MONDAY_9AM = Date.parse("2026-11-23T17:00:00Z");

/** Ms Rao links this Telegram chat: /staff, her phone typed, the code from her phone. */
async function linkRaoOnTelegram(bed: TelegramTestbed) {
  await bed.send(textUpdate(1, "/staff"));
  await bed.send(textUpdate(2, STAFF.rao));
  await bed.send(textUpdate(3, await bed.codeSentTo(STAFF.rao)));
  await bed.flush();
  expect(bed.sent().at(-2)?.text).toBe("Thank you, Ms Rao, you're verified as staff.");
}

/** The alert rows of the chat with the Telegram message id send() recorded for each. */
async function sentAlerts(app: TestParentline) {
  const rows = await app.db
    .select()
    .from(schema.outbox)
    .where(and(eq(schema.outbox.kind, "alert"), eq(schema.outbox.address, CHAT)));
  return rows.map((row) => ({
    ...row,
    messageId: Number(row.providerMessageId?.split(":")[1]),
  }));
}

/** A text update replying to the bot's message `messageId`. */
function replyUpdate(updateId: number, text: string, messageId: number) {
  const update = textUpdate(updateId, text);
  if (!update.message) throw new Error("fixture has no message");
  update.message.reply_to_message = {
    message_id: messageId,
    date: update.message.date,
    chat: update.message.chat,
    from: { id: 7012345678, is_bot: true, first_name: "Parentline" },
    text: "New request …",
  } as Message.TextMessage as typeof update.message.reply_to_message;
  return update;
}

async function parentReplies(app: TestParentline, phone: string) {
  await app.dispatcher.dispatchDue();
  const response = await app.json("GET", `/dev/chat/history?address=${encodeURIComponent(phone)}`);
  const { messages } = (await response.json()) as { messages: { text: string; kind?: string }[] };
  return messages.filter((m) => m.kind === "staff_reply").map((m) => m.text);
}

describe("ticket alerts over Telegram", () => {
  it("alerts the teacher's Telegram chat; she answers by reply-to and by T-1001, the parent receives both", async () => {
    const bed = await telegramTestbed(server);
    bed.app.clock.set(MONDAY_9AM);
    await linkRaoOnTelegram(bed);
    await verifyParent(bed.app, DEMO.parentWithOneChild);
    bed.app.clock.advance(2_000);
    await makeRequest(bed.app, DEMO.parentWithOneChild, { text: "Is there homework tonight?" });
    await bed.flush();

    const [alert] = await sentAlerts(bed.app);
    expect(alert).toMatchObject({ status: "sent", channel: "telegram" });
    const alertCall = bed.sent().find((call) => String(call.text).startsWith("New request"));
    expect(alertCall).toMatchObject({
      chat_id: CHAT,
      text: [
        "New request T-1001 from Michael Barnes about Chloe (5A) · Academics",
        '"Is there homework tonight?"',
        'Reply to this message to answer the parent, or type "T-1001 your answer".',
      ].join("\n"),
    });
    expect(String(alertCall?.text)).not.toContain(DEMO.parentWithOneChild.slice(2));

    await bed.send(replyUpdate(4, "Yes, page 12.", alert?.messageId ?? 0));
    await bed.flush();
    expect(bed.sent().at(-1)?.text).toBe("Sent to Michael Barnes on T-1001.");
    await bed.send(textUpdate(5, "T-1001 And bring the reading log."));
    await bed.flush();
    expect(bed.sent().at(-1)?.text).toBe("Sent to Michael Barnes on T-1001.");

    expect(await parentReplies(bed.app, DEMO.parentWithOneChild)).toEqual([
      "T-1001 · Ms Rao: Yes, page 12.",
      "T-1001 · Ms Rao: And bring the reading log.",
    ]);
    const [ticket] = await bed.app.db.select().from(schema.tickets);
    expect(ticket?.firstResponseAt).not.toBeNull();
    // Neither side sees the other's handle: the parent's texts carry no Telegram chat id.
    for (const text of await parentReplies(bed.app, DEMO.parentWithOneChild))
      expect(text).not.toContain(CHAT);
  });

  it("refuses an answer to a ticket she may not see, and nothing reaches that parent", async () => {
    const bed = await telegramTestbed(server);
    bed.app.clock.set(MONDAY_9AM);
    await linkRaoOnTelegram(bed);
    const other = DEMO.parentWithTwoChildren; // children in 3A and 4B: not Ms Rao's class
    await verifyParent(bed.app, other);
    await bed.app.say(other, "menu");
    await bed.app.say(other, "New request");
    await bed.app.say(other, "1");
    await bed.app.say(other, "Academics");
    await bed.app.say(other, "Reading question");
    await bed.app.say(other, "Send");
    expect(await sentAlerts(bed.app)).toEqual([]);

    await bed.send(textUpdate(4, "T-1001 I can answer that"));
    await bed.flush();
    expect(bed.sent().at(-1)?.text).toBe(
      "You can't answer T-1001: it isn't a ticket you can see. Nothing was sent.",
    );
    expect(await parentReplies(bed.app, other)).toEqual([]);
    expect(await bed.app.db.select().from(schema.ticketMessages)).toHaveLength(1);
  });
});
