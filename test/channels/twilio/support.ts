// Shared pieces of the Twilio channel tests: the recorded fixtures, signed webhooks posted through
// the app, a TwiML reader, row counts, and an msw double of Twilio's Messages API that speaks its
// real wire format (form-encoded request, JSON resource or error body).
import { count, eq } from "drizzle-orm";
import { HttpResponse, http } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, beforeEach } from "vitest";
import { signTwilioWebhook, type TwilioParams } from "../../../bots/twilio";
import { type Database, schema } from "../../../db";
import type { OutboxDraft } from "../../../src/outbox";
import { planOutboxMessage } from "../../../src/outbox/enqueue";
import { UnitOfWork } from "../../../src/outbox/unit-of-work";
import { createSecrets } from "../../../src/security";
import { fixtureText } from "../../support/fixtures";
import { codeIn, createTestParentline, type TestParentline } from "../../support/parentline";

export const ACCOUNT_SID = "ACd4b1244da430a7f5918701ba871ecafc";
export const AUTH_TOKEN = "f0e1d2c3b4a5968778695a4b3c2d1e0f";
export const TWILIO_NUMBER = "+15555550100";
export const PUBLIC_BASE_URL = "https://parentline.example.org";
export const MESSAGES_URL = `https://api.twilio.com/2010-04-01/Accounts/${ACCOUNT_SID}/Messages.json`;

/** The variables that turn both Twilio channels on; sends are not paced (tests pace explicitly). */
export const TWILIO_ENV = {
  TWILIO_ACCOUNT_SID: ACCOUNT_SID,
  TWILIO_AUTH_TOKEN: AUTH_TOKEN,
  TWILIO_FROM: TWILIO_NUMBER,
  TWILIO_WHATSAPP_FROM: TWILIO_NUMBER,
  PUBLIC_BASE_URL,
  TWILIO_SMS_SEGMENTS_PER_SECOND: "1000",
  TWILIO_WHATSAPP_PER_SECOND: "1000",
};

/** A `.form` fixture: one decoded key=value pair a line (a value may be empty or contain "="). */
export function readForm(name: string): Record<string, string> {
  const text = fixtureText(`twilio/${name}`);
  const params: Record<string, string> = {};
  for (const line of text.split("\n")) {
    if (line.trim() === "") continue;
    const at = line.indexOf("=");
    params[line.slice(0, at)] = line.slice(at + 1);
  }
  return params;
}

export function readJson<T = Record<string, unknown>>(name: string): T {
  return JSON.parse(fixtureText(`twilio/${name}`)) as T;
}

let sidCounter = 0;
/** A fresh Twilio-shaped sid: two letters and 32 hex digits. */
export function newSid(prefix: "SM" | "MM" = "SM"): string {
  sidCounter += 1;
  return `${prefix}${sidCounter.toString(16).padStart(32, "0")}`;
}

/** The recorded inbound SMS, from `from` saying `body`, with a fresh MessageSid. */
export function inboundSms(
  from: string,
  body: string,
  extra: Record<string, string> = {},
): Record<string, string> {
  const sid = newSid();
  return {
    ...readForm("inbound-sms.form"),
    From: from,
    To: TWILIO_NUMBER,
    Body: body,
    MessageSid: sid,
    SmsMessageSid: sid,
    SmsSid: sid,
    ...extra,
  };
}

/** The recorded inbound WhatsApp message (an image) turned into text only unless media is kept. */
export function inboundWhatsApp(
  from: string,
  body: string,
  { keepMedia = false, extra = {} }: { keepMedia?: boolean; extra?: Record<string, string> } = {},
): Record<string, string> {
  const sid = newSid(keepMedia ? "MM" : "SM");
  const recorded = readForm("inbound-whatsapp.form");
  const { MediaUrl0: _url, MediaContentType0: _type, MessageType: _kind, ...textOnly } = recorded;
  return {
    ...(keepMedia ? recorded : { ...textOnly, NumMedia: "0", MessageType: "text" }),
    From: `whatsapp:${from}`,
    WaId: from.slice(1),
    To: `whatsapp:${TWILIO_NUMBER}`,
    Body: body,
    MessageSid: sid,
    SmsMessageSid: sid,
    SmsSid: sid,
    ...extra,
  };
}

export interface PostOptions {
  /** Signature to send; default: Twilio's own for PUBLIC_BASE_URL + path; null sends none. */
  signature?: string | null;
  /** The URL to sign instead (a forwarded URL, to show it is not the one checked). */
  signedUrl?: string;
  contentType?: string;
}

/** Posts a form to the app as Twilio would, signed over the public URL unless told otherwise. */
export async function postTwilio(
  app: TestParentline,
  pathAndQuery: string,
  params: TwilioParams,
  options: PostOptions = {},
): Promise<Response> {
  const signature =
    options.signature === undefined
      ? signTwilioWebhook(
          AUTH_TOKEN,
          options.signedUrl ?? `${PUBLIC_BASE_URL}${pathAndQuery}`,
          params,
        )
      : options.signature;
  const body = new URLSearchParams();
  for (const [key, value] of Object.entries(params))
    for (const one of Array.isArray(value) ? value : [value]) body.append(key, one);
  return app.app.request(pathAndQuery, {
    method: "POST",
    headers: {
      "content-type": options.contentType ?? "application/x-www-form-urlencoded",
      ...(signature === null ? {} : { "x-twilio-signature": signature }),
    },
    body: body.toString(),
  });
}

export interface TwimlMessage {
  body: string;
  action: string | undefined;
}

const unescapeXml = (text: string) =>
  text
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, "&");

/** The <Message>s of a TwiML response, in order. */
export function twimlMessages(xml: string): TwimlMessage[] {
  return [...xml.matchAll(/<Message([^>]*)>([\s\S]*?)<\/Message>/g)].map((match) => ({
    body: unescapeXml(match[2] ?? ""),
    action: match[1]?.match(/action="([^"]*)"/)?.[1]?.replace(/&amp;/g, "&"),
  }));
}

/** Posts a signed inbound message and returns the TwiML replies (asserting the answer's form). */
export async function sendInbound(
  app: TestParentline,
  params: TwilioParams,
): Promise<{ status: number; contentType: string | null; xml: string; replies: string[] }> {
  const response = await postTwilio(app, "/webhooks/twilio", params);
  const xml = await response.text();
  return {
    status: response.status,
    contentType: response.headers.get("content-type"),
    xml,
    replies: twimlMessages(xml).map((message) => message.body),
  };
}

/** The tables a message, a send or a receipt can touch. */
const COUNTED_TABLES = {
  inboundMessages: schema.inboundMessages,
  outbox: schema.outbox,
  conversations: schema.conversations,
  channelIdentities: schema.channelIdentities,
  otpCodes: schema.otpCodes,
  tickets: schema.tickets,
  ticketMessages: schema.ticketMessages,
  auditLog: schema.auditLog,
};

/** How many rows each table that a message can touch holds. */
export async function tableCounts(
  db: Database,
): Promise<Record<keyof typeof COUNTED_TABLES, number>> {
  const counts = {} as Record<keyof typeof COUNTED_TABLES, number>;
  for (const [name, table] of Object.entries(COUNTED_TABLES)) {
    const row = await db.select({ n: count() }).from(table).get();
    counts[name as keyof typeof COUNTED_TABLES] = row?.n ?? 0;
  }
  return counts;
}

export async function outboxRow(db: Database, id: number) {
  const row = await db.select().from(schema.outbox).where(eq(schema.outbox.id, id)).get();
  if (!row) throw new Error(`no outbox row ${id}`);
  return row;
}

export async function isOptedOut(db: Database, channel: string, address: string) {
  const rows = await db
    .select({ at: schema.channelIdentities.optedOutAt, address: schema.channelIdentities.address })
    .from(schema.channelIdentities)
    .where(eq(schema.channelIdentities.channel, channel));
  return rows.some((row) => row.address === address && row.at !== null);
}

/** Queues one outbox row as the services do (a staff reply, say) and returns its id. */
export async function enqueue(app: TestParentline, draft: Partial<OutboxDraft>): Promise<number> {
  const uow = new UnitOfWork();
  planOutboxMessage(
    { db: app.db, secrets: createSecrets("x".repeat(32)), now: app.clock.now },
    uow,
    {
      schoolId: null,
      channel: "sms",
      address: "+14155550102",
      kind: "staff_reply",
      body: "Hello from the school.",
      ...draft,
    },
  );
  await uow.commit(app.db);
  const [id] = uow.outboxIds;
  if (id === undefined) throw new Error("no row queued");
  return id;
}

/** One message the fake Twilio accepted, as the SDK sent it. */
export interface CreatedMessage {
  sid: string;
  to: string;
  from: string | null;
  messagingServiceSid: string | null;
  body: string;
  statusCallback: string | null;
}

type ScriptedAnswer = { status: number; body: unknown; headers?: Record<string, string> };

/**
 * Twilio's Messages API as msw handlers: checks the account's basic auth, reads the form the SDK
 * posts, and answers with the recorded resource (201) or the next scripted error.
 */
export class FakeTwilioMessages {
  readonly created: CreatedMessage[] = [];
  readonly requests: URLSearchParams[] = [];
  private readonly script: (ScriptedAnswer | "created")[] = [];

  /** The next create calls get these answers, in order (then 201 again); "created" is a 201. */
  answerNext(...answers: (ScriptedAnswer | "created")[]): void {
    this.script.push(...answers);
  }

  error(fixture: string, headers?: Record<string, string>): ScriptedAnswer {
    const body = readJson<{ status: number }>(fixture);
    return { status: body.status, body, ...(headers ? { headers } : {}) };
  }

  readonly handler: ReturnType<typeof http.post>;

  /** `base`: where the SDK is sent (TWILIO_API_BASE), Twilio's own API unless a test moves it. */
  constructor(base = "https://api.twilio.com") {
    this.handler = http.post(`${base}/2010-04-01/Accounts/:accountSid/Messages.json`, (info) =>
      this.answer(info),
    );
  }

  private async answer({
    request,
    params,
  }: {
    request: Request;
    params: Record<string, string | readonly string[] | undefined>;
  }) {
    const expectedAuth = `Basic ${Buffer.from(`${ACCOUNT_SID}:${AUTH_TOKEN}`).toString("base64")}`;
    if (request.headers.get("authorization") !== expectedAuth || params.accountSid !== ACCOUNT_SID)
      return HttpResponse.json(
        {
          code: 20003,
          message: "Authenticate",
          more_info: "https://www.twilio.com/docs/errors/20003",
          status: 401,
        },
        { status: 401 },
      );
    const form = new URLSearchParams(await request.text());
    this.requests.push(form);
    const scripted = this.script.shift();
    if (scripted && scripted !== "created")
      return HttpResponse.json(scripted.body as Record<string, unknown>, {
        status: scripted.status,
        ...(scripted.headers ? { headers: scripted.headers } : {}),
      });
    const sid = newSid();
    const message: CreatedMessage = {
      sid,
      to: form.get("To") ?? "",
      from: form.get("From"),
      messagingServiceSid: form.get("MessagingServiceSid"),
      body: form.get("Body") ?? "",
      statusCallback: form.get("StatusCallback"),
    };
    this.created.push(message);
    const recorded = readJson("message-create-response.json");
    return HttpResponse.json(
      {
        ...recorded,
        sid,
        to: message.to,
        from: message.from ?? recorded.from,
        messaging_service_sid: message.messagingServiceSid,
        body: message.body,
        uri: `/2010-04-01/Accounts/${ACCOUNT_SID}/Messages/${sid}.json`,
        subresource_uris: {
          media: `/2010-04-01/Accounts/${ACCOUNT_SID}/Messages/${sid}/Media.json`,
        },
      },
      { status: 201 },
    );
  }

  /** What was sent to `to` (as Twilio writes it: "+1…" or "whatsapp:+1…"). */
  to(to: string): CreatedMessage[] {
    return this.created.filter((message) => message.to === to);
  }
}

/** The status callback Twilio would post for a message we sent. */
export function statusCallback(
  message: { sid: string; to: string },
  status: string,
  extra: Record<string, string> = {},
): Record<string, string> {
  const recorded = readForm("status-callback-delivered.form");
  const { RawDlrDoneDate: _done, ...base } = recorded;
  return {
    ...base,
    SmsSid: message.sid,
    MessageSid: message.sid,
    SmsStatus: status,
    MessageStatus: status,
    To: message.to,
    From: message.to.startsWith("whatsapp:") ? `whatsapp:${TWILIO_NUMBER}` : TWILIO_NUMBER,
    ...extra,
  };
}

/** path + query of a callback URL we gave Twilio (it is signed as the full public URL). */
export function pathOf(callbackUrl: string): string {
  const url = new URL(callbackUrl);
  return `${url.pathname}${url.search}`;
}

/**
 * Registers the test lifecycle every Twilio suite shares: msw playing Twilio's API (unhandled
 * requests fail), and a fresh Parentline with Twilio on for each test, handed to `use`.
 */
export function useTwilioTestbed(use: (app: TestParentline) => void): FakeTwilioMessages {
  const twilio = new FakeTwilioMessages();
  const server = setupServer(twilio.handler);
  let app: TestParentline | undefined;
  beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
  afterEach(() => server.resetHandlers());
  afterAll(() => server.close());
  beforeEach(async () => {
    app = await createTestParentline(TWILIO_ENV);
    twilio.created.length = 0;
    twilio.requests.length = 0;
    use(app);
  });
  afterEach(() => app?.stop());
  return twilio;
}

/** Signs a staff member in over the API, the code arriving by SMS through the fake Twilio. */
export async function staffTokenOverSms(
  app: TestParentline,
  twilio: FakeTwilioMessages,
  phone: string,
): Promise<string> {
  await app.json("POST", "/v1/auth/otp/request", { phone });
  await app.dispatcher.dispatchDue();
  const code = codeIn(twilio.to(phone).map((message) => message.body));
  const verified = await app.json("POST", "/v1/auth/otp/verify", { phone, code });
  return ((await verified.json()) as { accessToken: string }).accessToken;
}
