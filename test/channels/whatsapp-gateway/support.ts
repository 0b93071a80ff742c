// The WhatsApp Web gateway under test: bots/whatsapp-gateway's gateway with the fake
// whatsapp-web.js client (test/channels/whatsapp-web), apps served on real local ports, and
// requests signed as the gateway and the runtime sign them.
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import {
  createWhatsAppGateway,
  type WhatsAppGateway,
} from "../../../bots/whatsapp-gateway/gateway";
import type { RelayTiming } from "../../../bots/whatsapp-gateway/relay";
import { signatureHeaders } from "../../../bots/whatsapp-gateway/signature";
import { createLogger } from "../../../src/logger";
import { type FakeWhatsAppWebClient, fakeClientFactory } from "../whatsapp-web/fake-client";
import { manualScheduler } from "../whatsapp-web/harness";

export const GATEWAY_SECRET = "gateway-secret-for-tests-0123456789abcdef";

/** The runtime's variables for a gateway at `url`, with pacing that does not slow the tests. */
export const gatewayEnv = (url: string) => ({
  WHATSAPP_GATEWAY_URL: url,
  WHATSAPP_GATEWAY_SECRET: GATEWAY_SECRET,
  WHATSAPP_WEB_SEND_INTERVAL_MS: "1",
  WHATSAPP_WEB_SEND_JITTER_MS: "0",
});

/** Quick retries and a short deadline, so a relay that cannot land gives up within the test. */
export const QUICK_RELAY: RelayTiming = {
  attemptTimeoutMs: 500,
  firstDelayMs: 20,
  maxDelayMs: 100,
  deadlineMs: 1_500,
};

export interface Served {
  url: string;
  close(): Promise<void>;
}

/** Serves a fetch handler on a free local port. */
export async function serveOnPort(fetch: (request: Request) => Response | Promise<Response>) {
  return new Promise<Served>((resolve) => {
    const server = serve({ fetch, port: 0, hostname: "127.0.0.1" }, (info: AddressInfo) =>
      resolve({
        url: `http://127.0.0.1:${info.port}`,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            // Keep-alive sockets would hold close() open until they time out.
            (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
          }),
      }),
    );
  });
}

export interface SignOptions {
  secret?: string;
  /** The signing clock; a stale one is refused. */
  at: number;
  /** Leave out the signature or the timestamp header. */
  omit?: "signature" | "timestamp";
  /** Sign these bytes but send the body (a body changed on the way). */
  signedBody?: string;
}

/** A POST of `body` as JSON, signed as the gateway or the runtime signs. */
export function signedInit(body: unknown, options: SignOptions): RequestInit {
  const text = JSON.stringify(body);
  const headers = signatureHeaders(
    options.secret ?? GATEWAY_SECRET,
    options.signedBody ?? text,
    options.at,
  );
  if (options.omit === "signature") delete headers["x-parentline-signature"];
  if (options.omit === "timestamp") delete headers["x-parentline-timestamp"];
  return {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: text,
  };
}

export interface GatewayBed {
  gateway: WhatsAppGateway;
  clients: ReturnType<typeof fakeClientFactory>;
}

/** A gateway relaying to `parentlineUrl`, its whatsapp-web.js client the fake one. */
export function createGatewayBed(options: {
  parentlineUrl: string;
  now: () => number;
  relayTiming?: RelayTiming;
}): GatewayBed {
  const clients = fakeClientFactory();
  const gateway = createWhatsAppGateway({
    settings: {
      parentlineUrl: options.parentlineUrl,
      secret: GATEWAY_SECRET,
      defaultCountry: "US",
      dataDir: "/tmp/parentline-test-whatsapp-gateway",
      chromiumPath: "/usr/bin/chromium",
    },
    createClient: clients.createClient,
    log: createLogger("silent"),
    now: options.now,
    printQr: () => {},
    schedule: manualScheduler().schedule,
    relayTiming: options.relayTiming ?? QUICK_RELAY,
  });
  return { gateway, clients };
}

/** Starts the gateway's link and makes its session ready. */
export async function linkGateway(bed: GatewayBed): Promise<FakeWhatsAppWebClient> {
  await bed.gateway.start();
  const client = bed.clients.latest();
  client.fire("authenticated");
  client.fire("ready");
  return client;
}
