// The channel-neutral vocabulary every channel speaks: what came in, what goes out, who it is.

/**
 * A channel's name: how a conversation, an outbox row and a dedupe key say where a person is.
 * One bots/ folder may serve more than one (bots/twilio serves "sms" and "twilio-whatsapp").
 */
export type ChannelName =
  | "simulator"
  | "sms"
  | "twilio-whatsapp"
  | "telegram"
  | "whatsapp-web"
  | "whatsapp-cloud";

/** A chat address on a channel: an E.164 phone for phone channels, a chat id elsewhere. */
export interface Contact {
  channel: ChannelName;
  address: string;
}

/** A photo or document: a public https URL the provider fetches, and its type when known. */
export interface Attachment {
  url: string;
  contentType?: string;
}

/** One message a person sent us, normalized from the provider's payload. */
export interface InboundMessage extends Contact {
  /** The provider's id for the message: the dedupe key, and the guard against answering ourselves. */
  providerMessageId: string;
  text: string;
  /** A phone number the person shared with us (a Telegram contact card), E.164. */
  contact?: { phone: string };
  media?: Attachment[];
  /**
   * The message this one answers, where the channel lets a person reply to (quote) a message: the
   * providerMessageId our send() returned for it, in the same form (Telegram's reply-to, WhatsApp's
   * quoted message). Staff answer a ticket alert this way.
   */
  replyTo?: string;
  receivedAt: number;
}

/** A choice offered to the person: a button where the channel has them, a numbered line otherwise. */
export interface ReplyOption {
  id: string;
  label: string;
  /**
   * The option asks for something the channel can share on the person's behalf: "phone" is
   * Telegram's request_contact keyboard button. Channels that can't, show it as a plain option.
   */
  request?: "phone";
}

/** One message to send, as the outbox dispatcher hands it to a channel. */
export interface OutboundMessage extends Contact {
  /** The outbox row id: channels use it as an idempotency key where the provider has one. */
  outboxId: number;
  kind: string;
  text: string;
  options?: ReplyOption[];
  /**
   * Someone's own words the text quotes as written (a parent's message in the confirm summary, a
   * teacher's reply in a list), in the order they appear: SMS renders the rest in GSM-7 only.
   */
  quoted?: string[];
  /** Photos or documents sent with the text; channels without media append the links. */
  media?: Attachment[];
  /**
   * When the person last wrote to us on this channel and address; given to channels with a
   * customer-service window (WhatsApp Cloud) so they can choose a template outside it.
   */
  lastInboundAt?: number;
}

/** What the provider said when it accepted a message. */
export interface SendReceipt {
  providerMessageId: string;
}

/** Where a sent message got to, as a provider's receipt says; a row never moves backwards. */
export type DeliveryStatus = "sent" | "delivered" | "read" | "undelivered" | "failed";

/** A provider's receipt for a message we sent (Twilio status callback, WhatsApp ack, Meta status). */
export interface DeliveryReceipt {
  channel: ChannelName;
  /** The provider's id of the message, as send() returned it. */
  providerMessageId: string;
  /** Our outbox id where the provider echoes it back (Twilio's statusCallback URL carries it). */
  outboxId?: number;
  status: DeliveryStatus;
  /** The provider's error code for undelivered/failed (Twilio 30003, Meta 131047 …). */
  errorCode?: string;
}
