// One-time codes on a tenant's simulated phones, through the local Worker. A phone keeps every
// code it got, so a code is read as the one that arrived after asking for it: the last code seen
// right after asking may still be an earlier sign-in's while the new one is on its way.
import { expect } from "vitest";
import { eventually } from "../support/eventually";
import { codeIn } from "../support/parentline";
import type { LocalWorker } from "../support/workerd";

/** workerd shares the machine's cores with the rest of the suite: waits allow for that. */
export const SLOW_RUNTIME_MS = 60_000;

/** The code texts the tenant's simulated phone has got, oldest first. */
async function codeTexts(worker: LocalWorker, tenant: string, phone: string): Promise<string[]> {
  const response = await worker.fetch(
    `/t/${tenant}/dev/chat/history?address=${encodeURIComponent(phone)}`,
  );
  const { messages } = (await response.json()) as { messages: { text: string }[] };
  return messages.map((message) => message.text).filter((text) => /code is/.test(text));
}

/** The code `ask` makes the phone get: one newer than any it had before asking. */
export async function codeAfter(
  worker: LocalWorker,
  tenant: string,
  phone: string,
  ask: () => Promise<unknown>,
): Promise<string> {
  const before = (await codeTexts(worker, tenant, phone)).length;
  await ask();
  return eventually(
    `a new code for ${phone} in tenant ${tenant}`,
    async () => {
      const texts = await codeTexts(worker, tenant, phone);
      return texts.length > before ? codeIn(texts.slice(-1)) : undefined;
    },
    SLOW_RUNTIME_MS,
  );
}

/** Signs a staff member in through the tenant's /v1 API; returns the access token. */
export async function signInOverApi(
  worker: LocalWorker,
  tenant: string,
  phone: string,
): Promise<string> {
  const json = { "content-type": "application/json" };
  const code = await codeAfter(worker, tenant, phone, async () => {
    const requested = await worker.fetch(`/t/${tenant}/v1/auth/otp/request`, {
      method: "POST",
      headers: json,
      body: JSON.stringify({ phone }),
    });
    expect(requested.status).toBeLessThan(300);
  });
  const verified = await worker.fetch(`/t/${tenant}/v1/auth/otp/verify`, {
    method: "POST",
    headers: json,
    body: JSON.stringify({ phone, code }),
  });
  expect(verified.status).toBe(200);
  return ((await verified.json()) as { accessToken: string }).accessToken;
}
