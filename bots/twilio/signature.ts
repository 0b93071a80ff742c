// Twilio's webhook signature (X-Twilio-Signature), computed and checked with the twilio library's
// own functions: an HMAC-SHA1 of the URL Twilio called followed by the sorted form parameters.
// https://www.twilio.com/docs/usage/webhooks/webhooks-security
import twilio from "twilio";

/** A webhook's decoded form parameters (a repeated key keeps every value). */
export type TwilioParams = Record<string, string | string[]>;

/**
 * The signature Twilio sends for a request to `url` with `params`: what a test or a benchmark puts
 * in X-Twilio-Signature to pass for Twilio. Pure.
 */
export function signTwilioWebhook(authToken: string, url: string, params: TwilioParams): string {
  return twilio.getExpectedTwilioSignature(authToken, url, params);
}

/** True when `signature` is Twilio's for this URL and these parameters (constant-time compare). */
export function isSignedByTwilio(
  authToken: string,
  signature: string | undefined,
  url: string,
  params: TwilioParams,
): boolean {
  if (!signature) return false;
  return twilio.validateRequest(authToken, signature, url, params);
}
