// The gateway's entry (npm run whatsapp-gateway): parse its variables, link WhatsApp Web (the QR
// code is printed here and served on /link for the staff desk), serve /send and /health, and stop
// cleanly on SIGINT/SIGTERM.
import { join } from "node:path";
import { serve } from "@hono/node-server";
import { createLogger } from "../../src/logger";
import { loadEnvFile } from "../../src/node/env-file";
import { createLibraryClient } from "../whatsapp-web/client";
import { printQrInTerminal } from "../whatsapp-web/setup";
import { createWhatsAppGateway } from "./gateway";
import { parseGatewayConfig } from "./gateway-config";
import { GATEWAY_STORE_FILE } from "./gateway-store";

async function main() {
  loadEnvFile(".env", process.env);
  const parsed = parseGatewayConfig(process.env);
  if (!parsed.ok) {
    console.error(`Invalid configuration:\n${parsed.problems.map((p) => `  - ${p}`).join("\n")}`);
    process.exit(1);
  }
  const { config } = parsed;
  const log = createLogger(config.logLevel).child({ component: "whatsapp-gateway" });
  const gateway = createWhatsAppGateway({
    settings: config.settings,
    createClient: createLibraryClient,
    log,
    printQr: printQrInTerminal,
  });
  const queued = gateway.relays.status();
  const server = serve(
    { fetch: gateway.app.fetch, port: config.port, hostname: config.host },
    (info) => {
      process.stdout.write(
        [
          "",
          `WhatsApp Web gateway on http://localhost:${info.port} (POST /send, GET /link, GET /health)`,
          `  relays to: ${config.settings.parentlineUrl.replace(/\/+$/, "")}/webhooks/whatsapp-web`,
          `  keeps its queue and sends in: ${join(config.settings.dataDir, GATEWAY_STORE_FILE)}`,
          ...(queued.pending > 0 || queued.setAside > 0
            ? [`  from before: ${queued.pending} relays queued, ${queued.setAside} set aside`]
            : []),
          "",
        ].join("\n"),
      );
      log.info({ port: info.port }, "listening");
    },
  );
  void gateway.start();

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, "shutting down");
    server.close(async () => {
      await gateway.stop();
      process.exit(0);
    });
    // Relays not yet taken stay in gateway.sqlite; the next start sends them first.
    setTimeout(() => {
      log.error("shutdown took longer than 10 s; exiting");
      process.exit(1);
    }, 10_000).unref();
  };
  process.on("SIGINT", () => shutdown("SIGINT"));
  process.on("SIGTERM", () => shutdown("SIGTERM"));
}

void main();
