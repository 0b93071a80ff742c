// The gateway's relay, with the fake whatsapp-web.js client firing the library's events: each
// private message and each ack is POSTed signed to the runtime's /webhooks/whatsapp-web, in the
// order they came; a runtime that fails (5xx, down, silent) is retried until the relay's deadline,
// never longer, and one that refuses (401) is not retried.
import { afterEach, describe, expect, it } from "vitest";
import { isSignedWith } from "../../../bots/whatsapp-gateway/signature";
import { MessageAck } from "../../../bots/whatsapp-web";
import { closedPort, silentSocket } from "../../support/unreachable-api";
import { groupMessage, privateMessage } from "../whatsapp-web/fake-client";
import {
  createGatewayBed,
  GATEWAY_SECRET,
  linkGateway,
  QUICK_RELAY,
  type Served,
  serveOnPort,
} from "./support";

const NOW = Date.parse("2026-11-23T09:00:00Z");
const PARENT = "+14155550102";

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

interface Received {
  path: string;
  signed: boolean;
  body: { kind: string; message?: { text: string; address: string }; receipt?: unknown };
}

/** A runtime stand-in answering each relay with the next of `statuses` (then 200). */
async function standInRuntime(statuses: number[] = []) {
  const received: Received[] = [];
  const served: Served = await serveOnPort(async (request) => {
    const raw = new Uint8Array(await request.arrayBuffer());
    const signed = isSignedWith(
      GATEWAY_SECRET,
      {
        timestamp: request.headers.get("x-parentline-timestamp") ?? "",
        signature: request.headers.get("x-parentline-signature") ?? "",
      },
      raw,
    );
    received.push({
      path: new URL(request.url).pathname,
      signed,
      body: JSON.parse(new TextDecoder().decode(raw)),
    });
    const status = statuses.shift() ?? 200;
    return status === 200
      ? Response.json({ accepted: true, moved: true })
      : Response.json({ error: { code: "x", message: "x" } }, { status });
  });
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

  it("lands a relay whose deadline is shorter than one attempt's timeout", async () => {
    const runtime = await standInRuntime();
    const bed = createGatewayBed({
      parentlineUrl: runtime.url,
      now: () => NOW,
      relayTiming: { ...QUICK_RELAY, attemptTimeoutMs: 5_000, deadlineMs: 2_000 },
    });
    cleanup.push(() => bed.gateway.stop());
    const client = await linkGateway(bed);

    client.fire("message", privateMessage(PARENT, "hi"));
    await bed.gateway.settled();

    expect(runtime.received.map((entry) => entry.body.message?.text)).toEqual(["hi"]);
  });

  it("does not retry a relay the runtime refused", async () => {
    const runtime = await standInRuntime([401]);
    const { bed, client } = await linkedGatewayTo(runtime.url);

    client.fire("message", privateMessage(PARENT, "hi"));
    await bed.gateway.settled();

    expect(runtime.received).toHaveLength(1);
  });

  it("gives a relay up at its deadline when the runtime is down or never answers", async () => {
    for (const outage of [await closedPort(), await silentSocket()]) {
      cleanup.push(() => outage.close());
      const { bed, client } = await linkedGatewayTo(outage.base);
      const started = performance.now();

      client.fire("message", privateMessage(PARENT, "hi"));
      await bed.gateway.settled();

      const took = performance.now() - started;
      expect(took).toBeGreaterThanOrEqual(QUICK_RELAY.deadlineMs - 50);
      // Its last attempt is cut to what the deadline leaves; the margin is for a loaded machine.
      expect(took).toBeLessThan(QUICK_RELAY.deadlineMs + 1_000);
    }
  });
});
