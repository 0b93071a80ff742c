// The WhatsApp Web gateway under test: bots/whatsapp-gateway's gateway with the fake
// whatsapp-web.js client (test/channels/whatsapp-web), apps served on real local ports, and
// requests signed as the gateway and the runtime sign them.
import { mkdtempSync, rmSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { serve } from "@hono/node-server";
import { afterAll } from "vitest";
import {
  createWhatsAppGateway,
  type WhatsAppGateway,
  type WhatsAppGatewayOptions,
} from "../../../bots/whatsapp-gateway/gateway";
import type { RelayTiming, Wait } from "../../../bots/whatsapp-gateway/relay-queue";
import { isSignedWith, signatureHeaders } from "../../../bots/whatsapp-gateway/signature";
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

/** Quick retries, so a relay the runtime fails lands within the test once it is taken. */
export const QUICK_RELAY: RelayTiming = {
  attemptTimeoutMs: 500,
  firstDelayMs: 20,
  maxDelayMs: 100,
};

const dataDirs: string[] = [];
// Registered in each test file that imports this (vitest loads it once per file).
afterAll(() => {
  for (const dir of dataDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A data directory of the test's own (removed after its file's tests): gateway.sqlite's. */
export function freshDataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "parentline-test-gateway-"));
  dataDirs.push(dir);
  return dir;
}

/** A relay as the runtime stand-ins read it: whether the gateway's signature holds, and its JSON. */
export async function readRelay(request: Request): Promise<{ signed: boolean; body: unknown }> {
  const raw = new Uint8Array(await request.arrayBuffer());
  const signed = isSignedWith(
    GATEWAY_SECRET,
    {
      timestamp: request.headers.get("x-parentline-timestamp") ?? "",
      signature: request.headers.get("x-parentline-signature") ?? "",
    },
    raw,
  );
  return { signed, body: JSON.parse(new TextDecoder().decode(raw)) };
}

export interface Served {
  url: string;
  close(): Promise<void>;
}

/** Serves a fetch handler on a free local port, or on `port`. */
export async function serveOnPort(
  fetch: (request: Request) => Response | Promise<Response>,
  port = 0,
) {
  return new Promise<Served>((resolve) => {
    const server = serve({ fetch, port, hostname: "127.0.0.1" }, (info: AddressInfo) =>
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

/** The signature headers over `text`, less any the options leave out. */
function signedHeaders(text: string, options: SignOptions): Record<string, string> {
  const headers = signatureHeaders(
    options.secret ?? GATEWAY_SECRET,
    options.signedBody ?? text,
    options.at,
  );
  if (options.omit === "signature") delete headers["x-parentline-signature"];
  if (options.omit === "timestamp") delete headers["x-parentline-timestamp"];
  return headers;
}

/** A GET signed over its empty body, as the runtime asks the gateway's /link. */
export function signedGet(options: SignOptions): RequestInit {
  return { method: "GET", headers: signedHeaders("", options) };
}

/** A POST of `body` as JSON, signed as the gateway or the runtime signs. */
export function signedInit(body: unknown, options: SignOptions): RequestInit {
  const text = JSON.stringify(body);
  const headers = signedHeaders(text, options);
  return {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: text,
  };
}

export interface GatewayBed {
  gateway: WhatsAppGateway;
  clients: ReturnType<typeof fakeClientFactory>;
  dataDir: string;
}

/**
 * A gateway relaying to `parentlineUrl`, its whatsapp-web.js client the fake one, its file in a
 * data directory of its own unless `dataDir` names one (a restarted gateway's).
 */
export function createGatewayBed(options: {
  parentlineUrl: string;
  now: () => number;
  relayTiming?: RelayTiming;
  wait?: Wait;
  dataDir?: string;
  /** Where the gateway logs; nowhere unless a test reads it. */
  log?: WhatsAppGatewayOptions["log"];
}): GatewayBed {
  const clients = fakeClientFactory();
  const dataDir = options.dataDir ?? freshDataDir();
  const gateway = createWhatsAppGateway({
    settings: {
      parentlineUrl: options.parentlineUrl,
      secret: GATEWAY_SECRET,
      defaultCountry: "US",
      dataDir,
      chromiumPath: "/usr/bin/chromium",
    },
    createClient: clients.createClient,
    log: options.log ?? createLogger("silent"),
    now: options.now,
    printQr: () => {},
    schedule: manualScheduler().schedule,
    relayTiming: options.relayTiming ?? QUICK_RELAY,
    ...(options.wait ? { wait: options.wait } : {}),
  });
  return { gateway, clients, dataDir };
}

/** Starts the gateway's link and makes its session ready. */
export async function linkGateway(bed: GatewayBed): Promise<FakeWhatsAppWebClient> {
  await bed.gateway.start();
  const client = bed.clients.latest();
  client.fire("authenticated");
  client.fire("ready");
  return client;
}
