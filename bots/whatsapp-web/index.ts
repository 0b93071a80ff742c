// The WhatsApp Web channel (whatsapp-web.js, Node only).
export { createWhatsAppWebChannel, whatsappWebCapabilities, whatsappWebLimits } from "./adapter";
export {
  type CreateWhatsAppWebClient,
  createLibraryClient,
  MessageAck,
  type WhatsAppWebClient,
  type WhatsAppWebClientOptions,
  type WhatsAppWebEvents,
  type WhatsAppWebMessage,
} from "./client";
export { type LinkState, RECONNECT_FIRST_MS, RECONNECT_MAX_MS, type Scheduler } from "./link";
export { parseWhatsAppWebMessage, receiptFromAck } from "./parse";
export { chatIdFor, renderWhatsAppWebMessage } from "./render";
export { createWhatsAppWebSetup, type WhatsAppWebSetupOptions, whatsappWebFactory } from "./setup";
export { WHATSAPP_WEB_STAFF_PATH } from "./staff-link";
