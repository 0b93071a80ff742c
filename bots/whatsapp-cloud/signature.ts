// Meta's webhook authenticity checks, both constant-time: X-Hub-Signature-256 is "sha256=" and the
// hex HMAC-SHA256 of the raw body keyed with the app secret; the verification handshake echoes
// hub.challenge only for our verify token.
// https://developers.facebook.com/docs/graph-api/webhooks/getting-started#validate-payloads
import { createHmac, timingSafeEqual } from "node:crypto";

export { secretsMatch } from "../../src/contracts";

/** True when `header` is the app secret's signature of exactly these bytes. */
export function isSignedByMeta(
  rawBody: Uint8Array,
  header: string | undefined,
  appSecret: string,
): boolean {
  const hex = header?.trim().match(/^sha256=([0-9a-fA-F]{64})$/)?.[1];
  if (!hex) return false;
  const expected = createHmac("sha256", appSecret).update(rawBody).digest();
  return timingSafeEqual(Buffer.from(hex, "hex"), expected);
}
