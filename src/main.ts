// Node entry: parse config, build Parentline, serve it, and shut down cleanly on SIGINT/SIGTERM.
import { serve } from "@hono/node-server";
import { type Config, ConfigError, parseConfig } from "./config";
import { createLogger } from "./logger";
import { loadEnvFile } from "./node/env-file";
import { buildParentline } from "./parentline";

/** Who may read /metrics, for the start banner. */
function metricsAccess(config: Config, base: string): string {
  if (config.metricsToken) return `${base}/metrics (bearer METRICS_TOKEN)`;
  if (config.env === "production") return "off (404): set METRICS_TOKEN to scrape it";
  return `${base}/metrics (open to anyone: set METRICS_TOKEN to require a bearer)`;
}

async function main() {
  let config: Config;
  loadEnvFile(".env", process.env);
  try {
    config = parseConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  const log = createLogger(config.logLevel);
  if (config.usingDevelopmentSecret) {
    log.warn("APP_SECRET is not set: using the development secret (never do this in production)");
  }
  const parentline = await buildParentline(config, { logger: log });
  void parentline.start();

  const server = serve(
    { fetch: parentline.app.fetch, port: config.port, hostname: config.host },
    (info) => {
      const base = `http://localhost:${info.port}`;
      const lines = [
        "",
        `Parentline ${config.env === "production" ? "" : `(${config.env}) `}is running on ${base}`,
        `  database:  ${config.databasePath}${parentline.seeded ? " (demo data seeded)" : ""}`,
        config.simulatorEnabled
          ? `  simulator: ${base}/dev/chat   (personas: ${base}/dev/demo)`
          : "  simulator: off",
        `  staff desk: ${base}/staff`,
        `  staff API: ${base}/v1/docs`,
        `  health:    ${base}/health`,
        `  metrics:   ${metricsAccess(config, base)}`,
        "  channels:",
        ...Object.entries(parentline.channelStates()).map(
          ([name, state]) => `    ${name.padEnd(15)} ${state}`,
        ),
        "",
      ];
      process.stdout.write(`${lines.join("\n")}\n`);
      log.info({ port: info.port }, "listening");
    },
  );

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, "shutting down");
    // Stop accepting connections; in-flight requests finish before the callback runs.
    server.close(async () => {
      await parentline.stop();
      log.info("stopped");
      process.exit(0);
    });
    setTimeout(() => {
      log.error("shutdown took longer than 10 s; exiting");
      process.exit(1);
    }, 10_000).unref();
  };
  process.on("SIGINT", () => shutdown("SIGINT"));
  process.on("SIGTERM", () => shutdown("SIGTERM"));
}

void main();
