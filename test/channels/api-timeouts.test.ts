// Every provider client gives up on its API within its timeout, over real sockets (no msw in this
// file: msw's passthrough buffers an answer, which would hide one that trickles in), and says so as
// a transient failure, which the outbox retries.
import { afterEach, describe, expect, it } from "vitest";
import { createTelegramBot, createTelegramChannel } from "../../bots/telegram";
import { createTwilioApi } from "../../bots/twilio";
import { createGraphClient } from "../../bots/whatsapp-cloud";
import { ChannelSendError } from "../../src/contracts";
import { type ApiOutage, silentSocket, timed, tricklingSocket } from "../support/unreachable-api";

const TIMEOUT_MS = 300;
const outages: ApiOutage[] = [];
afterEach(async () => {
  for (const outage of outages.splice(0)) await outage.close();
});

const PROVIDERS = {
  twilio: (base: string) =>
    createTwilioApi({
      accountSid: "ACd4b1244da430a7f5918701ba871ecafc",
      authToken: "f0e1d2c3b4a5968778695a4b3c2d1e0f",
      apiBase: base,
      timeoutMs: TIMEOUT_MS,
    }).createMessage({
      to: "+14155550102",
      from: "+15555550100",
      body: "Hello",
      statusCallback: "https://parentline.example.org/webhooks/twilio/status",
    }),
  telegram: (base: string) =>
    createTelegramChannel({
      api: createTelegramBot({
        token: "7012345678:AAH-test_Token-For-Parentline",
        apiRoot: base,
        timeoutMs: TIMEOUT_MS,
      }).api,
      limits: { perSecond: 30 },
    }).send({
      outboxId: 1,
      channel: "telegram",
      address: "5123456789",
      kind: "reply",
      text: "Hello",
    }),
  "whatsapp-cloud": (base: string) =>
    createGraphClient({
      apiBase: base,
      phoneNumberId: "110123456789012",
      token: "EAAtest-access-token",
      timeoutMs: TIMEOUT_MS,
    }).sendMessage({
      messaging_product: "whatsapp",
      recipient_type: "individual",
      to: "14155550102",
      type: "text",
      text: { body: "Hello" },
    }),
} as const;

describe.each([
  { api: "never answers", open: silentSocket },
  { api: "answers a byte at a time", open: tricklingSocket },
])("when the API $api", ({ open }) => {
  it.each(Object.keys(PROVIDERS) as (keyof typeof PROVIDERS)[])(
    "%s gives up within its timeout, as a transient failure",
    async (provider) => {
      const outage = await open();
      outages.push(outage);

      const { ms, result } = await timed(
        () =>
          PROVIDERS[provider](outage.base).then(
            () => "sent",
            (error: unknown) => error,
          ),
        TIMEOUT_MS * 10,
      );

      expect(result).toBeInstanceOf(ChannelSendError);
      expect((result as ChannelSendError).failure).toBe("transient");
      expect(ms).toBeLessThan(TIMEOUT_MS * 5);
    },
  );
});
