// Turns Twilio on when its variables are set: SMS always, WhatsApp through Twilio when
// TWILIO_WHATSAPP_FROM is set too. Mounts the webhooks under /webhooks/twilio.
import type {
  Channel,
  ChannelContext,
  ChannelFactory,
  ChannelName,
  ChannelSetup,
} from "../../src/contracts";
import { createSmsChannel, createTwilioWhatsAppChannel } from "./adapter";
import { createTwilioApi } from "./client";
import { withWhatsAppPrefix } from "./render";
import { twilioRoutes } from "./webhook";

export interface TwilioSetupOptions {
  /** How long a webhook waits for replies to answer inline (tests shorten it). */
  inlineReplyBudgetMs?: number;
}

export const twilioFactory: ChannelFactory = (context) => setUpTwilio(context);

export function setUpTwilio(
  { config, log, now }: ChannelContext,
  options: TwilioSetupOptions = {},
): ChannelSetup | { off: string } {
  const twilio = config.channels.twilio;
  const publicBaseUrl = config.publicBaseUrl;
  const missing = [
    ...(twilio.accountSid ? [] : ["TWILIO_ACCOUNT_SID"]),
    ...(twilio.authToken ? [] : ["TWILIO_AUTH_TOKEN"]),
    ...(twilio.from || twilio.messagingServiceSid
      ? []
      : ["TWILIO_FROM or TWILIO_MESSAGING_SERVICE_SID"]),
    ...(publicBaseUrl ? [] : ["PUBLIC_BASE_URL"]),
  ];
  const { accountSid, authToken } = twilio;
  if (missing.length > 0 || !accountSid || !authToken || !publicBaseUrl)
    return { off: `missing ${missing.join(", ")}` };

  const api = createTwilioApi({
    accountSid,
    authToken,
    timeoutMs: twilio.timeoutMs,
    ...(twilio.apiBase ? { apiBase: twilio.apiBase } : {}),
  });
  // One sender for SMS: our number when it is set, else the Messaging Service's pool (sending
  // both would make Twilio check the number against the service's pool).
  const smsSender = twilio.from
    ? { from: twilio.from }
    : { messagingServiceSid: twilio.messagingServiceSid ?? "" };
  const channels = new Map<ChannelName, Channel>([
    [
      "sms",
      createSmsChannel({
        api,
        sender: smsSender,
        publicBaseUrl,
        perSecond: twilio.smsSegmentsPerSecond,
      }),
    ],
  ]);
  if (twilio.whatsappFrom) {
    channels.set(
      "twilio-whatsapp",
      createTwilioWhatsAppChannel({
        api,
        sender: { from: withWhatsAppPrefix(twilio.whatsappFrom) },
        publicBaseUrl,
        perSecond: twilio.whatsappPerSecond,
      }),
    );
  }
  const state = twilio.whatsappFrom
    ? "on (sms, twilio-whatsapp)"
    : "on (sms; twilio-whatsapp off: missing TWILIO_WHATSAPP_FROM)";
  return {
    channels: [...channels.values()],
    state: () => state,
    routes: (road) => ({
      path: "/webhooks/twilio",
      app: twilioRoutes({
        road,
        channels,
        authToken,
        publicBaseUrl,
        defaultCountry: config.defaultCountry,
        log,
        now,
        ...options,
      }),
    }),
  };
}
