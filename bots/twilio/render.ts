// Outbound messages as Twilio takes them (pure): Messages API requests for the dispatcher's path,
// TwiML for replies that ride in the webhook's response, and what an SMS costs in segments.
import {
  type ChannelCapabilities,
  type Contact,
  forSms,
  type OutboundMessage,
  renderForChannel,
} from "../../src/contracts";

export { smsSegments } from "../../src/contracts";

/** Who a message is sent from: a number of ours, or a Messaging Service that picks one. */
export type TwilioSender = { from: string } | { messagingServiceSid: string };

/** The parameters of one `client.messages.create` call. */
export interface TwilioCreateRequest {
  to: string;
  body: string;
  statusCallback: string;
  from?: string;
  messagingServiceSid?: string;
  /** Photos or documents Twilio fetches and sends with the text (MMS, WhatsApp media). */
  mediaUrl?: string[];
}

type RenderCapabilities = Pick<ChannelCapabilities, "buttons" | "maxTextLength">;

/** The address as Twilio writes it: WhatsApp numbers carry the `whatsapp:` prefix, SMS bare. */
export function twilioAddress(contact: Contact): string {
  return contact.channel === "twilio-whatsapp"
    ? withWhatsAppPrefix(contact.address)
    : contact.address;
}

export function withWhatsAppPrefix(number: string): string {
  return number.startsWith("whatsapp:") ? number : `whatsapp:${number}`;
}

/**
 * Where Twilio reports a message's progress. The outbox id in the query lets a receipt find its
 * row even before the message's sid is stored (or when it never is: TwiML replies). Twilio signs
 * the whole URL, query included, so the id cannot be forged. The earlier parts of a text sent in
 * several say so (`&part=earlier`): only their failures count (parseTwilioStatus).
 */
export function statusCallbackUrl(
  publicBaseUrl: string,
  outboxId: number,
  part: "last" | "earlier" = "last",
): string {
  const url = `${publicBaseUrl.replace(/\/+$/, "")}/webhooks/twilio/status?outbox=${outboxId}`;
  return part === "earlier" ? `${url}&part=earlier` : url;
}

/** Which callback a message's part reports to: its last part's speaks for the row. */
const partOf = (index: number, parts: readonly unknown[]) =>
  index < parts.length - 1 ? ("earlier" as const) : ("last" as const);

/**
 * One create request per part. A text longer than the channel's limit (1600 characters on SMS,
 * 4096 on WhatsApp) is split at sentence boundaries into several messages, each tracked by the
 * same row's status callback. Media rides on the last part as MediaUrl (MMS on SMS, a media message
 * on WhatsApp), so the file arrives after all of the text that introduces it.
 * https://www.twilio.com/docs/messaging/api/message-resource#create-a-message-resource
 */
export function renderCreateRequests(
  message: OutboundMessage,
  options: { capabilities: RenderCapabilities; sender: TwilioSender; publicBaseUrl: string },
): TwilioCreateRequest[] {
  const { parts } = renderForChannel(asSent(message), options.capabilities);
  const mediaUrl = message.media?.map((item) => item.url) ?? [];
  return parts.map((body, index) => ({
    to: twilioAddress(message),
    body,
    statusCallback: statusCallbackUrl(
      options.publicBaseUrl,
      message.outboxId,
      partOf(index, parts),
    ),
    ...options.sender,
    ...(mediaUrl.length > 0 && index === parts.length - 1 ? { mediaUrl } : {}),
  }));
}

/**
 * Replies answered in the webhook's own response: one <Message> per part, each with an `action`
 * (Twilio's status callback for TwiML messages) pointing at the row. An empty list renders the
 * empty <Response/> that tells Twilio there is nothing to send.
 * https://www.twilio.com/docs/messaging/twiml/message
 *
 * Written out here rather than through twilio's MessagingResponse, which builds an XML document
 * (xmlbuilder) for every response: 9 KB of garbage per inline reply, 6 % of all an SMS step
 * allocates (bench:inbound allocation profile), for two elements. The escaping is xmlbuilder's,
 * and a test compares the output with MessagingResponse's own.
 */
export function renderTwiml(
  messages: readonly OutboundMessage[],
  options: {
    capabilitiesOf: (message: OutboundMessage) => RenderCapabilities;
    publicBaseUrl: string;
  },
): string {
  const elements = messages.flatMap((message) => {
    const { parts } = renderForChannel(asSent(message), options.capabilitiesOf(message));
    return parts.map((part, index) => {
      const url = statusCallbackUrl(options.publicBaseUrl, message.outboxId, partOf(index, parts));
      return `<Message action="${xmlAttribute(url)}" method="POST">${xmlText(part)}</Message>`;
    });
  });
  return elements.length === 0
    ? `${XML_DECLARATION}<Response/>`
    : `${XML_DECLARATION}<Response>${elements.join("")}</Response>`;
}

const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>';
/** xmlbuilder's escapes: text escapes `& < > CR`, an attribute value `& < " TAB LF CR`. */
const XML_ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "\t": "&#x9;",
  "\n": "&#xA;",
  "\r": "&#xD;",
};
const xmlEscape = (char: string) => XML_ESCAPES[char] ?? char;
/**
 * What XML 1.0 cannot carry at all: control characters but tab and line breaks, lone surrogates,
 * U+FFFE and U+FFFF. MessagingResponse threw on them (the webhook failed); a reply drops them.
 */
const NOT_XML =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching the characters XML forbids is its job
  /[\0-\x08\x0B\f\x0E-\x1F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

const xmlText = (text: string) => text.replace(NOT_XML, "").replace(/[&<>\r]/g, xmlEscape);
const xmlAttribute = (value: string) => value.replace(/[&<"\t\n\r]/g, xmlEscape);

/** SMS sends Parentline's own texts in GSM-7 (src/contracts/sms-text.ts); WhatsApp as written. */
const asSent = (message: OutboundMessage) =>
  message.channel === "sms" ? forSms(message) : message;
