// A stand-in for whatsapp-web.js's Client: an EventEmitter that the test makes emit the library's
// real events with payloads shaped like the recorded fixtures, and that records what it was asked
// to send. Built on demand by the channel's createClient factory, like the real one.
import { EventEmitter } from "node:events";
import type {
  CreateWhatsAppWebClient,
  WhatsAppWebClient,
  WhatsAppWebClientOptions,
  WhatsAppWebEvents,
  WhatsAppWebMessage,
} from "../../../bots/whatsapp-web";
import groupFixture from "../../fixtures/whatsapp-web/message-group.json";
import privateFixture from "../../fixtures/whatsapp-web/message-private.json";

export interface SentMessage {
  chatId: string;
  content: string;
  /** The library's Message the send resolved with. */
  message: WhatsAppWebMessage;
}

export class FakeWhatsAppWebClient extends EventEmitter implements WhatsAppWebClient {
  readonly sent: SentMessage[] = [];
  initialized = false;
  destroyed = false;
  /** Hidden "<id>@lid" ids WhatsApp will map to a phone chat id. */
  readonly lids = new Map<string, string>();
  /** Set to make sendMessage fail like a page error. */
  failSends: Error | undefined;
  private nextKey = 1;

  constructor(readonly options: WhatsAppWebClientOptions) {
    super();
  }

  async initialize(): Promise<void> {
    this.initialized = true;
  }

  async sendMessage(chatId: string, content: string) {
    if (this.failSends) throw this.failSends;
    const key = `3EB0${String(this.nextKey++).padStart(16, "0")}`;
    const message = ownMessage(chatId, key, content);
    this.sent.push({ chatId, content, message });
    return message;
  }

  async getContactLidAndPhone(userIds: string[]) {
    return userIds.map((lid) => ({ lid, pn: this.lids.get(lid) ?? "" }));
  }

  async destroy(): Promise<void> {
    this.destroyed = true;
  }

  /** Emits one of the library's events, typed by its listener arguments. */
  fire<E extends keyof WhatsAppWebEvents>(event: E, ...args: WhatsAppWebEvents[E]): void {
    this.emit(event, ...args);
  }
}

/** A factory that makes fake clients and keeps them, newest last. */
export function fakeClientFactory() {
  const clients: FakeWhatsAppWebClient[] = [];
  const createClient: CreateWhatsAppWebClient = (options) => {
    const client = new FakeWhatsAppWebClient(options);
    clients.push(client);
    return client;
  };
  return {
    createClient,
    clients,
    latest(): FakeWhatsAppWebClient {
      const client = clients.at(-1);
      if (!client) throw new Error("no client was created");
      return client;
    },
  };
}

let nextInboundKey = 1;

/** An incoming 1:1 text message, shaped like the recorded fixture, from a phone ("+1415…"). */
export function privateMessage(
  phone: string,
  body: string,
  key = `8F391AC86303305E118A${String(nextInboundKey++).padStart(12, "0")}`,
): WhatsAppWebMessage {
  const chatId = `${phone.replace(/\D/g, "")}@c.us`;
  return {
    ...structuredClone(privateFixture),
    id: { fromMe: false, remote: chatId, id: key, _serialized: `false_${chatId}_${key}` },
    from: chatId,
    body,
  };
}

/** An incoming group message, as the recorded group fixture. */
export function groupMessage(): WhatsAppWebMessage {
  return structuredClone(groupFixture);
}

/** The Message sendMessage resolves with: ours (fromMe), to the chat, ack 1 once it left. */
function ownMessage(chatId: string, key: string, body: string): WhatsAppWebMessage {
  return {
    ...structuredClone(privateFixture),
    id: { fromMe: true, remote: chatId, id: key, _serialized: `true_${chatId}_${key}` },
    from: privateFixture.to,
    fromMe: true,
    body,
  };
}
