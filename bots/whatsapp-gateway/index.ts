// WhatsApp Web through a gateway: the runtime's channel and webhook (fetch only, Node and Workers).
// The gateway process itself (Node) is gateway.ts, started by main.ts.
export { createWhatsAppGatewayChannel } from "./adapter";
export { createGatewayClient, GATEWAY_SEND_PATH, sendErrorFrom } from "./client";
export { WHATSAPP_GATEWAY_WEBHOOK_PATH, whatsAppGatewayFactory } from "./setup";
export {
  REPLAY_WINDOW_MS,
  SIGNATURE_HEADER,
  signatureHeaders,
  TIMESTAMP_HEADER,
} from "./signature";
