// The channel-neutral vocabulary every channel speaks: what came in, what goes out, who it is.

/** A registered channel's name; one folder in bots/ per name. */
export type ChannelName = "simulator";

/** A chat address on a channel: an E.164 phone for phone channels, a chat id elsewhere. */
export interface Contact {
  channel: ChannelName;
  address: string;
}

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
  receivedAt: number;
}

/** A choice offered to the person: a button where the channel has them, a numbered line otherwise. */
export interface ReplyOption {
  id: string;
  label: string;
}

/** One message to send, as the outbox dispatcher hands it to a channel. */
export interface OutboundMessage extends Contact {
  /** The outbox row id: channels use it as an idempotency key where the provider has one. */
  outboxId: number;
  kind: string;
  text: string;
  options?: ReplyOption[];
}

/** What the provider said when it accepted a message. */
export interface SendReceipt {
  providerMessageId: string;
}
