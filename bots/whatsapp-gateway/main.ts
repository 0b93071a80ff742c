// The gateway's entry (npm run whatsapp-gateway): parse its variables, link WhatsApp Web (the QR
// code is printed here), serve /send and /health, and stop cleanly on SIGINT/SIGTERM.
import { serve } from "@hono/node-server";
import { createLogger } from "../../src/logger";
import { loadEnvFile } from "../../src/node/env-file";
import { createLibraryClient } from "../whatsapp-web/client";
import { printQrInTerminal } from "../whatsapp-web/setup";
import { createWhatsAppGateway } from "./gateway";
import { parseGatewayConfig } from "./gateway-config";

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
  const server = serve(
    { fetch: gateway.app.fetch, port: config.port, hostname: config.host },
    (info) => {
      process.stdout.write(
        [
          "",
          `WhatsApp Web gateway on http://localhost:${info.port} (POST /send, GET /health)`,
          `  relays to: ${config.settings.parentlineUrl.replace(/\/+$/, "")}/webhooks/whatsapp-web`,
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
    // Relays still retrying are given up rather than holding the shutdown.
    setTimeout(() => {
      log.error("shutdown took longer than 10 s; exiting");
      process.exit(1);
    }, 10_000).unref();
  };
  process.on("SIGINT", () => shutdown("SIGINT"));
  process.on("SIGTERM", () => shutdown("SIGTERM"));
}

void main();
