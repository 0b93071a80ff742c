// The WhatsApp Web gateway (Node): one whatsapp-web.js session, linked by QR code as in-process,
// whose messages and acks go to a runtime over signed HTTP and whose /send the runtime calls.
// It reuses bots/whatsapp-web whole: the link and its reconnects, parsing (hidden numbers looked
// up), ack receipts, rendering and the part-by-part send. What it must not lose (relays not yet
// taken, sends made) is kept in gateway.sqlite beside the session, in the data directory.
import type { ChannelContext } from "../../src/contracts";
import { createWhatsAppWebChannel } from "../whatsapp-web/adapter";
import type { CreateWhatsAppWebClient } from "../whatsapp-web/client";
import { createInboundListeners, type WhatsAppWebInbound } from "../whatsapp-web/inbound";
import { type Scheduler, WhatsAppWebLink } from "../whatsapp-web/link";
import { openGatewayStore } from "./gateway-store";
import { createRelayRoad, relayPoster } from "./relay";
import { createRelayQueue, DEFAULT_RELAY_TIMING, type RelayTiming, type Wait } from "./relay-queue";
import { createSendMemory } from "./send-memory";
import { gatewayRoutes } from "./send-routes";

export interface GatewaySettings {
  /** The runtime's base URL: a Node server's, or a Worker's `/t/{tenant}`. */
  parentlineUrl: string;
  secret: string;
  defaultCountry: string;
  dataDir: string;
  chromiumPath: string;
}

export interface WhatsAppGatewayOptions {
  settings: GatewaySettings;
  /** The real whatsapp-web.js client in production; a fake that emits its events in tests. */
  createClient: CreateWhatsAppWebClient;
  log: ChannelContext["log"];
  now?: () => number;
  printQr: (qr: string) => void;
  schedule?: Scheduler;
  relayTiming?: RelayTiming;
  /** The waits between retries; a test's virtual clock replaces them. */
  wait?: Wait;
  fetch?: typeof fetch;
}

export function createWhatsAppGateway({
  settings,
  createClient,
  log,
  now = Date.now,
  printQr,
  schedule,
  relayTiming = DEFAULT_RELAY_TIMING,
  wait,
  fetch,
}: WhatsAppGatewayOptions) {
  const store = openGatewayStore(settings.dataDir);
  const link = new WhatsAppWebLink({
    createClient,
    clientOptions: { dataDir: settings.dataDir, chromiumPath: settings.chromiumPath },
    log,
    now,
    printQr,
    ...(schedule ? { schedule } : {}),
  });
  const relays = createRelayQueue({
    store,
    post: relayPoster({
      parentlineUrl: settings.parentlineUrl,
      secret: settings.secret,
      now,
      attemptTimeoutMs: relayTiming.attemptTimeoutMs,
      ...(fetch ? { fetch } : {}),
    }),
    log,
    now,
    timing: relayTiming,
    ...(wait ? { wait } : {}),
  });
  const road = createRelayRoad(relays.enqueue);
  // The runtime's dispatcher paces sends (WHATSAPP_WEB_SEND_INTERVAL_MS there), not the gateway.
  const channel = createWhatsAppWebChannel({
    link,
    pacing: { sendIntervalMs: 0, sendJitterMs: 0 },
  });
  const app = gatewayRoutes({
    channel,
    secret: settings.secret,
    log,
    now,
    link,
    relayStatus: relays.status,
    sends: createSendMemory({ store, now }),
  });
  let inbound: WhatsAppWebInbound | undefined;
  return {
    app,
    link,
    relays,
    store,
    start() {
      relays.start();
      inbound = createInboundListeners({
        road,
        link,
        log,
        defaultCountry: settings.defaultCountry,
        now,
      });
      return link.start(inbound);
    },
    /** Resolves once every message and ack received so far has been taken by the runtime. */
    async settled() {
      await inbound?.settled();
      await relays.drained();
    },
    /** Stops; relays not yet taken stay in gateway.sqlite for the next start. */
    async stop() {
      await inbound?.settled();
      await relays.stop();
      await link.stop();
      store.close();
    },
  };
}

export type WhatsAppGateway = ReturnType<typeof createWhatsAppGateway>;
