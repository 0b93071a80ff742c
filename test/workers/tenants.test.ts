// End to end on the local Workers runtime (workerd): for each of two tenants, a parent writes to
// the tenant's Telegram bot through /t/{tenant}/webhooks/telegram and makes a request; a teacher
// signs in at /t/{tenant}/v1/auth, finds the ticket through /v1 (routed by her token) and replies;
// the tenant's Durable Object sends the reply from its alarm to a stand-in Bot API. Each tenant has
// its own bot token, database and keys: A's token sees nothing of B and is refused on B's paths.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signTwilioWebhook } from "../../bots/twilio/signature";
import { FakeBotApi, SECRET } from "../channels/telegram/bot-api";
import {
  graphApi,
  signatureOf,
  textWebhook,
  WHATSAPP_ENV,
} from "../channels/whatsapp-cloud/support";
import { eventually } from "../support/eventually";
import { DEMO, STAFF } from "../support/parentline";
import { type ServerProcess, startServer } from "../support/server-process";
import { type StandInServer, serveStandIn } from "../support/stand-in-server";
import { type LocalWorker, startLocalWorker } from "../support/workerd";
import { signInOverApi } from "./phone-codes";
import { CHAT_ID, SLOW_RUNTIME_MS, telegramParents } from "./telegram-parents";

const TOKENS = { a: "7000000001:AAH-tenant_A-token", b: "7000000002:AAH-tenant_B-token" } as const;
type Tenant = keyof typeof TOKENS;

let standIn: StandInServer;
let worker: LocalWorker;
let botApis: Record<Tenant, FakeBotApi>;
let graph: ReturnType<typeof graphApi>;
let twilioApi: ServerProcess;
const TWILIO = {
  TWILIO_ACCOUNT_SID: `AC${"0".repeat(32)}`,
  TWILIO_AUTH_TOKEN: "workers-auth-token-0123456789abcd",
  TWILIO_FROM: "+14155550100",
};
const WORKER_PUBLIC_URL = "https://parentline.example";

beforeAll(async () => {
  standIn = await serveStandIn();
  botApis = { a: new FakeBotApi(TOKENS.a, standIn.url), b: new FakeBotApi(TOKENS.b, standIn.url) };
  graph = graphApi(`${standIn.url}/v21.0`);
  standIn.use(botApis.a.handler(), botApis.b.handler(), graph.handler);
  twilioApi = await startServer({
    databasePath: "unused.db",
    entry: "test/support/twilio-stand-in-server.ts",
  });
  worker = await startLocalWorker({
    NODE_ENV: "development",
    APP_SECRET: "workers-end-to-end-secret-of-at-least-32-chars",
    LOG_LEVEL: "warn",
    WORKER_PUBLIC_URL,
    TELEGRAM_API_ROOT: standIn.url,
    TELEGRAM_WEBHOOK_SECRET: SECRET,
    TELEGRAM_PER_CHAT_PER_SECOND: "30",
    TENANT_CONFIG_A: JSON.stringify({ TELEGRAM_BOT_TOKEN: TOKENS.a }),
    TENANT_CONFIG_B: JSON.stringify({ TELEGRAM_BOT_TOKEN: TOKENS.b }),
    // Tenant c speaks WhatsApp Cloud only.
    TENANT_CONFIG_C: JSON.stringify({
      ...WHATSAPP_ENV,
      WHATSAPP_CLOUD_API_BASE: `${standIn.url}/v21.0`,
    }),
    // Tenant d speaks SMS through Twilio's SDK.
    TENANT_CONFIG_D: JSON.stringify({ ...TWILIO, TWILIO_API_BASE: twilioApi.baseUrl }),
  });
}, 120_000);

afterAll(async () => {
  await worker?.dispose();
  await standIn?.close();
  await twilioApi?.stop();
});

const { parentAsks } = telegramParents(() => worker);

const signIn = (tenant: Tenant, phone: string) => signInOverApi(worker, tenant, phone);

interface TicketRow {
  id: number;
  reference: string;
  subject?: string;
  lastMessage?: string;
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

async function ticketsSeenWith(token: string, path = "/v1/tickets"): Promise<Response> {
  return worker.fetch(path, { headers: bearer(token) });
}

describe("Parentline on the local Workers runtime, one Durable Object per tenant", () => {
  const asked = {
    a: "Tenant A: Chloe needs the reading list",
    b: "Tenant B: Chloe lost her PE kit",
  };
  const answered = {
    a: "A answers: the list is in her bag",
    b: "B answers: the kit is at the office",
  };
  const tokens: Partial<Record<Tenant, string>> = {};

  for (const tenant of ["a", "b"] as const) {
    it(`takes tenant ${tenant}'s Telegram request to a ticket, and the teacher's /v1 reply to the parent from the alarm`, async () => {
      await parentAsks(tenant, asked[tenant]);
      const token = await signIn(tenant, STAFF.rao);
      tokens[tenant] = token;

      const listed = await ticketsSeenWith(token);
      expect(listed.status).toBe(200);
      const { tickets } = (await listed.json()) as { tickets: TicketRow[] };
      expect(tickets).toHaveLength(1);
      const [ticket] = tickets as [TicketRow];
      const detail = await worker.fetch(`/v1/tickets/${ticket.id}`, { headers: bearer(token) });
      expect(await detail.text()).toContain(asked[tenant]);

      const replied = await worker.fetch(`/v1/tickets/${ticket.id}/replies`, {
        method: "POST",
        headers: { ...bearer(token), "content-type": "application/json" },
        body: JSON.stringify({ body: answered[tenant] }),
      });
      expect(replied.status).toBe(201);

      const sent = await eventually(
        `the reply on tenant ${tenant}'s bot`,
        async () =>
          botApis[tenant]
            .callsOf("sendMessage")
            .find((body) => String(body.text).includes(answered[tenant])),
        SLOW_RUNTIME_MS,
      );
      expect(sent).toMatchObject({ chat_id: String(CHAT_ID) });
      expect(String(sent.text)).toContain(`${ticket.reference} · Ms Rao: ${answered[tenant]}`);
      // The other tenant's bot never carried it.
      const other = tenant === "a" ? "b" : "a";
      expect(
        botApis[other]
          .callsOf("sendMessage")
          .some((body) => String(body.text).includes(answered[tenant])),
      ).toBe(false);
      expect(standIn.unhandled).toEqual([]);
    }, 60_000);
  }

  it("sends one chat's replies once each, in the order the parent's steps made them", async () => {
    // Tenant a's parent went through verification and a request above, at 30 messages a second
    // per chat: a step's second reply is put back by the pace while the next step's comes in.
    const texts = botApis.a
      .callsOf("sendMessage")
      .filter((body) => String(body.chat_id) === String(CHAT_ID))
      .map((body) => String(body.text));
    const expected = [
      /keep your child's information safe/,
      /We sent a 6-digit code/,
      /you're verified/,
      /^How can I help\?/,
      /^What is it about\?/,
      /^Please write your message/,
      /^Please check your request/,
      /^Thank you\. Your request T-1001/,
      /^How can I help\?/,
      /Ms Rao: A answers/,
    ];
    expect(texts).toHaveLength(expected.length);
    expected.forEach((pattern, index) => {
      expect(texts[index]).toMatch(pattern);
    });
  });

  it("keeps tenants apart: A's token sees only A's tickets and is refused on B's paths", async () => {
    const tokenA = tokens.a;
    expect(tokenA).toBeDefined();
    const seen = await ticketsSeenWith(tokenA as string);
    const { tickets } = (await seen.json()) as { tickets: TicketRow[] };
    expect(tickets).toHaveLength(1);
    const details = await Promise.all(
      tickets.map(async (ticket) =>
        (
          await worker.fetch(`/v1/tickets/${ticket.id}`, { headers: bearer(tokenA as string) })
        ).text(),
      ),
    );
    expect(details.join()).toContain(asked.a);
    expect(details.join()).not.toContain(asked.b);

    const onB = await ticketsSeenWith(tokenA as string, "/t/b/v1/tickets");
    expect(onB.status).toBe(401);
    const detail = await worker.fetch("/t/b/v1/tickets/1", { headers: bearer(tokenA as string) });
    expect(detail.status).toBe(401);
  });

  it("takes a signed WhatsApp Cloud message on tenant c and answers through the Graph API", async () => {
    const body = JSON.stringify(textWebhook(DEMO.parentWithOneChild, "hi"));
    const post = (signature: string) =>
      worker.fetch("/t/c/webhooks/whatsapp", {
        method: "POST",
        headers: { "content-type": "application/json", "x-hub-signature-256": signature },
        body,
      });
    expect((await post(signatureOf(body, "not-the-app-secret"))).status).toBe(401);
    expect((await post(signatureOf(body))).status).toBe(200);
    const answered = await eventually(
      "the answer through the Graph API",
      async () => graph.to(DEMO.parentWithOneChild)[0],
      SLOW_RUNTIME_MS,
    );
    expect(answered.authorization).toBe(`Bearer ${WHATSAPP_ENV.WHATSAPP_CLOUD_TOKEN}`);
    // The step's two messages (the code, then where it went), each once and in that order.
    const texts = await eventually(
      "both of the step's messages",
      async () => {
        const sent = graph.calls.map((call) => String(call.body.text?.body));
        return sent.length >= 2 ? sent : undefined;
      },
      SLOW_RUNTIME_MS,
    );
    expect(texts).toEqual([
      expect.stringMatching(/^Your Parentline code is \d{6}/),
      expect.stringMatching(/^We sent a 6-digit code/),
    ]);
  }, 60_000);

  it("takes a signed Twilio SMS on tenant d, answers it inline and sends a code through the API", async () => {
    const params = {
      AccountSid: TWILIO.TWILIO_ACCOUNT_SID,
      Body: "hi",
      From: DEMO.parentWithOneChild,
      To: TWILIO.TWILIO_FROM,
      MessageSid: `SM${"1".repeat(32)}`,
      NumMedia: "0",
    };
    const url = `${WORKER_PUBLIC_URL}/t/d/webhooks/twilio`;
    const post = (signature: string) =>
      worker.fetch("/t/d/webhooks/twilio", {
        method: "POST",
        headers: {
          "content-type": "application/x-www-form-urlencoded",
          "x-twilio-signature": signature,
        },
        body: new URLSearchParams(params).toString(),
      });
    expect((await post(signTwilioWebhook("not-the-auth-token", url, params))).status).toBe(403);
    const answered = await post(signTwilioWebhook(TWILIO.TWILIO_AUTH_TOKEN, url, params));
    expect(answered.status).toBe(200);
    expect(await answered.text()).toMatch(/<Response><Message[^>]*>Your Parentline code is \d{6}/);

    const requested = await worker.fetch("/t/d/v1/auth/otp/request", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ phone: STAFF.rao }),
    });
    expect(requested.status).toBe(202);
    const bodies = await eventually(
      "the code through Twilio's API",
      async () => {
        const response = await fetch(
          `${twilioApi.baseUrl}/messages?to=${encodeURIComponent(STAFF.rao)}`,
        );
        const { bodies } = (await response.json()) as { bodies: string[] };
        return bodies.length > 0 ? bodies : undefined;
      },
      SLOW_RUNTIME_MS,
    );
    expect(bodies).toEqual([expect.stringMatching(/^Your Parentline code is \d{6}\./)]);
  }, 60_000);

  it("counts sign-in attempts per client address (CF-Connecting-IP), not as one for everyone", async () => {
    const requestCode = (client: string) =>
      worker.fetch("/t/e/v1/auth/otp/request", {
        method: "POST",
        headers: { "content-type": "application/json", "cf-connecting-ip": client },
        body: JSON.stringify({ phone: "+14155559999" }),
      });
    for (let attempt = 0; attempt < 10; attempt++) {
      expect((await requestCode("198.51.100.1")).status).toBe(202);
    }
    expect((await requestCode("198.51.100.1")).status).toBe(429);
    expect((await requestCode("198.51.100.2")).status).toBe(202);
  }, 60_000);

  it("answers 404 for a request that names no tenant", async () => {
    const response = await worker.fetch("/v1/tickets");
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: { code: "tenant_not_found" } });
  });
});
