// Renders an OutboundMessage as Graph API message requests (pure): free-form text with reply
// buttons or a list inside the 24-hour window, the approved template outside it. Meta's limits for
// interactive messages live here:
// https://developers.facebook.com/documentation/business-messaging/whatsapp/messages/interactive-reply-buttons-messages
// https://developers.facebook.com/documentation/business-messaging/whatsapp/messages/interactive-list-messages
// Attachments go as image or document messages by link, the text as their caption when it fits:
// https://developers.facebook.com/documentation/business-messaging/whatsapp/messages/document-messages
// https://developers.facebook.com/documentation/business-messaging/whatsapp/messages/image-messages
import {
  type Attachment,
  isImageAttachment,
  type OutboundMessage,
  type ReplyOption,
  splitText,
  textWithLinks,
  withNumberedOptions,
} from "../../src/contracts";

export const WHATSAPP_LIMITS = {
  /** A text message's body. */
  textLength: 4096,
  /** An interactive message's body text. */
  interactiveBodyLength: 1024,
  /** An image's or document's caption. */
  captionLength: 1024,
  buttons: 3,
  buttonTitleLength: 20,
  buttonIdLength: 256,
  listRows: 10,
  rowTitleLength: 24,
  rowDescriptionLength: 72,
  rowIdLength: 200,
  /**
   * One template body parameter. A template's body may hold 1024 characters in all; this leaves
   * room for the template's own words around {{1}}.
   */
  templateParameterLength: 900,
} as const;

/**
 * The label of the button that opens a list (≤ 20 characters). The renderer does not know the
 * parent's language, so it is a symbol every parent reads the same way, not a word.
 */
export const LIST_BUTTON_LABEL = "☰";

/** An approved message template: WHATSAPP_CLOUD_TEMPLATE as "name" or "name:language". */
export interface WhatsAppTemplate {
  name: string;
  language: string;
}

/** "parentline_message:es" → { name, language: "es" }; null when it cannot be a template name. */
export function parseTemplateSetting(setting: string): WhatsAppTemplate | null {
  const match = setting
    .trim()
    .match(/^([a-z0-9_]{1,512})(?::([A-Za-z]{2,3}(?:_[A-Za-z]{2,4})?))?$/);
  if (!match?.[1]) return null;
  return { name: match[1], language: match[2] ?? "en_US" };
}

interface Envelope {
  messaging_product: "whatsapp";
  recipient_type: "individual";
  /** The phone number in international form without the "+". */
  to: string;
}

interface ReplyButton {
  type: "reply";
  reply: { id: string; title: string };
}

interface ListRow {
  id: string;
  title: string;
  description?: string;
}

export type GraphMessageRequest = Envelope &
  (
    | { type: "text"; text: { body: string } }
    | {
        type: "interactive";
        interactive:
          | { type: "button"; body: { text: string }; action: { buttons: ReplyButton[] } }
          | {
              type: "list";
              body: { text: string };
              action: { button: string; sections: { rows: ListRow[] }[] };
            };
      }
    | { type: "image"; image: { link: string; caption?: string } }
    | { type: "document"; document: { link: string; caption?: string; filename?: string } }
    | {
        type: "template";
        template: {
          name: string;
          language: { code: string };
          components: { type: "body"; parameters: { type: "text"; text: string }[] }[];
        };
      }
  );

const envelope = (address: string): Envelope => ({
  messaging_product: "whatsapp",
  recipient_type: "individual",
  to: address.replace(/^\+/, ""),
});

/** Cuts a label to `max` characters, marking the cut. */
function shorten(label: string, max: number): string {
  return label.length <= max ? label : `${label.slice(0, max - 1).trimEnd()}…`;
}

const unique = (values: string[]) => new Set(values).size === values.length;

type OptionsShape = "buttons" | "list" | "numbered";

/**
 * How options can be shown: reply buttons when up to 3 whose labels fit, a one-section list up to
 * 10 (a longer label keeps its whole text in the row's description), numbered lines otherwise.
 */
export function optionsShape(options: readonly ReplyOption[]): OptionsShape {
  const ids = options.map((option) => option.id);
  if (!unique(ids)) return "numbered";
  const fitsButtons =
    options.length <= WHATSAPP_LIMITS.buttons &&
    options.every(
      (option) =>
        option.label.length > 0 &&
        option.label.length <= WHATSAPP_LIMITS.buttonTitleLength &&
        option.id.length <= WHATSAPP_LIMITS.buttonIdLength,
    ) &&
    unique(options.map((option) => option.label));
  if (fitsButtons) return "buttons";
  const fitsList =
    options.length <= WHATSAPP_LIMITS.listRows &&
    options.every(
      (option) => option.label.length > 0 && option.id.length <= WHATSAPP_LIMITS.rowIdLength,
    );
  return fitsList ? "list" : "numbered";
}

function interactiveFor(
  body: string,
  options: readonly ReplyOption[],
  shape: "buttons" | "list",
): Extract<GraphMessageRequest, { type: "interactive" }>["interactive"] {
  if (shape === "buttons") {
    return {
      type: "button",
      body: { text: body },
      action: {
        buttons: options.map((option) => ({
          type: "reply",
          reply: { id: option.id, title: option.label },
        })),
      },
    };
  }
  return {
    type: "list",
    body: { text: body },
    action: {
      button: LIST_BUTTON_LABEL,
      sections: [
        {
          rows: options.map((option) => ({
            id: option.id,
            title: shorten(option.label, WHATSAPP_LIMITS.rowTitleLength),
            ...(option.label.length > WHATSAPP_LIMITS.rowTitleLength
              ? { description: shorten(option.label, WHATSAPP_LIMITS.rowDescriptionLength) }
              : {}),
          })),
        },
      ],
    },
  };
}

/**
 * The file's name as the link ends ("newsletter.pdf"): WhatsApp picks the document's icon by its
 * extension, and shows "Untitled" without one.
 */
function fileNameOf(url: string): string | undefined {
  let name: string;
  try {
    name = decodeURIComponent(new URL(url).pathname.split("/").pop() ?? "");
  } catch {
    return undefined; // not a URL, or a malformed escape: Meta shows its own name
  }
  return /\.\w{1,8}$/.test(name) ? name : undefined;
}

function mediaRequest(address: string, item: Attachment, caption?: string): GraphMessageRequest {
  const captioned = caption !== undefined ? { caption } : {};
  if (isImageAttachment(item))
    return { ...envelope(address), type: "image", image: { link: item.url, ...captioned } };
  const filename = fileNameOf(item.url);
  return {
    ...envelope(address),
    type: "document",
    document: { link: item.url, ...captioned, ...(filename ? { filename } : {}) },
  };
}

/**
 * A free-form message (inside the 24-hour window). Without media: the text split at 4096
 * characters, and the options as buttons or a list on the last part. With media: the text as the
 * first file's caption when it has no options and fits one; otherwise the text first, then the
 * files (the last one the receipt).
 */
export function renderSessionMessage(
  message: Pick<OutboundMessage, "address" | "text" | "options" | "media">,
): GraphMessageRequest[] {
  const media = message.media ?? [];
  if (media.length === 0) return renderSessionText(message);
  const captionFits =
    !message.options?.length && message.text.trim().length <= WHATSAPP_LIMITS.captionLength;
  const caption = captionFits ? message.text.trim() : undefined;
  const files = media.map((item, index) =>
    mediaRequest(message.address, item, index === 0 ? caption : undefined),
  );
  return captionFits ? files : [...renderSessionText(message), ...files];
}

/** The text (and options) of a free-form message. */
function renderSessionText(
  message: Pick<OutboundMessage, "address" | "text" | "options">,
): GraphMessageRequest[] {
  const to = envelope(message.address);
  const options = message.options ?? [];
  const shape = options.length > 0 ? optionsShape(options) : "numbered";
  const asText = (body: string): GraphMessageRequest => ({ ...to, type: "text", text: { body } });
  if (shape === "numbered") {
    return splitText(withNumberedOptions(message.text, options), WHATSAPP_LIMITS.textLength).map(
      asText,
    );
  }
  const parts = splitText(message.text, WHATSAPP_LIMITS.textLength);
  const last = splitText(parts.pop() ?? "", WHATSAPP_LIMITS.interactiveBodyLength);
  const body = last.pop() ?? "";
  return [
    ...[...parts, ...last].map(asText),
    { ...to, type: "interactive", interactive: interactiveFor(body, options, shape) },
  ];
}

/**
 * A template message (outside the window): the whole text, options numbered, as the body
 * parameter. Meta refuses a parameter with line breaks, tabs or more than four spaces in a row
 * (error 132018), so whitespace is flattened; a long text goes as several templates. The template
 * has a text parameter but no media header, so an attachment goes as its link at the end.
 */
export function renderTemplateMessage(
  message: Pick<OutboundMessage, "address" | "text" | "options" | "media">,
  template: WhatsAppTemplate,
): GraphMessageRequest[] {
  const text = textWithLinks(message.text, message.media);
  const flat = withNumberedOptions(text, message.options ?? [])
    .replace(/\s+/g, " ")
    .trim();
  return splitText(flat, WHATSAPP_LIMITS.templateParameterLength).map((part) => ({
    ...envelope(message.address),
    type: "template",
    template: {
      name: template.name,
      language: { code: template.language },
      components: [{ type: "body", parameters: [{ type: "text", text: part }] }],
    },
  }));
}
