// Twilio: SMS and WhatsApp through Twilio, one API and one webhook.
export {
  createSmsChannel,
  createTwilioWhatsAppChannel,
  SMS_CAPABILITIES,
  TWILIO_WHATSAPP_CAPABILITIES,
} from "./adapter";
export { createTwilioApi, sendErrorFrom, type TwilioApi } from "./client";
export { parseTwilioInbound, parseTwilioStatus } from "./parse";
export { renderCreateRequests, renderTwiml, smsSegments, statusCallbackUrl } from "./render";
export { setUpTwilio, type TwilioSetupOptions, twilioFactory } from "./setup";
export { isSignedByTwilio, signTwilioWebhook, type TwilioParams } from "./signature";
export { INLINE_REPLY_BUDGET_MS, twilioRoutes } from "./webhook";
