// Reading a signed request on either side of the gateway (the runtime's webhook, the gateway's
// /send): headers first, then the raw bytes against the signature, and only then the JSON.
import type { Context } from "hono";
import {
  checkSignatureHeaders,
  isSignedWith,
  SIGNATURE_HEADER,
  signatureHeaders,
  TIMESTAMP_HEADER,
} from "./signature";

export type SignedBody = { ok: true; body: unknown } | { ok: false; reason: string };

/** The request's JSON once its signature holds; `reason` says why it was refused otherwise. */
export async function readSignedBody(c: Context, secret: string, now: number): Promise<SignedBody> {
  const timestamp = c.req.header(TIMESTAMP_HEADER);
  const signature = c.req.header(SIGNATURE_HEADER);
  const fresh = checkSignatureHeaders({ timestamp, signature }, now);
  if (!fresh.ok) return fresh;
  // The signature covers the bytes sent, so those are read (not a re-encoding) before it is checked.
  const rawBody = new Uint8Array(await c.req.arrayBuffer());
  if (!isSignedWith(secret, { timestamp: timestamp ?? "", signature: signature ?? "" }, rawBody))
    return { ok: false, reason: "signature mismatch" };
  try {
    return { ok: true, body: JSON.parse(new TextDecoder().decode(rawBody)) };
  } catch {
    return { ok: true, body: undefined };
  }
}

export interface SignedPostOptions {
  url: string;
  secret: string;
  body: unknown;
  now: number;
  timeoutMs: number;
  /** Aborts the call early too (the sender stopping). */
  signal?: AbortSignal;
  fetch?: typeof fetch;
}

/** POSTs `body` as signed JSON; a call that outlasts `timeoutMs` is aborted (it throws). */
export function postSigned({
  url,
  secret,
  body,
  now,
  timeoutMs,
  signal,
  fetch: doFetch = fetch,
}: SignedPostOptions): Promise<Response> {
  const text = JSON.stringify(body);
  return doFetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...signatureHeaders(secret, text, now) },
    body: text,
    signal: signal
      ? AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)])
      : AbortSignal.timeout(timeoutMs),
  });
}
