// End to end through the real Node entry with Twilio on: a WhatsApp message signed with the twilio
// library is answered inline in TwiML, the one-time code leaves by SMS through the dispatcher to a
// stand-in for Twilio's API (TWILIO_API_BASE), and a replay of the webhook changes nothing.
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signTwilioWebhook } from "../../../bots/twilio";
import { codeIn, DEMO } from "../../support/parentline";
import { type ServerProcess, startServer, stopAllServers } from "../../support/server-process";
import {
  ACCOUNT_SID,
  AUTH_TOKEN,
  inboundWhatsApp,
  PUBLIC_BASE_URL,
  readJson,
  TWILIO_ENV,
  TWILIO_NUMBER,
  twimlMessages,
} from "./support";

const PARENT = DEMO.parentWithOneChild;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Twilio's Messages API over real HTTP, for a server in another process (msw cannot reach it). */
async function startTwilioStandIn() {
  const created: URLSearchParams[] = [];
  const auth = `Basic ${Buffer.from(`${ACCOUNT_SID}:${AUTH_TOKEN}`).toString("base64")}`;
  const server: Server = createServer((request, response) => {
    let body = "";
    request.setEncoding("utf8").on("data", (chunk: string) => {
      body += chunk;
    });
    request.on("end", () => {
      const path = `/2010-04-01/Accounts/${ACCOUNT_SID}/Messages.json`;
      if (
        request.method !== "POST" ||
        request.url !== path ||
        request.headers.authorization !== auth
      ) {
        response.writeHead(404, { "content-type": "application/json" }).end("{}");
        return;
      }
      const form = new URLSearchParams(body);
      created.push(form);
      const sid = `SM${created.length.toString(16).padStart(32, "0")}`;
      const resource = {
        ...readJson("message-create-response.json"),
        sid,
        to: form.get("To"),
        from: form.get("From"),
        body: form.get("Body"),
      };
      response.writeHead(201, { "content-type": "application/json" }).end(JSON.stringify(resource));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    apiBase: `http://127.0.0.1:${port}`,
    created,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Calls `probe` every 100 ms until it returns a value, or fails after `timeoutMs`. */
async function eventually<T>(what: string, probe: () => T | undefined, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

describe("Twilio against a real server process", { timeout: 60_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), "parentline-twilio-e2e-"));
  const databasePath = join(dir, "parentline.db");
  let twilio: Awaited<ReturnType<typeof startTwilioStandIn>>;
  let server: ServerProcess;

  beforeAll(async () => {
    twilio = await startTwilioStandIn();
    server = await startServer({
      databasePath,
      env: { ...TWILIO_ENV, TWILIO_API_BASE: twilio.apiBase },
    });
  });

  afterAll(async () => {
    await stopAllServers();
    await twilio?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Posts a webhook signed for the public URL, as Twilio would, to the server's own address. */
  async function postSigned(params: Record<string, string>) {
    const path = "/webhooks/twilio";
    const response = await fetch(`${server.baseUrl}${path}`, {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        "x-twilio-signature": signTwilioWebhook(AUTH_TOKEN, `${PUBLIC_BASE_URL}${path}`, params),
      },
      body: new URLSearchParams(params).toString(),
    });
    return {
      status: response.status,
      type: response.headers.get("content-type"),
      xml: await response.text(),
    };
  }

  function rowCounts() {
    const db = new Database(databasePath, { readonly: true });
    try {
      const countOf = (table: string) =>
        (db.prepare(`select count(*) as n from ${table}`).get() as { n: number }).n;
      return { inbound: countOf("inbound_messages"), outbox: countOf("outbox") };
    } finally {
      db.close();
    }
  }

  it("answers a signed webhook inline, sends the code through the API, and ignores its replay", async () => {
    const health = (await (await fetch(`${server.baseUrl}/health`)).json()) as {
      channels: Record<string, string>;
    };
    expect(health.channels.twilio).toBe("on (sms, twilio-whatsapp)");

    const hello = inboundWhatsApp(PARENT, "hi");
    const first = await postSigned(hello);
    expect(first.status).toBe(200);
    expect(first.type).toMatch(/^text\/xml/);
    const replies = twimlMessages(first.xml);
    expect(replies).toHaveLength(1);
    expect(replies[0]?.body).toMatch(/We sent a 6-digit code to \+1•••••0102/);

    const sms = await eventually("the code by SMS", () => twilio.created[0]);
    expect(sms.get("To")).toBe(PARENT);
    expect(sms.get("From")).toBe(TWILIO_NUMBER);
    expect(sms.get("StatusCallback")).toMatch(
      new RegExp(`^${PUBLIC_BASE_URL}/webhooks/twilio/status\\?outbox=\\d+$`),
    );
    expect(rowCounts()).toEqual({ inbound: 1, outbox: 2 });

    const replay = await postSigned(hello);
    expect(replay.status).toBe(200);
    expect(replay.xml).toBe('<?xml version="1.0" encoding="UTF-8"?><Response/>');
    // The replay was handled before it was answered: had it queued anything, the rows would be here.
    expect(rowCounts()).toEqual({ inbound: 1, outbox: 2 });
    expect(twilio.created).toHaveLength(1);

    const verified = await postSigned(inboundWhatsApp(PARENT, codeIn([sms.get("Body") ?? ""])));
    expect(twimlMessages(verified.xml)[0]?.body).toContain("you're verified");
  });

  it("refuses the same webhook unsigned", async () => {
    const response = await fetch(`${server.baseUrl}/webhooks/twilio`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(inboundWhatsApp(PARENT, "hi")).toString(),
    });
    expect(response.status).toBe(403);
  });
});
