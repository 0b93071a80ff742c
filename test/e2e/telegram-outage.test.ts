// The case as found, through the real Node entry over real sockets: the server starts while the
// Bot API accepts connections and never answers. Forged updates, many at once, are refused at
// once instead of piling up open; an authentic one is answered; /health says what is retrying;
// SIGTERM still ends the process promptly.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { PUBLIC_BASE_URL, SECRET, TOKEN, textUpdate } from "../channels/telegram/bot-api";
import { type ServerProcess, startServer, stopAllServers } from "../support/server-process";
import { type ApiOutage, silentSocket, timed } from "../support/unreachable-api";

const dir = mkdtempSync(join(tmpdir(), "parentline-telegram-outage-"));
let server: ServerProcess;
let botApi: ApiOutage;

beforeAll(async () => {
  botApi = await silentSocket();
  server = await startServer({
    databasePath: join(dir, "parentline.db"),
    env: {
      TELEGRAM_BOT_TOKEN: TOKEN,
      TELEGRAM_WEBHOOK_SECRET: SECRET,
      PUBLIC_BASE_URL,
      TELEGRAM_API_ROOT: botApi.base,
      TELEGRAM_TIMEOUT_MS: "500",
    },
  });
});

afterAll(async () => {
  await stopAllServers();
  await botApi.close();
  rmSync(dir, { recursive: true, force: true });
});

const post = (updateId: number, secret: string | null) =>
  fetch(`${server.baseUrl}/webhooks/telegram`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      ...(secret === null ? {} : { "x-telegram-bot-api-secret-token": secret }),
    },
    body: JSON.stringify(textUpdate(updateId, "hi")),
  });

describe("a server started while the Bot API never answers", () => {
  it("says on /health that registration and getMe are being retried", async () => {
    await vi.waitFor(
      async () => {
        const health = (await (await fetch(`${server.baseUrl}/health`)).json()) as {
          channels: Record<string, string>;
        };
        expect(health.channels.telegram).toBe(
          "webhook registration failed, retrying; bot info not loaded (getMe failing, retrying)",
        );
      },
      { timeout: 5_000, interval: 100 },
    );
  });

  it("refuses 50 forged updates sent at once with 401, all within a second", async () => {
    const { ms, result } = await timed(() =>
      Promise.all(
        Array.from({ length: 50 }, (_, index) => post(index + 1, index % 2 ? "forged" : null)),
      ),
    );
    expect(result?.map((response) => response.status)).toEqual(Array(50).fill(401));
    expect(ms).toBeLessThan(1_000);
  });

  it("answers an authentic update with 200 in under 5 s", async () => {
    const { ms, result } = await timed(() => post(100, SECRET));
    expect(result?.status).toBe(200);
    expect(ms).toBeLessThan(5_000);
  });

  it("stops on SIGTERM without waiting for the Bot API", async () => {
    const { ms, result } = await timed(() => server.stop("SIGTERM"), 8_000);
    expect(result).toBe(0);
    expect(ms).toBeLessThan(5_000);
  });
});
