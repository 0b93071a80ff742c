// A parent on a tenant's Telegram bot, through the local Worker: webhooks to
// /t/{tenant}/webhooks/telegram, and the one-time codes the tenant's simulated phones got.
import type { Update } from "grammy/types";
import { expect } from "vitest";
import { CHAT_ID, fixture, SECRET } from "../channels/telegram/bot-api";
import { eventually } from "../support/eventually";
import { codeIn, DEMO } from "../support/parentline";
import type { LocalWorker } from "../support/workerd";

export { CHAT_ID };
/** workerd shares the machine's cores with the rest of the suite: waits allow for that. */
export const SLOW_RUNTIME_MS = 60_000;

export function telegramParents(worker: () => LocalWorker) {
  let updateId = 1000;

  function textUpdate(text: string): Update {
    const update = fixture<Update>("update-text.json");
    update.update_id = updateId++;
    if (!update.message) throw new Error("fixture has no message");
    update.message.text = text;
    update.message.message_id = updateId;
    return update;
  }

  function contactUpdate(phone: string): Update {
    const update = fixture<Update>("update-contact.json");
    update.update_id = updateId++;
    if (!update.message?.contact) throw new Error("fixture has no contact");
    update.message.contact.phone_number = phone.slice(1);
    update.message.contact.user_id = CHAT_ID;
    return update;
  }

  async function postUpdate(tenant: string, update: Update): Promise<void> {
    const response = await worker().fetch(`/t/${tenant}/webhooks/telegram`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-telegram-bot-api-secret-token": SECRET },
      body: JSON.stringify(update),
    });
    expect(response.status).toBe(200);
  }

  /** The one-time code the tenant's simulated phone got last. */
  async function codeSentTo(tenant: string, phone: string): Promise<string> {
    return eventually(
      `a code for ${phone} in tenant ${tenant}`,
      async () => {
        const response = await worker().fetch(
          `/t/${tenant}/dev/chat/history?address=${encodeURIComponent(phone)}`,
        );
        const { messages } = (await response.json()) as { messages: { text: string }[] };
        const texts = messages
          .map((message) => message.text)
          .filter((text) => /code is/.test(text));
        return texts.length > 0 ? codeIn(texts.slice(-1)) : undefined;
      },
      SLOW_RUNTIME_MS,
    );
  }

  /** A parent verifies over the tenant's Telegram bot and asks something; returns once sent. */
  async function parentAsks(tenant: string, text: string): Promise<void> {
    await postUpdate(tenant, textUpdate("/start"));
    await postUpdate(tenant, contactUpdate(DEMO.parentWithOneChild));
    await postUpdate(tenant, textUpdate(await codeSentTo(tenant, DEMO.parentWithOneChild)));
    for (const step of ["New request", "Academics", text, "Send"]) {
      await postUpdate(tenant, textUpdate(step));
    }
  }

  return { codeSentTo, parentAsks };
}
