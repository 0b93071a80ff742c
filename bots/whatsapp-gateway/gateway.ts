// The WhatsApp Web gateway (Node): one whatsapp-web.js session, linked by QR code as in-process,
// whose messages and acks go to a runtime over signed HTTP and whose /send the runtime calls.
// It reuses bots/whatsapp-web whole: the link and its reconnects, parsing (hidden numbers looked
// up), ack receipts, rendering and the part-by-part send.
import type { ChannelContext } from "../../src/contracts";
import { createWhatsAppWebChannel } from "../whatsapp-web/adapter";
import type { CreateWhatsAppWebClient } from "../whatsapp-web/client";
import { createInboundListeners, type WhatsAppWebInbound } from "../whatsapp-web/inbound";
import { type Scheduler, WhatsAppWebLink } from "../whatsapp-web/link";
import { createRelayRoad, type RelayTiming } from "./relay";
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
  fetch?: typeof fetch;
}

export function createWhatsAppGateway({
  settings,
  createClient,
  log,
  now = Date.now,
  printQr,
  schedule,
  relayTiming,
  fetch,
}: WhatsAppGatewayOptions) {
  const link = new WhatsAppWebLink({
    createClient,
    clientOptions: { dataDir: settings.dataDir, chromiumPath: settings.chromiumPath },
    log,
    now,
    printQr,
    ...(schedule ? { schedule } : {}),
  });
  const road = createRelayRoad({
    parentlineUrl: settings.parentlineUrl,
    secret: settings.secret,
    log,
    now,
    ...(relayTiming ? { timing: relayTiming } : {}),
    ...(fetch ? { fetch } : {}),
  });
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
    linkState: () => link.describe(),
  });
  let inbound: WhatsAppWebInbound | undefined;
  return {
    app,
    link,
    start() {
      inbound = createInboundListeners({
        road,
        link,
        log,
        defaultCountry: settings.defaultCountry,
        now,
      });
      return link.start(inbound);
    },
    /** Resolves once every message and ack received so far has been relayed or given up. */
    settled: () => inbound?.settled() ?? Promise.resolve(),
    async stop() {
      await inbound?.settled();
      await link.stop();
    },
  };
}

export type WhatsAppGateway = ReturnType<typeof createWhatsAppGateway>;
