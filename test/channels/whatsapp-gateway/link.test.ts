// The gateway's GET /link, which the runtime's staff page reads: signed with the shared secret,
// it answers the link's state and, while a QR code waits to be scanned, that code as a PNG data
// URL; a request unsigned, stale or signed with another secret is refused with 401 and shows
// nothing. The raw QR string never reaches the gateway's log.
import { afterEach, describe, expect, it } from "vitest";
import { REPLAY_WINDOW_MS } from "../../../bots/whatsapp-gateway";
import { createLogger } from "../../../src/logger";
import { expectWaitingForScan, SAMPLE_QR } from "../whatsapp-web/qr-code";
import { createGatewayBed, type GatewayBed, type SignOptions, signedGet } from "./support";

const NOW = Date.parse("2026-11-23T09:00:00Z");

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

/** A started gateway whose client waits for a scan of SAMPLE_QR, logging into `logged`. */
async function waitingForScan() {
  const logged: string[] = [];
  const made = createGatewayBed({
    parentlineUrl: "http://127.0.0.1:9",
    now: () => NOW,
    log: createLogger("trace", { write: (line: string) => void logged.push(line) }),
  });
  cleanup.push(() => made.gateway.stop());
  await made.gateway.start();
  const client = made.clients.latest();
  client.fire("qr", SAMPLE_QR);
  return { made, client, logged };
}

const link = (made: GatewayBed, options: Partial<SignOptions> = {}) =>
  made.gateway.app.request("/link", signedGet({ at: NOW, ...options }));

describe("the gateway's /link", () => {
  it("answers a signed request with the state and the pending QR code as a PNG, then without it once ready", async () => {
    const { made, client, logged } = await waitingForScan();

    const waiting = await link(made);

    await expectWaitingForScan(waiting);

    client.fire("authenticated");
    client.fire("ready");
    expect(await (await link(made)).json()).toEqual({ state: "ready" });
    expect(logged.join("\n")).not.toContain(SAMPLE_QR);
  });

  it.each<[string, Partial<SignOptions>]>([
    ["unsigned", { omit: "signature" }],
    ["without its timestamp", { omit: "timestamp" }],
    ["stale", { at: NOW - REPLAY_WINDOW_MS - 1 }],
    ["from the future", { at: NOW + REPLAY_WINDOW_MS + 1 }],
    ["signed with another secret", { secret: "another-secret-of-at-least-32-characters!" }],
  ])("refuses a request %s with 401 and no QR code", async (_, options) => {
    const { made, logged } = await waitingForScan();

    const refused = await link(made, options);

    expect(refused.status).toBe(401);
    const body = await refused.text();
    expect(JSON.parse(body)).toEqual({
      error: { code: "unauthorized", message: "Invalid, stale or missing signature" },
    });
    expect(body).not.toContain("data:image");
    expect(logged.some((line) => line.includes("link refused"))).toBe(true);
    expect(logged.join("\n")).not.toContain(SAMPLE_QR);
  });
});
