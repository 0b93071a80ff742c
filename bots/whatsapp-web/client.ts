// The WhatsApp Web client: the only IO of this channel. whatsapp-web.js drives a headless Chromium
// logged in to WhatsApp Web as a linked device; everything else here talks to the small
// WhatsAppWebClient interface, so tests plug in a fake that emits the library's events.
import type WAWebJS from "whatsapp-web.js";

/** The fields of whatsapp-web.js's Message this channel reads (index.d.ts `Message`). */
export interface WhatsAppWebMessage {
  /** `_serialized` is "<fromMe>_<chat id>_<key>": the id acks refer to. */
  id: { fromMe: boolean; remote: string; id: string; _serialized: string };
  /** The chat: "<digits>@c.us" for a person, "<id>@g.us" for a group, "<id>@lid" for a hidden number. */
  from: string;
  /** Set only in group chats: who wrote. */
  author?: string;
  fromMe: boolean;
  isStatus: boolean;
  broadcast: boolean;
  body: string;
  /** A MessageTypes value: "chat" is text; "image", "sticker", "ptt" … are not. */
  type: string;
  /** Unix seconds. */
  timestamp: number;
  hasMedia: boolean;
  /** Set when the message quotes another. */
  hasQuotedMsg?: boolean;
  /** The raw message model; `quotedStanzaID` is the key (`id.id`) of the quoted message. */
  _data?: { quotedStanzaID?: string };
}

/** MessageAck (index.d.ts): how far a message we sent got. */
export const MessageAck = {
  ERROR: -1,
  PENDING: 0,
  SERVER: 1,
  DEVICE: 2,
  READ: 3,
  PLAYED: 4,
} as const;

/** The library's events this channel listens to, with their listener arguments (index.d.ts). */
export interface WhatsAppWebEvents {
  qr: [qr: string];
  authenticated: [];
  auth_failure: [message: string];
  ready: [];
  /** A WAState ("CONFLICT", "UNPAIRED" …) or "LOGOUT". */
  disconnected: [reason: string];
  message: [message: WhatsAppWebMessage];
  message_ack: [message: WhatsAppWebMessage, ack: number];
}

/** What this channel uses of whatsapp-web.js's Client. */
export interface WhatsAppWebClient {
  on<E extends keyof WhatsAppWebEvents>(
    event: E,
    listener: (...args: WhatsAppWebEvents[E]) => void,
  ): unknown;
  initialize(): Promise<void>;
  sendMessage(chatId: string, content: string): Promise<{ id: { _serialized: string } }>;
  /** Maps hidden "<id>@lid" chat ids to phone ids ("<digits>@c.us") where WhatsApp allows it. */
  getContactLidAndPhone(userIds: string[]): Promise<{ lid: string; pn: string }[]>;
  destroy(): Promise<void>;
}

export interface WhatsAppWebClientOptions {
  /** Where LocalAuth keeps the linked session (WHATSAPP_WEB_DATA_DIR). */
  dataDir: string;
  /** Debian's Chromium (CHROMIUM_PATH); puppeteer never downloads a browser (.puppeteerrc.cjs). */
  chromiumPath: string;
}

export type CreateWhatsAppWebClient = (
  options: WhatsAppWebClientOptions,
) => WhatsAppWebClient | Promise<WhatsAppWebClient>;

/** Chromium flags for a server: no sandbox (containers), no GPU, no background chatter. */
export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-setuid-sandbox",
  "--disable-gpu",
  "--disable-dev-shm-usage",
  "--disable-background-networking",
  "--disable-extensions",
  "--no-first-run",
];

/** The library Client's options: the session under dataDir, a headless system Chromium. */
export function libraryClientOptions(
  { dataDir, chromiumPath }: WhatsAppWebClientOptions,
  LocalAuth: typeof WAWebJS.LocalAuth,
): WAWebJS.ClientOptions {
  return {
    authStrategy: new LocalAuth({ dataPath: dataDir }),
    puppeteer: { executablePath: chromiumPath, headless: true, args: CHROMIUM_ARGS },
  };
}

/** Loads whatsapp-web.js. It is CommonJS: under ESM its exports sit on `default`. */
export async function loadLibrary(): Promise<typeof WAWebJS> {
  return (await import("whatsapp-web.js")).default;
}

/**
 * The real client. whatsapp-web.js (and puppeteer under it) is imported here, on first use, so a
 * server with the channel off never loads it; the browser starts with initialize().
 */
export const createLibraryClient: CreateWhatsAppWebClient = async (options) => {
  const wwebjs = await loadLibrary();
  const client = new wwebjs.Client(libraryClientOptions(options, wwebjs.LocalAuth));
  return {
    on: (event, listener) => client.on(event as never, listener as never),
    initialize: () => client.initialize(),
    sendMessage: (chatId, content) => client.sendMessage(chatId, content),
    getContactLidAndPhone: (userIds) => client.getContactLidAndPhone(userIds),
    destroy: () => client.destroy(),
  };
};
