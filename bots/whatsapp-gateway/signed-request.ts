// Signed requests on either side of the gateway (the runtime's webhook, the gateway's /send and
// /link): read with headers first, then the raw bytes against the signature, and only then the
// JSON; a GET is signed over its empty body.
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

export interface SignedGetOptions {
  url: string;
  secret: string;
  now: number;
  timeoutMs: number;
  /** Aborts the call early too (the sender stopping). */
  signal?: AbortSignal;
  fetch?: typeof fetch;
}

export interface SignedPostOptions extends SignedGetOptions {
  body: unknown;
}

/** The request signed over `text` (empty for a GET); aborted once it outlasts `timeoutMs`. */
function fetchSigned(
  method: "GET" | "POST",
  text: string,
  { url, secret, now, timeoutMs, signal, fetch: doFetch = fetch }: SignedGetOptions,
): Promise<Response> {
  return doFetch(url, {
    method,
    headers: {
      ...(method === "POST" ? { "content-type": "application/json" } : {}),
      ...signatureHeaders(secret, text, now),
    },
    ...(method === "POST" ? { body: text } : {}),
    signal: signal
      ? AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)])
      : AbortSignal.timeout(timeoutMs),
  });
}

/** POSTs `body` as signed JSON; a call that outlasts `timeoutMs` is aborted (it throws). */
export function postSigned({ body, ...options }: SignedPostOptions): Promise<Response> {
  return fetchSigned("POST", JSON.stringify(body), options);
}

/** GETs `url` signed over an empty body; a call that outlasts `timeoutMs` is aborted (it throws). */
export function getSigned(options: SignedGetOptions): Promise<Response> {
  return fetchSigned("GET", "", options);
}
