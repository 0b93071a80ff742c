// Sending through the WhatsApp Cloud API with the outbox dispatcher: rate limits, the 24-hour
// customer-service window (template, or SMS fallback), refusals, long texts and the API base.
import { eq } from "drizzle-orm";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { createGraphClient, createWhatsAppCloudChannel } from "../../../bots/whatsapp-cloud";
import { openSqliteDatabase, schema } from "../../../db";
import type { Channel, OutboundMessage, SendReceipt } from "../../../src/contracts";
import { createLogger } from "../../../src/logger";
import { OutboxDispatcher, type OutboxDraft, planOutboxMessage } from "../../../src/outbox";
import { UnitOfWork } from "../../../src/outbox/unit-of-work";
import { createSecrets } from "../../../src/security";
import { createTestParentline, DEMO, testClock } from "../../support/parentline";
import {
  ACCESS_TOKEN,
  fixture,
  GRAPH_BASE,
  graphApi,
  PHONE_NUMBER_ID,
  postWebhook,
  textOf,
  textWebhook,
  WHATSAPP_ENV,
} from "./support";

const PARENT = DEMO.parentWithTwoChildren;
const HOUR = 60 * 60 * 1000;
const secrets = createSecrets("x".repeat(32));

const graph = graphApi();
const server = setupServer(graph.handler);
beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterEach(() => {
  server.resetHandlers();
  graph.calls.length = 0;
});
afterAll(() => server.close());

type Db = ReturnType<typeof openSqliteDatabase>;

/** Queues one message the way the services do (a staff reply, an announcement). */
async function enqueue(db: Db, now: number, draft: Partial<OutboxDraft> = {}): Promise<number> {
  const uow = new UnitOfWork();
  planOutboxMessage({ db, secrets, now: () => now }, uow, {
    schoolId: null,
    channel: "whatsapp-cloud",
    address: PARENT,
    kind: "staff_reply",
    body: "Ms Rao: the trip is on Friday.\nBring a packed lunch.",
    ...draft,
  });
  await uow.commit(db);
  const [id] = uow.outboxIds;
  if (id === undefined) throw new Error("nothing queued");
  return id;
}

async function rowOf(db: Db, id: number) {
  const [row] = await db.select().from(schema.outbox).where(eq(schema.outbox.id, id));
  if (!row) throw new Error(`no outbox row ${id}`);
  return row;
}

describe("sending through the WhatsApp Cloud API", () => {
  it("puts rows back when the Graph API says 429 and sends them once the wait is over", async () => {
    const app = await createTestParentline(WHATSAPP_ENV);
    graph.failNext(429, fixture("send-error-rate-limit"));
    expect((await postWebhook(app, textWebhook(PARENT, "hi"))).status).toBe(200);

    // The first send was refused; the dispatcher paused the channel, so neither row went.
    expect(graph.calls).toHaveLength(1);
    const rows = await app.db.select().from(schema.outbox);
    expect(rows.map((row) => row.status)).toEqual(["pending", "pending"]);
    for (const row of rows) expect(row.nextAttemptAt).toBeGreaterThan(app.clock.now());

    expect(await app.dispatcher.dispatchDue()).toBe(0);
    app.clock.advance(2_000);
    expect(await app.dispatcher.dispatchDue()).toBe(2);
    expect(graph.calls).toHaveLength(3);
    const sent = await app.db.select().from(schema.outbox);
    expect(sent.map((row) => [row.status, row.providerMessageId])).toEqual(
      graph.calls.slice(1).map((call) => ["sent", call.wamid]),
    );
  });

  it("sends free-form inside the window and the configured template outside it", async () => {
    const app = await createTestParentline({
      ...WHATSAPP_ENV,
      WHATSAPP_CLOUD_TEMPLATE: "parentline_update:en_GB",
    });
    await postWebhook(app, textWebhook(PARENT, "hi"));
    graph.calls.length = 0;

    app.clock.advance(23 * HOUR);
    const inside = await enqueue(app.db, app.clock.now());
    await app.dispatcher.dispatchDue();
    expect(graph.calls.map((call) => call.body)).toEqual([
      {
        messaging_product: "whatsapp",
        recipient_type: "individual",
        to: "14155550101",
        type: "text",
        text: { body: "Ms Rao: the trip is on Friday.\nBring a packed lunch." },
      },
    ]);
    expect((await rowOf(app.db, inside)).status).toBe("sent");

    app.clock.advance(1 * HOUR + 1);
    const outside = await enqueue(app.db, app.clock.now(), {
      options: [
        { id: "thanks", label: "Thanks" },
        { id: "reopen", label: "Reopen" },
      ],
    });
    await app.dispatcher.dispatchDue();
    expect(graph.calls[1]?.body).toEqual({
      messaging_product: "whatsapp",
      recipient_type: "individual",
      to: "14155550101",
      type: "template",
      template: {
        name: "parentline_update",
        language: { code: "en_GB" },
        components: [
          {
            type: "body",
            parameters: [
              {
                type: "text",
                text: "Ms Rao: the trip is on Friday. Bring a packed lunch. 1. Thanks 2. Reopen",
              },
            ],
          },
        ],
      },
    });
    expect(await rowOf(app.db, outside)).toMatchObject({
      status: "sent",
      providerMessageId: graph.calls[1]?.wamid,
    });
  });

  it("sends the template to a number that never wrote on WhatsApp, in the default language", async () => {
    const app = await createTestParentline({
      ...WHATSAPP_ENV,
      WHATSAPP_CLOUD_TEMPLATE: "parentline_update",
    });
    const id = await enqueue(app.db, app.clock.now(), { address: DEMO.parentWithOneChild });
    await app.dispatcher.dispatchDue();
    expect(graph.calls).toHaveLength(1);
    expect(graph.calls[0]?.body).toMatchObject({
      to: "14155550102",
      type: "template",
      template: { name: "parentline_update", language: { code: "en_US" } },
    });
    expect((await rowOf(app.db, id)).status).toBe("sent");
  });

  it("parks the row as dead outside the window with no template and no SMS channel", async () => {
    const app = await createTestParentline(WHATSAPP_ENV);
    const id = await enqueue(app.db, app.clock.now());
    await app.dispatcher.dispatchDue();
    expect(graph.calls).toHaveLength(0);
    const row = await rowOf(app.db, id);
    expect(row.status).toBe("dead");
    expect(row.lastError).toContain("no other channel to try");
  });

  it("refuses a message Meta cannot deliver (131026) for good", async () => {
    const app = await createTestParentline(WHATSAPP_ENV);
    await postWebhook(app, textWebhook(PARENT, "hi"));
    graph.failNext(400, {
      error: {
        message: "(#131026) Message undeliverable",
        type: "OAuthException",
        code: 131026,
        fbtrace_id: "A1",
      },
    });
    const id = await enqueue(app.db, app.clock.now());
    await app.dispatcher.dispatchDue();
    expect(await rowOf(app.db, id)).toMatchObject({ status: "dead" });
    expect((await rowOf(app.db, id)).lastError).toContain("#131026");
    app.clock.advance(HOUR);
    expect(await app.dispatcher.dispatchDue()).toBe(0);
  });
});

/** A dispatcher over a fresh database with this channel and a fake SMS channel beside it. */
function dispatcherWithSms(template?: { name: string; language: string }) {
  const db = openSqliteDatabase(":memory:");
  const clock = testClock();
  const whatsapp = createWhatsAppCloudChannel({
    client: createGraphClient({
      apiBase: GRAPH_BASE,
      phoneNumberId: PHONE_NUMBER_ID,
      token: ACCESS_TOKEN,
      timeoutMs: 10_000,
    }),
    perSecond: 80,
    ...(template ? { template } : {}),
    now: clock.now,
  });
  const smsSend = vi.fn(
    async (message: OutboundMessage): Promise<SendReceipt> => ({
      providerMessageId: `SM${message.outboxId}`,
    }),
  );
  const sms: Channel = {
    name: "sms",
    capabilities: {
      buttons: false,
      readReceipts: false,
      inlineReply: true,
      phoneAddressed: true,
      maxTextLength: 1600,
      carrierKeywords: true,
    },
    limits: { perSecond: 1 },
    send: smsSend,
  };
  const dispatcher = new OutboxDispatcher({
    db,
    channels: new Map<string, Channel>([
      ["whatsapp-cloud", whatsapp],
      ["sms", sms],
    ]),
    secrets,
    log: createLogger("silent"),
    now: clock.now,
  });
  return { db, clock, dispatcher, smsSend };
}

describe("falling back to SMS outside the 24-hour window", () => {
  it("fails the WhatsApp row and queues the same message by SMS when no template is configured", async () => {
    const { db, clock, dispatcher, smsSend } = dispatcherWithSms();
    const id = await enqueue(db, clock.now());
    await dispatcher.dispatchDue();

    expect(graph.calls).toHaveLength(0);
    const rows = await db.select().from(schema.outbox);
    expect(rows).toHaveLength(2);
    expect(await rowOf(db, id)).toMatchObject({ status: "failed", channel: "whatsapp-cloud" });
    expect((await rowOf(db, id)).lastError).toContain("sent by sms instead");
    const fallback = rows.find((row) => row.id !== id);
    expect(fallback).toMatchObject({
      channel: "sms",
      address: PARENT,
      status: "pending",
      kind: "staff_reply",
    });
    await dispatcher.dispatchDue();
    expect((await rowOf(db, fallback?.id ?? 0)).status).toBe("sent");
    expect(smsSend).toHaveBeenCalledTimes(1);
    expect(smsSend.mock.calls[0]?.[0]).toMatchObject({
      channel: "sms",
      address: PARENT,
      text: "Ms Rao: the trip is on Friday.\nBring a packed lunch.",
    });
  });

  it("falls back the same way when Meta itself answers 131047 (re-engagement) to a send", async () => {
    const { db, clock, dispatcher, smsSend } = dispatcherWithSms({
      name: "parentline_update",
      language: "en_US",
    });
    graph.failNext(400, fixture("send-error-re-engagement"));
    const id = await enqueue(db, clock.now());
    await dispatcher.dispatchDue();

    expect(graph.calls).toHaveLength(1);
    expect(await rowOf(db, id)).toMatchObject({ status: "failed" });
    await dispatcher.dispatchDue();
    expect(smsSend).toHaveBeenCalledTimes(1);
  });
});

describe("long texts", () => {
  it("sends a long text as several messages in order, the last one's wamid on the row", async () => {
    const { db, clock, dispatcher, smsSend } = dispatcherWithSms();
    // The parent wrote a minute ago: inside the window.
    await db.insert(schema.inboundMessages).values({
      channel: "whatsapp-cloud",
      providerMessageId: "wamid.inbound",
      address: PARENT,
      receivedAt: clock.now() - 60_000,
    });
    const body = "Dear families, the spring fair moves to the sports hall this year. "
      .repeat(70)
      .trim();
    const id = await enqueue(db, clock.now(), { kind: "announcement", body });
    await dispatcher.dispatchDue();

    expect(smsSend).not.toHaveBeenCalled();
    expect(graph.calls.map((call) => call.body.type)).toEqual(["text", "text"]);
    expect(graph.calls.map(textOf).join(" ")).toBe(body);
    expect(await rowOf(db, id)).toMatchObject({
      status: "sent",
      providerMessageId: graph.calls[1]?.wamid,
    });
  });
});

describe("attachments", () => {
  const newsletter = {
    url: "https://school.example/files/Nov%20newsletter.pdf",
    contentType: "application/pdf",
  };
  const envelope = {
    messaging_product: "whatsapp",
    recipient_type: "individual",
    to: "14155550101",
  };

  /** A parent who wrote a minute ago (inside the window), on an app with a template set. */
  async function inWindow() {
    const app = await createTestParentline({
      ...WHATSAPP_ENV,
      WHATSAPP_CLOUD_TEMPLATE: "parentline_update",
    });
    await postWebhook(app, textWebhook(PARENT, "hi"));
    graph.calls.length = 0;
    app.clock.advance(60_000);
    return app;
  }

  it("sends a document by link with the text as its caption and its file name", async () => {
    const app = await inWindow();
    const id = await enqueue(app.db, app.clock.now(), {
      kind: "announcement",
      body: "November newsletter",
      media: [newsletter],
    });
    await app.dispatcher.dispatchDue();
    expect(graph.calls.map((call) => call.body)).toEqual([
      {
        ...envelope,
        type: "document",
        document: {
          link: newsletter.url,
          caption: "November newsletter",
          filename: "Nov newsletter.pdf",
        },
      },
    ]);
    expect(await rowOf(app.db, id)).toMatchObject({
      status: "sent",
      providerMessageId: graph.calls[0]?.wamid,
    });
  });

  it("sends a text too long for a caption first, then the picture as an image", async () => {
    const app = await inWindow();
    const body = "The sports day moves to the big field behind the hall this year. "
      .repeat(20)
      .trim();
    const photo = { url: "https://school.example/field-map.png", contentType: "image/png" };
    const id = await enqueue(app.db, app.clock.now(), {
      kind: "announcement",
      body,
      media: [photo],
    });
    await app.dispatcher.dispatchDue();
    expect(graph.calls.map((call) => call.body)).toEqual([
      { ...envelope, type: "text", text: { body } },
      { ...envelope, type: "image", image: { link: photo.url } },
    ]);
    expect((await rowOf(app.db, id)).providerMessageId).toBe(graph.calls[1]?.wamid);
  });

  it("outside the window appends the link to the template's text", async () => {
    const app = await inWindow();
    app.clock.advance(25 * HOUR);
    await enqueue(app.db, app.clock.now(), {
      kind: "announcement",
      body: "November newsletter",
      media: [newsletter],
    });
    await app.dispatcher.dispatchDue();
    expect(graph.calls).toHaveLength(1);
    expect(graph.calls[0]?.body).toMatchObject({
      type: "template",
      template: {
        components: [
          { parameters: [{ type: "text", text: `November newsletter ${newsletter.url}` }] },
        ],
      },
    });
  });
});

describe("WHATSAPP_CLOUD_API_BASE", () => {
  it("sends to the configured Graph API base", async () => {
    const elsewhere = graphApi("https://graph.example.test/v22.0");
    server.use(elsewhere.handler);
    const app = await createTestParentline({
      ...WHATSAPP_ENV,
      WHATSAPP_CLOUD_API_BASE: "https://graph.example.test/v22.0",
    });
    await postWebhook(app, textWebhook(PARENT, "hi"));
    expect(graph.calls).toHaveLength(0);
    expect(elsewhere.calls).toHaveLength(2);
    expect(elsewhere.calls[0]?.phoneNumberId).toBe(PHONE_NUMBER_ID);
  });
});
