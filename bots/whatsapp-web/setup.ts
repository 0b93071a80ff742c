// Turns WhatsApp Web on (WHATSAPP_WEB_ENABLED=1): a linked-device session driven through
// whatsapp-web.js, with its staff link page under /staff/whatsapp-web. Node only.
import qrcodeTerminal from "qrcode-terminal";
import type { ChannelFactory } from "../../src/contracts";
import { createWhatsAppWebChannel } from "./adapter";
import { type CreateWhatsAppWebClient, createLibraryClient } from "./client";
import { createInboundListeners, type WhatsAppWebInbound } from "./inbound";
import { type Scheduler, WhatsAppWebLink } from "./link";
import { linkRoutes } from "./routes";
import { WHATSAPP_WEB_STAFF_PATH } from "./staff-link";

export interface WhatsAppWebSetupOptions {
  /** The real whatsapp-web.js client in production; a fake that emits its events in tests. */
  createClient: CreateWhatsAppWebClient;
  /** When reconnects run (tests step through them by hand). */
  schedule?: Scheduler;
  /** Shows the QR code to whoever runs the server; the terminal by default. */
  printQr?: (qr: string) => void;
}

/** Draws the QR code in the terminal of whoever runs the process (the server, or the gateway). */
export const printQrInTerminal = (qr: string) =>
  qrcodeTerminal.generate(qr, { small: true }, (drawn) => process.stdout.write(`${drawn}\n`));

export function createWhatsAppWebSetup({
  createClient,
  schedule,
  printQr = printQrInTerminal,
}: WhatsAppWebSetupOptions): ChannelFactory {
  return ({ config, log, now, requireStaff }) => {
    const settings = config.channels.whatsappWeb;
    if (!settings.enabled) return { off: "set WHATSAPP_WEB_ENABLED=1 to link a WhatsApp account" };
    const link = new WhatsAppWebLink({
      createClient,
      clientOptions: { dataDir: settings.dataDir, chromiumPath: settings.chromiumPath },
      log,
      now,
      printQr,
      ...(schedule ? { schedule } : {}),
    });
    let inbound: WhatsAppWebInbound | undefined;
    return {
      channels: [createWhatsAppWebChannel({ link, pacing: settings })],
      routes: () => ({ path: WHATSAPP_WEB_STAFF_PATH, app: linkRoutes({ link, requireStaff }) }),
      start: (road) => {
        inbound = createInboundListeners({
          road,
          link,
          log,
          defaultCountry: config.defaultCountry,
          now,
        });
        return link.start(inbound);
      },
      async stop() {
        // Messages already taken in get their replies sent before the browser closes.
        await inbound?.settled();
        await link.stop();
      },
      state: () => `on: ${link.describe()}`,
    };
  };
}

export const whatsappWebFactory = createWhatsAppWebSetup({ createClient: createLibraryClient });
