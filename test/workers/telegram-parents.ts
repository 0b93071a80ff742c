// A parent on a tenant's Telegram bot, through the local Worker: webhooks to
// /t/{tenant}/webhooks/telegram, verified with the code the tenant's simulated phone got.
import type { Update } from "grammy/types";
import { expect } from "vitest";
import { CHAT_ID, fixture, SECRET } from "../channels/telegram/bot-api";
import { DEMO } from "../support/parentline";
import type { LocalWorker } from "../support/workerd";
import { codeAfter } from "./phone-codes";

export { SLOW_RUNTIME_MS } from "./phone-codes";
export { CHAT_ID };

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

  /** A parent verifies over the tenant's Telegram bot and asks something; returns once sent. */
  async function parentAsks(tenant: string, text: string): Promise<void> {
    await postUpdate(tenant, textUpdate("/start"));
    const code = await codeAfter(worker(), tenant, DEMO.parentWithOneChild, () =>
      postUpdate(tenant, contactUpdate(DEMO.parentWithOneChild)),
    );
    await postUpdate(tenant, textUpdate(code));
    for (const step of ["New request", "Academics", text, "Send"]) {
      await postUpdate(tenant, textUpdate(step));
    }
  }

  return { parentAsks };
}
