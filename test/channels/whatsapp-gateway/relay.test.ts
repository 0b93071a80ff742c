// The gateway's relay, with the fake whatsapp-web.js client firing the library's events: each
// private message and each ack is kept in the gateway's file and POSTed signed to the runtime's
// /webhooks/whatsapp-web, in the order they came, until the runtime takes it: a runtime down for
// any length of time (the clock faked), refusing the gateway's signature, or a gateway restarted
// in between loses nothing; a relay the runtime calls bad is set aside, not dropped.
import { createServer } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { DEFAULT_RELAY_TIMING } from "../../../bots/whatsapp-gateway/relay-queue";
import { MessageAck } from "../../../bots/whatsapp-web";
import { eventually } from "../../support/eventually";
import { groupMessage, privateMessage } from "../whatsapp-web/fake-client";
import { createGatewayBed, linkGateway, readRelay, type Served, serveOnPort } from "./support";

const NOW = Date.parse("2026-11-23T09:00:00Z");
const PARENT = "+14155550102";

const cleanup: (() => Promise<void>)[] = [];

/** A port nothing listens on now: connections to it are refused until a test serves on it. */
async function freePortNumber(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Time that passes only when the relay queue waits: 11 minutes go by in milliseconds. */
function virtualClock(start: number) {
  let at = start;
  const waits: number[] = [];
  return {
    now: () => at,
    waits,
    async wait(ms: number) {
      waits.push(ms);
      at += ms;
      await new Promise((resolve) => setImmediate(resolve));
    },
  };
}
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

interface Received {
  path: string;
  signed: boolean;
  body: { kind: string; message?: { text: string; address: string }; receipt?: unknown };
}

/** A runtime stand-in answering each relay with the next of `statuses` (then 200). */
async function standInRuntime(statuses: number[] = [], port = 0) {
  const received: Received[] = [];
  const served: Served = await serveOnPort(async (request) => {
    const { signed, body } = await readRelay(request);
    received.push({ path: new URL(request.url).pathname, signed, body: body as Received["body"] });
    const status = statuses.shift() ?? 200;
    return status === 200
      ? Response.json({ accepted: true, moved: true })
      : Response.json({ error: { code: "x", message: "x" } }, { status });
  }, port);
  cleanup.push(() => served.close());
  return { ...served, received };
}

async function linkedGatewayTo(parentlineUrl: string) {
  const bed = createGatewayBed({ parentlineUrl, now: () => NOW });
  cleanup.push(() => bed.gateway.stop());
  return { bed, client: await linkGateway(bed) };
}

describe("the gateway's relay to the runtime", () => {
  it("POSTs a private message, parsed, and an ack as a receipt, signed, to /webhooks/whatsapp-web", async () => {
    const runtime = await standInRuntime();
    const { bed, client } = await linkedGatewayTo(`${runtime.url}/t/greenfield`);
    const sent = await client.sendMessage("14155550102@c.us", "Your code is 123456");

    client.fire("message", privateMessage(PARENT, "hi"));
    client.fire("message", groupMessage());
    client.fire("message_ack", sent, MessageAck.READ);
    await bed.gateway.settled();

    expect(runtime.received).toEqual([
      {
        path: "/t/greenfield/webhooks/whatsapp-web",
        signed: true,
        body: {
          kind: "message",
          message: expect.objectContaining({
            channel: "whatsapp-web",
            address: PARENT,
            text: "hi",
          }),
        },
      },
      {
        path: "/t/greenfield/webhooks/whatsapp-web",
        signed: true,
        body: {
          kind: "receipt",
          receipt: {
            channel: "whatsapp-web",
            providerMessageId: sent.id._serialized,
            status: "read",
          },
        },
      },
    ]);
  });

  it("retries a relay the runtime failed, keeping the messages in the order they came", async () => {
    const runtime = await standInRuntime([502, 503]);
    const { bed, client } = await linkedGatewayTo(runtime.url);

    client.fire("message", privateMessage(PARENT, "first"));
    client.fire("message", privateMessage(PARENT, "second"));
    await bed.gateway.settled();

    expect(runtime.received.map((entry) => entry.body.message?.text)).toEqual([
      "first",
      "first",
      "first",
      "second",
    ]);
  });

  it("keeps a relay the runtime refuses with 401, reports it on /health, and lands it once taken", async () => {
    const runtime = await standInRuntime([401, 401, 401]);
    const { bed, client } = await linkedGatewayTo(runtime.url);

    client.fire("message", privateMessage(PARENT, "hi"));
    const refused = await eventually("the gateway's health to say refused", async () => {
      const health = await bed.gateway.app.request("/health");
      return health.status === 503 ? health : undefined;
    });
    expect(await refused.json()).toMatchObject({
      status: "relay refused",
      relay: {
        state: "refused",
        pending: 1,
        lastFailure: { status: 401, failure: expect.stringContaining("HTTP 401") },
      },
    });
    await bed.gateway.settled();

    expect(runtime.received.map((entry) => entry.body.message?.text)).toEqual([
      "hi",
      "hi",
      "hi",
      "hi",
    ]);
    const health = await bed.gateway.app.request("/health");
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({
      status: "ok",
      relay: { state: "idle", pending: 0, setAside: 0, lastFailure: null },
    });
  });

  it("sets a relay the runtime calls bad (422) aside, keeping it, and relays the next", async () => {
    const runtime = await standInRuntime([422]);
    const { bed, client } = await linkedGatewayTo(runtime.url);

    client.fire("message", privateMessage(PARENT, "first"));
    client.fire("message", privateMessage(PARENT, "second"));
    await bed.gateway.settled();

    expect(runtime.received.map((entry) => entry.body.message?.text)).toEqual(["first", "second"]);
    const [aside] = bed.gateway.store.setAsideRelays();
    expect(aside).toMatchObject({ status: 422, reason: expect.stringContaining("HTTP 422") });
    expect(JSON.parse(aside?.body ?? "{}")).toMatchObject({ message: { text: "first" } });
    expect(await (await bed.gateway.app.request("/health")).json()).toMatchObject({
      status: "ok",
      relay: { pending: 0, setAside: 1 },
    });
  });

  it("delivers each relay once, in order, when the runtime comes back after 11 minutes down", async () => {
    const port = await freePortNumber();
    const clock = virtualClock(NOW);
    const comesBackAt = NOW + 11 * 60_000;
    let runtime: Awaited<ReturnType<typeof standInRuntime>> | undefined;
    const bed = createGatewayBed({
      parentlineUrl: `http://127.0.0.1:${port}`,
      now: clock.now,
      relayTiming: DEFAULT_RELAY_TIMING,
      wait: async (ms) => {
        await clock.wait(ms);
        // Parentline starts again on its port once its 11 minutes are up.
        if (!runtime && clock.now() >= comesBackAt) runtime = await standInRuntime([], port);
      },
    });
    cleanup.push(() => bed.gateway.stop());
    const client = await linkGateway(bed);

    client.fire("message", privateMessage(PARENT, "first"));
    client.fire("message", privateMessage(PARENT, "second"));
    client.fire("message", privateMessage("+14155550199", "another parent"));
    await bed.gateway.settled();

    expect(clock.now() - NOW).toBeGreaterThanOrEqual(11 * 60_000);
    expect(runtime?.received.map((entry) => entry.body.message?.text)).toEqual([
      "first",
      "second",
      "another parent",
    ]);
    // Capped exponential backoff: 1 s, 2 s, 4 s … then every 30 s, never given up.
    expect(clock.waits.slice(0, 6)).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 30_000]);
    expect(Math.max(...clock.waits)).toBe(DEFAULT_RELAY_TIMING.maxDelayMs);
  });

  it("delivers what was queued before a restart, in order, once the gateway starts again", async () => {
    const port = await freePortNumber();
    const first = createGatewayBed({ parentlineUrl: `http://127.0.0.1:${port}`, now: () => NOW });
    const client = await linkGateway(first);
    client.fire("message", privateMessage(PARENT, "first"));
    client.fire("message", privateMessage(PARENT, "second"));
    await eventually("a failed attempt", async () =>
      first.gateway.relays.status().state === "retrying" ? true : undefined,
    );
    await first.gateway.stop();

    const runtime = await standInRuntime([], port);
    const restarted = createGatewayBed({
      parentlineUrl: runtime.url,
      now: () => NOW,
      dataDir: first.dataDir,
    });
    cleanup.push(() => restarted.gateway.stop());
    expect(restarted.gateway.relays.status()).toMatchObject({ pending: 2 });
    await linkGateway(restarted);
    await restarted.gateway.settled();

    expect(runtime.received.map((entry) => entry.body.message?.text)).toEqual(["first", "second"]);
    expect(restarted.gateway.relays.status()).toMatchObject({ pending: 0 });
  });
});
