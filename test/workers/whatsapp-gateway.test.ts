// WhatsApp Web beside a Worker, on the local Workers runtime (workerd): the gateway (the fake
// whatsapp-web.js client, on a local port) relays a parent's messages to /t/{tenant}/webhooks/
// whatsapp-web; the tenant's Durable Object verifies the parent and takes the request to a ticket;
// the teacher's /v1 reply leaves from the object through the gateway's /send to the parent's chat,
// and the parent's read ack relayed back moves that message's outbox row to "read". An admin of
// the tenant reads the gateway's link and QR code at /t/{tenant}/staff/whatsapp-web/link.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MessageAck } from "../../bots/whatsapp-web";
import {
  createGatewayBed,
  GATEWAY_SECRET,
  type GatewayBed,
  linkGateway,
  type Served,
  serveOnPort,
  signedInit,
} from "../channels/whatsapp-gateway/support";
import { type FakeWhatsAppWebClient, privateMessage } from "../channels/whatsapp-web/fake-client";
import { expectWaitingForScan, SAMPLE_QR } from "../channels/whatsapp-web/qr-code";
import { eventually } from "../support/eventually";
import { codeIn, DEMO, STAFF } from "../support/parentline";
import { type LocalWorker, startLocalWorker } from "../support/workerd";
import { signInOverApi } from "./phone-codes";

const TENANT = "greenfield";
const PARENT = DEMO.parentWithOneChild;
const PARENT_CHAT = "14155550102@c.us";
/** workerd shares the machine's cores with the rest of the suite: waits allow for that. */
const SLOW_RUNTIME_MS = 60_000;

let worker: LocalWorker;
let gatewayServer: Served;
let bed: GatewayBed;
let client: FakeWhatsAppWebClient;

beforeAll(async () => {
  let gateway: GatewayBed | undefined;
  gatewayServer = await serveOnPort((request) =>
    gateway ? gateway.gateway.app.fetch(request) : new Response(null, { status: 503 }),
  );
  worker = await startLocalWorker({
    NODE_ENV: "development",
    APP_SECRET: "workers-gateway-secret-of-at-least-32-chars",
    LOG_LEVEL: "warn",
    [`TENANT_CONFIG_${TENANT.toUpperCase()}`]: JSON.stringify({
      WHATSAPP_GATEWAY_URL: gatewayServer.url,
      WHATSAPP_GATEWAY_SECRET: GATEWAY_SECRET,
      WHATSAPP_WEB_SEND_INTERVAL_MS: "1",
      WHATSAPP_WEB_SEND_JITTER_MS: "0",
    }),
  });
  gateway = createGatewayBed({
    parentlineUrl: `${worker.url}/t/${TENANT}`,
    now: Date.now,
    relayTiming: {
      attemptTimeoutMs: SLOW_RUNTIME_MS,
      firstDelayMs: 100,
      maxDelayMs: 1_000,
    },
  });
  bed = gateway;
  client = await linkGateway(bed);
}, 120_000);

afterAll(async () => {
  await bed?.gateway.stop();
  await worker?.dispose();
  await gatewayServer?.close();
});

/** The parent writes `text`; resolves once the Worker has taken it. */
async function parentSays(text: string): Promise<void> {
  client.fire("message", privateMessage(PARENT, text));
  await bed.gateway.settled();
}

/** The first message to the parent's chat, from `from` on, that matches. */
function sentToParent(what: string, matches: (text: string) => boolean, from = 0) {
  return eventually(
    what,
    async () =>
      client.sent
        .slice(from)
        .find((entry) => entry.chatId === PARENT_CHAT && matches(entry.content)),
    SLOW_RUNTIME_MS,
  );
}

const signIn = (phone: string) => signInOverApi(worker, TENANT, phone);

describe("WhatsApp Web through the gateway beside a Worker", () => {
  it("takes a parent's request to a ticket and the teacher's answer back through the gateway", async () => {
    await parentSays("hi");
    const codeMessage = await sentToParent("the parent's code", (text) => /code is/.test(text));
    await parentSays(codeIn([codeMessage.content]));
    for (const step of ["New request", "Academics", "Is there homework this weekend?", "Send"])
      await parentSays(step);

    const token = await signIn(STAFF.rao);
    const listed = await worker.fetch("/v1/tickets", {
      headers: { authorization: `Bearer ${token}` },
    });
    const { tickets } = (await listed.json()) as { tickets: { id: number }[] };
    expect(tickets).toHaveLength(1);
    const before = client.sent.length;
    const replied = await worker.fetch(`/v1/tickets/${tickets[0]?.id}/replies`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ body: "Yes: pages 12 to 14." }),
    });
    expect(replied.status).toBe(201);

    const answer = await sentToParent(
      "the teacher's answer",
      (text) => text.includes("Yes: pages 12 to 14."),
      before,
    );

    // The parent reads it: the gateway relays the ack. A "delivered" receipt after it moves
    // nothing, as the row is already "read" (a row never moves backwards).
    client.fire("message_ack", answer.message, MessageAck.READ);
    await bed.gateway.settled();
    const late = await worker.fetch(
      `/t/${TENANT}/webhooks/whatsapp-web`,
      signedInit(
        {
          kind: "receipt",
          receipt: {
            channel: "whatsapp-web",
            providerMessageId: answer.message.id._serialized,
            status: "delivered",
          },
        },
        { at: Date.now() },
      ),
    );
    expect(await late.json()).toEqual({ moved: false });
  }, 120_000);

  it("refuses a forged relay to the tenant with 401", async () => {
    const response = await worker.fetch(
      `/t/${TENANT}/webhooks/whatsapp-web`,
      signedInit(
        { kind: "message", message: { channel: "whatsapp-web", address: PARENT, text: "x" } },
        { at: Date.now(), secret: "not-the-gateway-secret-0123456789abcdef" },
      ),
    );
    expect(response.status).toBe(401);
  });

  it("shows the tenant's admin the gateway's QR code at /t/{tenant}/staff/whatsapp-web/link", async () => {
    const link = (token: string) =>
      worker.fetch(`/t/${TENANT}/staff/whatsapp-web/link`, {
        headers: { authorization: `Bearer ${token}` },
      });
    const admin = await signIn(STAFF.admin);
    // WhatsApp shows a new code: the gateway's session waits for a scan again.
    client.fire("qr", SAMPLE_QR);
    try {
      const waiting = await link(admin);
      await expectWaitingForScan(waiting);

      const teacher = await signIn(STAFF.rao);
      expect((await link(teacher)).status).toBe(403);
    } finally {
      client.fire("ready");
    }
    expect(await (await link(admin)).json()).toEqual({ state: "ready" });
  }, 120_000);
});
