// Shared pieces of the WhatsApp Cloud API tests: the channel's variables, webhooks built from the
// recorded fixtures and signed like Meta signs them, and an msw stand-in for the Graph API that
// answers with the recorded send response (a fresh wamid per message).
import { createHmac } from "node:crypto";
import { readFileSync } from "node:fs";
import { HttpResponse, http } from "msw";
import { expect } from "vitest";
import type { TestParentline } from "../../support/parentline";

export const GRAPH_BASE = "https://graph.facebook.com/v21.0";
/** The business phone number id the fixtures were recorded for. */
export const PHONE_NUMBER_ID = "110123456789012";
export const APP_SECRET = "test-app-secret-0123456789";
export const VERIFY_TOKEN = "test-verify-token";
export const ACCESS_TOKEN = "EAAtest-access-token";

export const WHATSAPP_ENV = {
  WHATSAPP_CLOUD_TOKEN: ACCESS_TOKEN,
  WHATSAPP_CLOUD_PHONE_NUMBER_ID: PHONE_NUMBER_ID,
  WHATSAPP_CLOUD_APP_SECRET: APP_SECRET,
  WHATSAPP_CLOUD_VERIFY_TOKEN: VERIFY_TOKEN,
} as const;

// biome-ignore lint/suspicious/noExplicitAny: fixtures are raw provider JSON, edited by path
type Json = any;

export function fixture(name: string): Json {
  return JSON.parse(
    readFileSync(new URL(`../../fixtures/whatsapp-cloud/${name}.json`, import.meta.url), "utf8"),
  );
}

/** "+14155550101" → "14155550101": how WhatsApp writes a number (the wa_id). */
export const waId = (phone: string) => phone.replace(/^\+/, "");

let wamids = 0;
/** A fresh inbound wamid in the shape Meta uses. */
export const newWamid = () =>
  `wamid.HBgLMTQxNTU1NTAxMDEVAgASGBQz${String(++wamids).padStart(12, "0")}QUE=`;

function withMessage(name: string, from: string, id: string, edit: (message: Json) => void) {
  const payload = fixture(name);
  const value = payload.entry[0].changes[0].value;
  value.contacts[0].wa_id = waId(from);
  const message = value.messages[0];
  message.from = waId(from);
  message.id = id;
  edit(message);
  return payload;
}

export const textWebhook = (from: string, text: string, id = newWamid()) =>
  withMessage("webhook-text", from, id, (message) => {
    message.text.body = text;
  });

export const buttonReplyWebhook = (
  from: string,
  reply: { id: string; title: string },
  id = newWamid(),
) =>
  withMessage("webhook-button-reply", from, id, (message) => {
    message.interactive.button_reply = reply;
  });

export const listReplyWebhook = (
  from: string,
  reply: { id: string; title: string },
  id = newWamid(),
) =>
  withMessage("webhook-list-reply", from, id, (message) => {
    message.interactive.list_reply = { id: reply.id, title: reply.title };
  });

/** A status notification for a message we sent, from the recorded read/failed fixtures. */
export function statusWebhook(
  wamid: string,
  to: string,
  status: "sent" | "delivered" | "read" | "failed",
): Json {
  const payload = fixture(status === "failed" ? "webhook-status-failed" : "webhook-status-read");
  const entry = payload.entry[0].changes[0].value.statuses[0];
  entry.id = wamid;
  entry.recipient_id = waId(to);
  entry.status = status;
  return payload;
}

export const signatureOf = (body: string, secret = APP_SECRET) =>
  `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;

/**
 * POSTs a webhook the way Meta does: the raw JSON, signed with the app secret. Resolves once the
 * sends the webhook started (after answering) are over too.
 */
export async function postWebhook(
  app: TestParentline,
  payload: unknown,
  options: { signature?: string | null; raw?: string } = {},
): Promise<Response> {
  const body = options.raw ?? JSON.stringify(payload);
  const signature = options.signature === undefined ? signatureOf(body) : options.signature;
  const response = await app.app.request("/webhooks/whatsapp", {
    method: "POST",
    headers: {
      "content-type": "application/json",
      ...(signature === null ? {} : { "x-hub-signature-256": signature }),
    },
    body,
  });
  await app.dispatcher.settled();
  return response;
}

export interface GraphCall {
  phoneNumberId: string;
  authorization: string | null;
  body: Json;
  /** The wamid the stand-in answered with (absent when it answered with an error). */
  wamid?: string;
}

/**
 * The Graph API's POST /{phone-number-id}/messages. Answers like the recorded send response unless
 * a failure was queued with failNext (status and Graph error body).
 */
export function graphApi(base = GRAPH_BASE) {
  const calls: GraphCall[] = [];
  const failures: { status: number; body: Json }[] = [];
  let sent = 0;
  const handler = http.post(`${base}/:phoneNumberId/messages`, async ({ request, params }) => {
    const body = (await request.json()) as Json;
    const call: GraphCall = {
      phoneNumberId: String(params.phoneNumberId),
      authorization: request.headers.get("authorization"),
      body,
    };
    calls.push(call);
    const failure = failures.shift();
    if (failure) return HttpResponse.json(failure.body, { status: failure.status });
    const response = fixture("send-response");
    call.wamid = `wamid.HBgLMTQxNTU1NTAxMDEVAgARGBI${String(++sent).padStart(16, "0")}AA==`;
    response.contacts[0] = { input: body.to, wa_id: body.to };
    response.messages[0].id = call.wamid;
    return HttpResponse.json(response);
  });
  return {
    handler,
    calls,
    failNext(status: number, body: Json) {
      failures.push({ status, body });
    },
    /** The calls to one number, from the given index on. */
    to(phone: string, from = 0) {
      return calls.slice(from).filter((call) => call.body.to === waId(phone));
    },
  };
}

/** The texts in Graph requests: text bodies, interactive bodies, template parameters. */
export function textOf(call: GraphCall): string {
  const body = call.body;
  if (body.type === "text") return body.text.body;
  if (body.type === "interactive") return body.interactive.body.text;
  if (body.type === "template") return body.template.components[0].parameters[0].text;
  throw new Error(`unexpected message type ${body.type}`);
}

export function codeIn(calls: GraphCall[]): string {
  const code = calls
    .map(textOf)
    .join("\n")
    .match(/code is (\d{6})/)?.[1];
  expect(code, "a one-time code was sent").toBeDefined();
  return code as string;
}

/** Row counts of the tables an inbound webhook may change. */
export function tableCounts(app: TestParentline) {
  const count = (table: string) =>
    (app.db.$client.prepare(`select count(*) as n from ${table}`).get() as { n: number }).n;
  return {
    inbound: count("inbound_messages"),
    outbox: count("outbox"),
    conversations: count("conversations"),
    otpCodes: count("otp_codes"),
  };
}
