// WhatsApp Web messages through a whole Parentline: a fake whatsapp-web.js client emits the
// library's `message` and `message_ack` events; replies leave through its sendMessage.
import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it, vi } from "vitest";
import { schema } from "../../../db";
import { PACE_MARGIN } from "../../../src/outbox/pacer";
import { DEMO } from "../../support/parentline";
import type { FakeWhatsAppWebClient } from "./fake-client";
import { groupMessage, privateMessage } from "./fake-client";
import { createWhatsAppWebTestbed, startLinked, type WhatsAppWebTestbed } from "./harness";

const { outbox, inboundMessages } = schema;
const PARENT = DEMO.parentWithOneChild;
const PARENT_CHAT = "14155550102@c.us";
/** What an unverified parent's "hi" is answered with: the one-time code, then "type it here". */
const REPLIES_TO_HI = 2;

let bed: WhatsAppWebTestbed | undefined;
afterEach(async () => {
  await bed?.app.stop();
  bed = undefined;
});

async function linkedBed(env = {}) {
  bed = await createWhatsAppWebTestbed(env);
  return { bed, client: await startLinked(bed) };
}

/** Waits (bounded) until the client has sent `count` messages in all. */
async function sentCount(client: FakeWhatsAppWebClient, count: number) {
  await vi.waitFor(() => expect(client.sent).toHaveLength(count), { timeout: 5_000 });
  return client.sent;
}

const inboundRows = (testbed: WhatsAppWebTestbed) =>
  testbed.app.db.select().from(inboundMessages).all();

describe("WhatsApp Web inbound messages", () => {
  it("takes a parent's private message to the flow and sends the reply to their chat", async () => {
    const { bed, client } = await linkedBed();

    client.fire("message", privateMessage(PARENT, "hi"));

    const sent = await sentCount(client, REPLIES_TO_HI);
    expect(sent.map((entry) => entry.chatId)).toEqual([PARENT_CHAT, PARENT_CHAT]);
    const code = sent[0]?.content.match(/code is (\d{6})/)?.[1];
    expect(code).toMatch(/^\d{6}$/);
    expect(sent[1]?.content).toMatch(/type it here/);
    expect(inboundRows(bed)).toEqual([
      expect.objectContaining({ channel: "whatsapp-web", address: PARENT }),
    ]);
    const rows = bed.app.db.select().from(outbox).where(eq(outbox.channel, "whatsapp-web")).all();
    expect(rows.map((row) => [row.address, row.status, row.providerMessageId])).toEqual(
      sent.map((entry) => [PARENT, "sent", entry.message.id._serialized]),
    );

    client.fire("message", privateMessage(PARENT, code ?? ""));
    await bed.setup.stop?.(); // waits for the message in hand and its replies
    const answers = client.sent.slice(REPLIES_TO_HI);
    expect(answers.map((entry) => entry.chatId)).toEqual(answers.map(() => PARENT_CHAT));
    expect(answers.map((entry) => entry.content).join("\n")).toMatch(/verified/);
    // Options arrive as numbered lines: whatsapp-web.js buttons are deprecated.
    expect(answers.at(-1)?.content).toMatch(/\n1\. /);
  });

  it("ignores group chats, status broadcasts, our own messages and stickers", async () => {
    const { bed, client } = await linkedBed();
    const status = privateMessage(PARENT, "status text");
    status.from = "status@broadcast";
    status.isStatus = true;
    const own = privateMessage(PARENT, "sent from the phone");
    own.fromMe = true;
    own.id.fromMe = true;
    const sticker = privateMessage(PARENT, "");
    sticker.type = "sticker";
    sticker.hasMedia = true;

    for (const message of [groupMessage(), status, own, sticker]) client.fire("message", message);
    // A real message after them: once it is answered, the ones before were long dropped.
    client.fire("message", privateMessage(PARENT, "hi"));

    const sent = await sentCount(client, REPLIES_TO_HI);
    expect(new Set(sent.map((entry) => entry.chatId))).toEqual(new Set([PARENT_CHAT]));
    expect(inboundRows(bed)).toHaveLength(1);
  });

  it("answers the same WhatsApp message once when it arrives twice", async () => {
    const { bed, client } = await linkedBed();
    const message = privateMessage(PARENT, "hi");

    client.fire("message", message);
    await sentCount(client, REPLIES_TO_HI);
    client.fire("message", structuredClone(message));
    await bed.setup.stop?.(); // waits for the events in hand

    expect(inboundRows(bed)).toHaveLength(1);
    expect(client.sent).toHaveLength(REPLIES_TO_HI);
  });

  it("answers the same WhatsApp message once when two copies arrive at the same moment", async () => {
    const { bed, client } = await linkedBed();
    const message = privateMessage(PARENT, "hi");

    client.fire("message", message);
    client.fire("message", structuredClone(message));
    await sentCount(client, REPLIES_TO_HI);
    await bed.setup.stop?.();

    expect(inboundRows(bed)).toHaveLength(1);
    expect(bed.app.db.select().from(outbox).all()).toHaveLength(REPLIES_TO_HI);
    expect(client.sent).toHaveLength(REPLIES_TO_HI);
  });

  it("answers a sender under a hidden id (@lid) at the phone WhatsApp maps it to", async () => {
    const { bed, client } = await linkedBed();
    const hidden = privateMessage(PARENT, "hi");
    hidden.from = "179950657237125@lid";
    hidden.id.remote = hidden.from;
    client.lids.set(hidden.from, PARENT_CHAT);

    client.fire("message", hidden);

    const sent = await sentCount(client, REPLIES_TO_HI);
    expect(sent.map((entry) => entry.chatId)).toEqual([PARENT_CHAT, PARENT_CHAT]);
    expect(inboundRows(bed)).toEqual([expect.objectContaining({ address: PARENT })]);
  });
});

describe("WhatsApp Web acks", () => {
  async function sentReply() {
    const { bed, client } = await linkedBed();
    client.fire("message", privateMessage(PARENT, "hi"));
    const [reply] = await sentCount(client, REPLIES_TO_HI);
    if (!reply) throw new Error("no reply");
    const status = () =>
      bed.app.db
        .select({ status: outbox.status })
        .from(outbox)
        .where(eq(outbox.providerMessageId, reply.message.id._serialized))
        .get()?.status;
    return { client, reply, status };
  }

  it("moves the outbox row to delivered on ACK_DEVICE and read on ACK_READ, never back", async () => {
    const { client, reply, status } = await sentReply();
    expect(status()).toBe("sent");

    client.fire("message_ack", reply.message, 2);
    await vi.waitFor(() => expect(status()).toBe("delivered"));
    client.fire("message_ack", reply.message, 3);
    await vi.waitFor(() => expect(status()).toBe("read"));
    client.fire("message_ack", reply.message, 1);
    client.fire("message_ack", reply.message, 4);
    await bed?.setup.stop?.(); // waits for the acks in hand
    expect(status()).toBe("read");
  });

  it("marks the row failed on ACK_ERROR", async () => {
    const { client, reply, status } = await sentReply();
    client.fire("message_ack", reply.message, -1);
    await vi.waitFor(() => expect(status()).toBe("failed"));
  });

  it("ignores acks on messages that are not ours", async () => {
    const { client, status } = await sentReply();
    client.fire("message_ack", privateMessage(PARENT, "theirs"), 3);
    await bed?.setup.stop?.();
    expect(status()).toBe("sent");
  });
});

describe("WhatsApp Web sends", () => {
  it("keeps a message queued while the session is not linked, and sends it once ready", async () => {
    bed = await createWhatsAppWebTestbed();
    await bed.setup.start?.(bed.app.roadHandle);
    const client = bed.clients.latest();
    client.fire("qr", "2@not-linked-yet");

    client.fire("message", privateMessage(PARENT, "hi"));
    await bed.app.road.drain();
    const rows = () => bed?.app.db.select().from(outbox).all() ?? [];
    await vi.waitFor(() =>
      expect(rows().map((row) => [row.status, row.attempts, row.lastError])).toEqual([
        ["pending", 0, "WhatsApp Web is not linked yet"],
        ["pending", 0, null],
      ]),
    );
    // However long the scan takes, the messages wait; none is parked dead.
    for (let hour = 0; hour < 3; hour++) {
      bed.app.clock.advance(3_600_000);
      await bed.app.dispatcher.dispatchDue();
    }
    expect(rows().map((row) => [row.status, row.attempts])).toEqual([
      ["pending", 0],
      ["pending", 0],
    ]);
    expect(client.sent).toHaveLength(0);

    client.fire("authenticated");
    client.fire("ready");
    bed.app.clock.advance(60_000);
    await bed.app.dispatcher.dispatchDue();

    expect(client.sent.map((entry) => entry.chatId)).toEqual([PARENT_CHAT, PARENT_CHAT]);
    expect(rows().map((row) => row.status)).toEqual(["sent", "sent"]);
  });

  it("retries a send the page refused", async () => {
    const { bed, client } = await linkedBed();
    client.failSends = new Error("Evaluation failed: t");
    client.fire("message", privateMessage(PARENT, "hi"));
    const rows = () => bed.app.db.select().from(outbox).all();
    // The first reply was tried and is back in the queue with the page's error; the second
    // waits behind it, untried, so the parent gets them in order.
    await vi.waitFor(() =>
      expect(rows().map((row) => [row.status, row.attempts, row.lastError])).toEqual([
        ["pending", 1, "WhatsApp Web send failed: Evaluation failed: t"],
        ["pending", 0, null],
      ]),
    );

    client.failSends = undefined;
    bed.app.clock.advance(60_000);
    await bed.app.dispatcher.dispatchDue();
    expect(rows().map((row) => row.status)).toEqual(["sent", "sent"]);
    expect(client.sent).toHaveLength(REPLIES_TO_HI);
  });

  it("paces sends: one every WHATSAPP_WEB_SEND_INTERVAL_MS, the next one deferred", async () => {
    const { bed, client } = await linkedBed({ WHATSAPP_WEB_SEND_INTERVAL_MS: "2000" });
    client.fire("message", privateMessage(PARENT, "hi"));

    const held = () => bed.app.db.select().from(outbox).where(eq(outbox.status, "pending")).all();
    await vi.waitFor(() => expect(held()).toHaveLength(1));
    expect(client.sent).toHaveLength(1);
    // The interval, stretched by the pacing margin every channel gets.
    const interval = Math.ceil(2000 / PACE_MARGIN);
    expect(held()[0]?.nextAttemptAt).toBe(bed.app.clock.now() + interval);

    bed.app.clock.advance(interval - 1);
    await bed.app.dispatcher.dispatchDue();
    expect(held()).toHaveLength(1);
    bed.app.clock.advance(1);
    await bed.app.dispatcher.dispatchDue();
    expect(client.sent).toHaveLength(2);
  });
});
