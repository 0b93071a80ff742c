// Requests between a runtime and its WhatsApp Web gateway are signed both ways with the shared
// WHATSAPP_GATEWAY_SECRET: X-Parentline-Signature is "sha256=" and the hex HMAC-SHA256 of
// "<timestamp>.<raw body>", X-Parentline-Timestamp the sender's Unix milliseconds. A request
// outside the replay window, or signed with another secret, is refused before its body is read.
// node:crypto runs on Workers under nodejs_compat, as WhatsApp Cloud's signature check does.
import { createHmac, timingSafeEqual } from "node:crypto";

export const SIGNATURE_HEADER = "x-parentline-signature";
export const TIMESTAMP_HEADER = "x-parentline-timestamp";

/** How far a request's timestamp may be from the receiver's clock, either way. */
export const REPLAY_WINDOW_MS = 5 * 60 * 1000;

const hmacOf = (secret: string, timestamp: string, body: Uint8Array | string) =>
  createHmac("sha256", secret).update(`${timestamp}.`).update(body).digest();

/** The headers that sign `body` (the exact bytes sent) at `now`. */
export function signatureHeaders(
  secret: string,
  body: string,
  now: number,
): Record<string, string> {
  const timestamp = String(now);
  return {
    [TIMESTAMP_HEADER]: timestamp,
    [SIGNATURE_HEADER]: `sha256=${hmacOf(secret, timestamp, body).toString("hex")}`,
  };
}

export type SignatureCheck = { ok: true } | { ok: false; reason: string };

/** Whether the headers are fresh and present; checked before the body is read. */
export function checkSignatureHeaders(
  headers: { timestamp: string | undefined; signature: string | undefined },
  now: number,
): SignatureCheck {
  if (!headers.signature || !headers.timestamp) return { ok: false, reason: "not signed" };
  if (!/^\d{1,16}$/.test(headers.timestamp)) return { ok: false, reason: "bad timestamp" };
  if (Math.abs(now - Number(headers.timestamp)) > REPLAY_WINDOW_MS)
    return { ok: false, reason: "stale timestamp" };
  return { ok: true };
}

/** True when `signature` is the secret's signature of this timestamp and these bytes. */
export function isSignedWith(
  secret: string,
  headers: { timestamp: string; signature: string },
  rawBody: Uint8Array,
): boolean {
  const hex = headers.signature.trim().match(/^sha256=([0-9a-fA-F]{64})$/)?.[1];
  if (!hex) return false;
  return timingSafeEqual(Buffer.from(hex, "hex"), hmacOf(secret, headers.timestamp, rawBody));
}
