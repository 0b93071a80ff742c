// The runtime's POST /webhooks/whatsapp-web, as the gateway calls it: a relayed message takes the
// inbound road and its replies go to the gateway's /send, a relayed ack moves its outbox row, and
// a forged, stale or unsigned relay is refused with 401 before its body is read, changing nothing.
import { request } from "node:http";
import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { REPLAY_WINDOW_MS } from "../../../bots/whatsapp-gateway";
import { schema } from "../../../db";
import { snapshotDatabase } from "../../support/database-snapshot";
import { createTestParentline, DEMO, type TestParentline } from "../../support/parentline";
import { gatewayEnv, type Served, type SignOptions, serveOnPort, signedInit } from "./support";

const PARENT = DEMO.parentWithOneChild;
const PARENT_CHAT = "14155550102@c.us";
const PATH = "/webhooks/whatsapp-web";

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

/** A gateway stand-in whose /send takes everything, numbering the WhatsApp ids it answers. */
async function standInGateway(): Promise<Served & { sent: { address: string; text: string }[] }> {
  const sent: { address: string; text: string }[] = [];
  const served = await serveOnPort(async (request) => {
    const body = (await request.json()) as { address: string; text: string };
    sent.push(body);
    return Response.json({ providerMessageId: `true_${PARENT_CHAT}_KEY${sent.length}` });
  });
  cleanup.push(() => served.close());
  return { ...served, sent };
}

async function runtime(gatewayUrl = "http://127.0.0.1:9"): Promise<TestParentline> {
  const app = await createTestParentline(gatewayEnv(gatewayUrl));
  cleanup.push(() => app.stop());
  return app;
}

const message = (text: string, key = "3A0000000000000000001") => ({
  kind: "message",
  message: {
    channel: "whatsapp-web",
    address: PARENT,
    providerMessageId: `false_${PARENT_CHAT}_${key}`,
    text,
  },
});

function relay(app: TestParentline, body: unknown, options: Partial<SignOptions> = {}) {
  return app.app.request(PATH, signedInit(body, { at: app.clock.now(), ...options }));
}

describe("the runtime's WhatsApp gateway webhook", () => {
  it("takes a relayed message to the flow and sends its replies through the gateway", async () => {
    const gateway = await standInGateway();
    const app = await runtime(gateway.url);

    const response = await relay(app, message("hi"));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ accepted: true });
    await app.dispatcher.settled();

    expect(gateway.sent.map((entry) => entry.address)).toEqual([PARENT, PARENT]);
    expect(gateway.sent[0]?.text).toMatch(/code is \d{6}/);
    const rows = app.db.select().from(schema.outbox).all();
    expect(rows.map((row) => [row.channel, row.status, row.providerMessageId])).toEqual([
      ["whatsapp-web", "sent", `true_${PARENT_CHAT}_KEY1`],
      ["whatsapp-web", "sent", `true_${PARENT_CHAT}_KEY2`],
    ]);
  });

  it("acknowledges a relay retried after its answer was lost, changing nothing", async () => {
    const gateway = await standInGateway();
    const app = await runtime(gateway.url);
    await relay(app, message("hi"));
    await app.dispatcher.settled();
    const before = snapshotDatabase(app.db);

    const again = await relay(app, message("hi"));

    expect(await again.json()).toEqual({ accepted: false });
    await app.dispatcher.settled();
    expect(snapshotDatabase(app.db)).toEqual(before);
    expect(gateway.sent).toHaveLength(2);
  });

  it("moves the outbox row a relayed ack names", async () => {
    const gateway = await standInGateway();
    const app = await runtime(gateway.url);
    await relay(app, message("hi"));
    await app.dispatcher.settled();
    const receipt = (status: string) => ({
      kind: "receipt",
      receipt: {
        channel: "whatsapp-web",
        providerMessageId: `true_${PARENT_CHAT}_KEY1`,
        status,
      },
    });

    const read = await relay(app, receipt("read"));
    const late = await relay(app, receipt("delivered"));

    expect([await read.json(), await late.json()]).toEqual([{ moved: true }, { moved: false }]);
    const row = app.db
      .select()
      .from(schema.outbox)
      .where(eq(schema.outbox.providerMessageId, `true_${PARENT_CHAT}_KEY1`))
      .get();
    expect(row?.status).toBe("read");
  });

  it.each([
    ["forged (another secret)", { secret: "not-the-gateway-secret-0123456789abcdef" }],
    ["stale (outside the replay window)", { stale: -REPLAY_WINDOW_MS - 1_000 }],
    ["from the future", { stale: REPLAY_WINDOW_MS + 1_000 }],
    ["missing its signature", { omit: "signature" as const }],
    ["missing its timestamp", { omit: "timestamp" as const }],
    ["changed after signing", { signedBody: JSON.stringify(message("hello")) }],
  ] as [string, Partial<SignOptions> & { stale?: number }][])(
    "refuses a relay %s with 401, storing nothing",
    async (_, { stale, ...options }) => {
      const app = await runtime();
      const before = snapshotDatabase(app.db);

      const response = await relay(app, message("hi"), {
        ...options,
        ...(stale ? { at: app.clock.now() + stale } : {}),
      });

      expect(response.status).toBe(401);
      expect(await response.json()).toMatchObject({ error: { code: "unauthorized" } });
      expect(snapshotDatabase(app.db)).toEqual(before);
    },
  );

  it("refuses a stale relay without waiting for its body", async () => {
    const app = await runtime();
    const server = await serveOnPort(app.app.fetch);
    cleanup.push(() => server.close());
    const headers = signedInit(message("hi"), { at: app.clock.now() - REPLAY_WINDOW_MS - 1_000 })
      .headers as Record<string, string>;

    // The body is announced and never sent: a handler that read it would wait until the test ends.
    const status = await new Promise<number>((resolve, reject) => {
      const sending = request(`${server.url}${PATH}`, {
        method: "POST",
        headers: { ...headers, "content-length": "100000" },
      });
      sending.on("response", (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
        sending.destroy();
      });
      sending.on("error", reject);
      sending.write("{");
    });

    expect(status).toBe(401);
  });

  it("refuses a signed relay that is not a message or a receipt with 400, storing nothing", async () => {
    const app = await runtime();
    const before = snapshotDatabase(app.db);

    const response = await relay(app, { kind: "message", message: { address: PARENT } });

    expect(response.status).toBe(400);
    expect(snapshotDatabase(app.db)).toEqual(before);
  });
});
