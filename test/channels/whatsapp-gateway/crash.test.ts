// The gateway as its real process (npm run whatsapp-gateway's entry, through tsx), killed with
// SIGKILL while Parentline is down: the relays whatsapp-web.js had handed over are in its file, and
// the next start delivers them once, in order, to the runtime now up. No browser runs here (its
// path leads nowhere, so the link keeps retrying), so the relays are put in the file as the
// gateway's own listeners put them (test/channels/whatsapp-gateway/relay.test.ts covers those).
import { type ChildProcess, spawn } from "node:child_process";
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { openGatewayStore } from "../../../bots/whatsapp-gateway/gateway-store";
import type { RelayBody } from "../../../bots/whatsapp-gateway/wire";
import { eventually } from "../../support/eventually";
import { freePort } from "../../support/server-process";
import { freshDataDir, GATEWAY_SECRET, readRelay, serveOnPort } from "./support";

const PROJECT_ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const TSX_LOADER = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

const message = (text: string): RelayBody => ({
  kind: "message",
  message: {
    channel: "whatsapp-web",
    address: "+14155550102",
    providerMessageId: `false_14155550102@c.us_${text}`,
    text,
  },
});

/** The gateway's entry as a child process relaying to `parentlineUrl`, its folder `dataDir`. */
async function startGateway(parentlineUrl: string, dataDir: string) {
  const port = await freePort();
  const child: ChildProcess = spawn(
    process.execPath,
    ["--import", TSX_LOADER, "bots/whatsapp-gateway/main.ts"],
    {
      cwd: PROJECT_ROOT,
      env: {
        PATH: process.env.PATH ?? "",
        PARENTLINE_URL: parentlineUrl,
        WHATSAPP_GATEWAY_SECRET: GATEWAY_SECRET,
        WHATSAPP_GATEWAY_PORT: String(port),
        WHATSAPP_GATEWAY_HOST: "127.0.0.1",
        WHATSAPP_WEB_DATA_DIR: dataDir,
        CHROMIUM_PATH: "/nonexistent/chromium",
        LOG_LEVEL: "silent",
      },
      stdio: "ignore",
    },
  );
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const kill = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    await exited;
  };
  cleanup.push(kill);
  const health = async () => {
    try {
      const response = await fetch(`http://127.0.0.1:${port}/health`);
      return (await response.json()) as { relay: { state: string; pending: number } };
    } catch {
      return undefined;
    }
  };
  return { kill, health };
}

describe("the gateway's process, killed and started again", () => {
  it("delivers the relays it held when it was killed, once and in order, after its restart", async () => {
    const dataDir = freshDataDir();
    const downPort = await freePort();
    const store = openGatewayStore(dataDir);
    for (const text of ["first", "second", "third"])
      store.enqueue(JSON.stringify(message(text)), 0);
    store.close();

    const crashed = await startGateway(`http://127.0.0.1:${downPort}`, dataDir);
    await eventually(
      "the gateway retrying while Parentline is down",
      async () => ((await crashed.health())?.relay.state === "retrying" ? true : undefined),
      20_000,
    );
    await crashed.kill();

    const received: string[] = [];
    const runtime = await serveOnPort(async (request) => {
      const { signed, body } = await readRelay(request);
      if (!signed) return new Response(null, { status: 401 });
      received.push((body as RelayBody & { kind: "message" }).message.text);
      return Response.json({ accepted: true });
    }, downPort);
    cleanup.push(() => runtime.close());

    const restarted = await startGateway(runtime.url, dataDir);
    await eventually(
      "the restarted gateway's queue to empty",
      async () => ((await restarted.health())?.relay.pending === 0 ? true : undefined),
      20_000,
    );

    expect(received).toEqual(["first", "second", "third"]);
  }, 60_000);
});
