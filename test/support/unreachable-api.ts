// Providers' APIs at their worst, at a base URL on 127.0.0.1: a port nothing listens on
// (connections refused), a socket that accepts connections and never answers, and (played by msw)
// an API that answers 502 to everything or answers only long after the client's timeout. A test
// points a provider's API base at it, then puts a working stand-in in front of the same base URL
// (server.use(...) wins over the outage's handler) when the API is back.
import { createServer, type Socket } from "node:net";
import { delay, HttpResponse, http, passthrough } from "msw";
import { type SetupServer, setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll } from "vitest";
import type { TestParentline } from "./parentline";

export interface ApiOutage {
  /** http://127.0.0.1:<port>: point a provider's API base here. */
  base: string;
  /** The msw handler for this base: through to the real socket, or the misbehaving answer. */
  handler: ReturnType<typeof http.all>;
  close(): Promise<void>;
}

/** A port that was free a moment ago and is closed now. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const everything = (base: string) => `${base}/*`;

/** Every connection is refused. */
export async function closedPort(): Promise<ApiOutage> {
  const base = `http://127.0.0.1:${await freePort()}`;
  return { base, handler: http.all(everything(base), () => passthrough()), close: async () => {} };
}

/** A socket that accepts every connection, reads what it is sent, and never answers. */
export async function silentSocket(): Promise<ApiOutage> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on("error", () => {});
    socket.on("close", () => sockets.delete(socket));
    socket.resume();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  const base = `http://127.0.0.1:${port}`;
  return {
    base,
    handler: http.all(everything(base), () => passthrough()),
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * A socket that answers every request with a status line and headers at once, then trickles its
 * body a byte every 50 ms: never idle long enough for a socket timeout, never done.
 */
export async function tricklingSocket(): Promise<ApiOutage> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on("error", () => {});
    socket.once("data", () => {
      socket.write(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 100000\r\n\r\n",
      );
      const drip = setInterval(() => socket.write(" "), 50);
      socket.on("close", () => {
        clearInterval(drip);
        sockets.delete(socket);
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  const base = `http://127.0.0.1:${port}`;
  return {
    base,
    handler: http.all(everything(base), () => passthrough()),
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Every call is answered 502 Bad Gateway (a provider's proxy with nothing behind it). */
export async function badGateway(): Promise<ApiOutage> {
  const base = `http://127.0.0.1:${await freePort()}`;
  const handler = http.all(everything(base), () =>
    HttpResponse.text("Bad Gateway", { status: 502 }),
  );
  return { base, handler, close: async () => {} };
}

/** Every call is answered, empty, only after `ms` (longer than the client waits). */
export function answeringAfter(ms: number) {
  return async (): Promise<ApiOutage> => {
    const base = `http://127.0.0.1:${await freePort()}`;
    const handler = http.all(everything(base), async () => {
      await delay(ms);
      return HttpResponse.json({}, { status: 200 });
    });
    return { base, handler, close: async () => {} };
  };
}

/** The client timeout the outage tests configure for every provider. */
export const TEST_API_TIMEOUT_MS = 300;

/** What a provider's API may do while it is down, for a test to run each. */
export const OUTAGES = [
  { name: "refuses connections", open: closedPort },
  { name: "accepts connections and never answers", open: silentSocket },
  { name: "answers long after the timeout", open: answeringAfter(TEST_API_TIMEOUT_MS * 10) },
  { name: "answers a byte at a time", open: tricklingSocket },
  { name: "answers 502", open: badGateway },
] as const;

/** The URL of every request that leaves the process from now on (msw sees them all). */
export function requestsLeaving(server: SetupServer): string[] {
  const urls: string[] = [];
  server.events.on("request:start", ({ request }) => {
    urls.push(request.url);
  });
  return urls;
}

/**
 * Milliseconds `run` took, with its result; gives up waiting after `giveUpMs` (result undefined),
 * so that a hang fails the test's assertion instead of running into the test's timeout.
 */
export async function timed<T>(
  run: () => T | Promise<T>,
  giveUpMs = 6_000,
): Promise<{ ms: number; result: T | undefined }> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const gaveUp = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), giveUpMs);
  });
  const result = await Promise.race([Promise.resolve(run()), gaveUp]);
  clearTimeout(timer);
  return { ms: performance.now() - started, result };
}

/**
 * The msw server and cleanup hooks of a test file whose Parentline talks to a provider's API
 * while it is down: `during(open)` opens the outage, routes its base through msw and starts a
 * Parentline on it (`start` gives the provider's variables for that base); each test's apps and
 * outages are stopped after it.
 */
export function providerOutages(start: (base: string) => Promise<TestParentline>) {
  const server = setupServer();
  const running: TestParentline[] = [];
  const outages: ApiOutage[] = [];
  beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
  afterEach(async () => {
    for (const app of running.splice(0)) await app.stop();
    for (const outage of outages.splice(0)) await outage.close();
    server.events.removeAllListeners();
    server.resetHandlers();
  });
  afterAll(() => server.close());
  async function during(open: () => Promise<ApiOutage>) {
    const outage = await open();
    outages.push(outage);
    server.use(outage.handler);
    const app = await start(outage.base);
    running.push(app);
    return { app, outage };
  }
  return { server, during };
}
