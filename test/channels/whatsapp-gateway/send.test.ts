// The gateway's POST /send with the fake whatsapp-web.js client, and the runtime's channel that
// calls it: the WhatsApp id comes back for the outbox row, a retried request sends nothing twice
// (across a gateway restart too, for a week), the gateway's failures become the outbox's send
// failures, and a request not signed with the shared secret inside the replay window is refused
// with nothing sent.
import { afterEach, describe, expect, it } from "vitest";
import {
  createGatewayClient,
  createWhatsAppGatewayChannel,
  REPLAY_WINDOW_MS,
} from "../../../bots/whatsapp-gateway";
import { SEND_MEMORY_MS } from "../../../bots/whatsapp-gateway/send-memory";
import { ChannelSendError, type OutboundMessage } from "../../../src/contracts";
import { closedPort, silentSocket } from "../../support/unreachable-api";
import {
  createGatewayBed,
  GATEWAY_SECRET,
  type GatewayBed,
  linkGateway,
  type Served,
  type SignOptions,
  serveOnPort,
  signedInit,
} from "./support";

const NOW = Date.parse("2026-11-23T09:00:00Z");
const PARENT_CHAT = "14155550102@c.us";
const request = { outboxId: 7, address: "+14155550102", text: "Your request was received." };

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

/** A gateway; given the data directory of a stopped one, that gateway restarted. */
function bed(dataDir?: string): GatewayBed {
  const made = createGatewayBed({
    parentlineUrl: "http://127.0.0.1:9",
    now: () => NOW,
    ...(dataDir ? { dataDir } : {}),
  });
  cleanup.push(() => made.gateway.stop());
  return made;
}

const send = (made: GatewayBed, body: unknown, at = NOW, options = {}) =>
  made.gateway.app.request("/send", signedInit(body, { at, ...options }));

async function served(made: GatewayBed): Promise<Served> {
  const server = await serveOnPort(made.gateway.app.fetch);
  cleanup.push(() => server.close());
  return server;
}

/** The runtime's channel through a gateway at `url`. */
function runtimeChannel(url: string, timeoutMs = 1_000) {
  return createWhatsAppGatewayChannel({
    client: createGatewayClient({ url, secret: GATEWAY_SECRET, timeoutMs, now: () => NOW }),
    pacing: { sendIntervalMs: 2000, sendJitterMs: 0 },
  });
}

const outbound = (outboxId: number, text = "Hello from school"): OutboundMessage => ({
  outboxId,
  channel: "whatsapp-web",
  address: "+14155550102",
  kind: "reply",
  text,
});

describe("the gateway's /send", () => {
  it("sends through the WhatsApp Web session and answers with the WhatsApp message id", async () => {
    const made = bed();
    const client = await linkGateway(made);

    const response = await send(made, request);

    expect(response.status).toBe(200);
    expect(client.sent.map((entry) => [entry.chatId, entry.content])).toEqual([
      [PARENT_CHAT, request.text],
    ]);
    expect(await response.json()).toEqual({
      providerMessageId: client.sent[0]?.message.id._serialized,
    });
  });

  it("sends a retried request for the same outbox row once, answering the same id", async () => {
    const made = bed();
    const client = await linkGateway(made);

    const [first, second] = await Promise.all([send(made, request), send(made, request)]);
    const third = await send(made, request);

    expect(client.sent).toHaveLength(1);
    const ids = await Promise.all([first, second, third].map(async (r) => r.json()));
    expect(ids).toEqual(
      ids.map(() => ({ providerMessageId: client.sent[0]?.message.id._serialized })),
    );
  });

  it("sends an outbox row once when the runtime retries it after a gateway restart", async () => {
    const before = bed();
    const beforeClient = await linkGateway(before);
    const first = await send(before, request);
    await before.gateway.stop();

    const after = bed(before.dataDir);
    const afterClient = await linkGateway(after);
    const retried = await send(after, request);

    expect(beforeClient.sent).toHaveLength(1);
    expect(afterClient.sent).toEqual([]);
    expect(retried.status).toBe(200);
    expect(await retried.json()).toEqual(await first.json());
  });

  it("sends a reused outbox id with other words as a new message (the runtime's database reset)", async () => {
    const before = bed();
    await linkGateway(before);
    await send(before, request);
    await before.gateway.stop();

    const after = bed(before.dataDir);
    const client = await linkGateway(after);
    const response = await send(after, { ...request, text: "Welcome to Greenfield." });

    expect(response.status).toBe(200);
    expect(client.sent.map((entry) => entry.content)).toEqual(["Welcome to Greenfield."]);
  });

  it("forgets a send after a week, so its memory does not grow for good", async () => {
    const before = bed();
    await linkGateway(before);
    await send(before, request);
    await before.gateway.stop();
    const weekLater = NOW + SEND_MEMORY_MS + 60_000;

    const after = createGatewayBed({
      parentlineUrl: "http://127.0.0.1:9",
      now: () => weekLater,
      dataDir: before.dataDir,
    });
    cleanup.push(() => after.gateway.stop());
    const client = await linkGateway(after);
    const response = await send(after, request, weekLater);

    expect(response.status).toBe(200);
    expect(client.sent).toHaveLength(1);
  });

  it("answers 503 rate_limited with a wait while the session is not linked, sending nothing", async () => {
    const made = bed();
    await made.gateway.start(); // the QR code is not scanned

    const response = await send(made, request);

    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({
      error: {
        code: "rate_limited",
        message: "WhatsApp Web is not linked yet",
        details: { retryAfterMs: 15_000 },
      },
    });
    expect(made.clients.latest().sent).toEqual([]);
  });

  it("answers 502 transient when the page fails the send, and sends on the retry", async () => {
    const made = bed();
    const client = await linkGateway(made);
    client.failSends = new Error("Evaluation failed: t");

    const failed = await send(made, request);
    expect(failed.status).toBe(502);
    expect(await failed.json()).toMatchObject({ error: { code: "transient" } });

    client.failSends = undefined;
    expect((await send(made, request)).status).toBe(200);
    expect(client.sent).toHaveLength(1);
  });

  it.each([
    ["forged (another secret)", { secret: "not-the-gateway-secret-0123456789abcdef" }],
    ["stale (outside the replay window)", { at: NOW - REPLAY_WINDOW_MS - 1_000 }],
    ["from the future", { at: NOW + REPLAY_WINDOW_MS + 1_000 }],
    ["missing its signature", { omit: "signature" as const }],
    ["missing its timestamp", { omit: "timestamp" as const }],
    ["changed after signing", { signedBody: JSON.stringify({ ...request, text: "other" }) }],
  ] as [string, Partial<SignOptions>][])(
    "refuses a request %s with 401, sending nothing",
    async (_, options) => {
      const made = bed();
      const client = await linkGateway(made);

      const response = await send(made, request, options.at ?? NOW, options);

      expect(response.status).toBe(401);
      expect(client.sent).toEqual([]);
    },
  );

  it("refuses a signed request that is not a message with 400, sending nothing", async () => {
    const made = bed();
    const client = await linkGateway(made);

    const response = await send(made, { ...request, address: "not a phone" });

    expect(response.status).toBe(400);
    expect(client.sent).toEqual([]);
  });
});

describe("the runtime's channel through the gateway", () => {
  it("sends a long text as the gateway's parts and returns the last part's id", async () => {
    const made = bed();
    const client = await linkGateway(made);
    const channel = runtimeChannel((await served(made)).url);
    const long = outbound(8, "A sentence that goes on. ".repeat(400).trim());

    expect(channel.sendCost?.(long)).toBe(3);
    const receipt = await channel.send(long);

    expect(client.sent).toHaveLength(3);
    expect(receipt).toEqual({ providerMessageId: client.sent[2]?.message.id._serialized });
  });

  it("takes the gateway's not-linked answer as a pause, with its wait", async () => {
    const made = bed();
    await made.gateway.start();
    const channel = runtimeChannel((await served(made)).url);

    const error = await channel.send(outbound(9)).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ChannelSendError);
    expect(error).toMatchObject({ failure: "rate_limited", details: { retryAfterMs: 15_000 } });
  });

  it("fails transient, not rejected, when the gateway refuses its signature", async () => {
    const made = bed();
    const client = await linkGateway(made);
    const channel = createWhatsAppGatewayChannel({
      client: createGatewayClient({
        url: (await served(made)).url,
        secret: "the-runtime-has-another-secret-0123456789",
        timeoutMs: 1_000,
        now: () => NOW,
      }),
      pacing: { sendIntervalMs: 2000, sendJitterMs: 0 },
    });

    await expect(channel.send(outbound(10))).rejects.toMatchObject({
      failure: "transient",
      message: "WhatsApp gateway 401: signature refused",
    });
    expect(client.sent).toEqual([]);
  });

  it("fails transient within its timeout when the gateway is down or never answers", async () => {
    for (const outage of [await closedPort(), await silentSocket()]) {
      cleanup.push(() => outage.close());
      const channel = runtimeChannel(outage.base, 300);
      const started = performance.now();

      await expect(channel.send(outbound(11))).rejects.toMatchObject({ failure: "transient" });
      expect(performance.now() - started).toBeLessThan(2_000);
    }
  });
});
