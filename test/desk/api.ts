// The staff API and the simulator as the desk's browser tests use them to set the scene: a staff
// token by one-time code, JSON calls, and a parent raising a ticket in the chat.
import { codeIn, type SendBody } from "../support/parentline";
import { codesSeen, nextCode } from "./support";

export async function staffToken(baseUrl: string, phone: string): Promise<string> {
  const seen = await codesSeen(baseUrl, phone);
  const requested = await fetch(`${baseUrl}/v1/auth/otp/request`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ phone }),
  });
  if (requested.status !== 202) throw new Error(`otp request: ${requested.status}`);
  const code = await nextCode(baseUrl, phone, seen);
  const verified = await fetch(`${baseUrl}/v1/auth/otp/verify`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ phone, code }),
  });
  if (verified.status !== 200) throw new Error(`otp verify: ${verified.status}`);
  return ((await verified.json()) as { accessToken: string }).accessToken;
}

export async function api(
  baseUrl: string,
  method: string,
  path: string,
  token: string,
  body?: unknown,
): Promise<Response> {
  return fetch(`${baseUrl}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

export async function say(baseUrl: string, address: string, text: string): Promise<string[]> {
  const response = await fetch(`${baseUrl}/dev/chat/send`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ address, text }),
  });
  if (response.status !== 200) throw new Error(`send: ${response.status} ${await response.text()}`);
  return ((await response.json()) as SendBody).replies.map((reply) => reply.text);
}

/** A demo parent verifies in the simulator (their chat address is then on record). */
export async function verifyParent(baseUrl: string, parent: string) {
  const hi = await say(baseUrl, parent, "hi");
  await say(baseUrl, parent, codeIn(hi));
}

/** A demo parent with one child verifies and raises an Academics request; returns its reference. */
export async function raiseTicket(baseUrl: string, parent: string, message: string) {
  await verifyParent(baseUrl, parent);
  await say(baseUrl, parent, "1");
  await say(baseUrl, parent, "Academics");
  await say(baseUrl, parent, message);
  const sent = (await say(baseUrl, parent, "Send")).join("\n");
  const reference = sent.match(/T-\d+/)?.[0];
  if (!reference) throw new Error(`no reference in: ${sent}`);
  return reference;
}
