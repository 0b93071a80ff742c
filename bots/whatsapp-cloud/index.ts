// The WhatsApp Cloud API channel (Meta's official API, over plain fetch).
export { CUSTOMER_SERVICE_WINDOW_MS, createWhatsAppCloudChannel } from "./adapter";
export { createGraphClient, type GraphClient, sendErrorFrom } from "./client";
export { type ParsedWebhook, parseWhatsAppWebhook } from "./parse";
export {
  type GraphMessageRequest,
  optionsShape,
  parseTemplateSetting,
  renderSessionMessage,
  renderTemplateMessage,
  WHATSAPP_LIMITS,
  type WhatsAppTemplate,
} from "./render";
export { WHATSAPP_WEBHOOK_PATH, whatsAppCloudFactory } from "./setup";
export { isSignedByMeta, secretsMatch } from "./signature";
export { whatsAppCloudRoutes } from "./webhook";
