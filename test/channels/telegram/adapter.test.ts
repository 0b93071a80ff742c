// The Telegram channel's send through the real grammY client: what it sends, the receipt, and how
// each Bot API refusal becomes a ChannelSendError the outbox acts on.
import { HttpResponse, http } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createTelegramChannel } from "../../../bots/telegram/adapter";
import { createTelegramBot } from "../../../bots/telegram/client";
import { ChannelSendError, type OutboundMessage } from "../../../src/contracts";
import { FakeBotApi, TOKEN } from "./bot-api";

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const message: OutboundMessage = {
  outboxId: 7,
  channel: "telegram",
  address: "5123456789",
  kind: "reply",
  text: "Hello",
};

function channelWith(api: FakeBotApi) {
  server.use(api.handler());
  return createTelegramChannel({
    api: createTelegramBot({ token: TOKEN, timeoutMs: 10_000 }).api,
    limits: { perSecond: 30, perAddressPerSecond: 1 },
  });
}

async function failureOf(send: Promise<unknown>): Promise<ChannelSendError> {
  const error = await send.then(
    () => null,
    (thrown: unknown) => thrown,
  );
  if (!(error instanceof ChannelSendError))
    throw new Error(`expected a ChannelSendError: ${error}`);
  return error;
}

describe("the Telegram channel", () => {
  it("declares buttons, Telegram's text limit, and the configured pace", () => {
    const channel = channelWith(new FakeBotApi());
    expect(channel.capabilities).toEqual({
      buttons: true,
      readReceipts: false,
      inlineReply: false,
      phoneAddressed: false,
      maxTextLength: 4096,
      carrierKeywords: false,
    });
    expect(channel.limits).toEqual({ perSecond: 30, perAddressPerSecond: 1 });
  });

  it("sends each part of a long text and returns the last message's chat:message_id", async () => {
    const api = new FakeBotApi();
    const channel = channelWith(api);
    const text = "A sentence that goes on. ".repeat(300).trim();

    const receipt = await channel.send({ ...message, text });

    const sent = api.callsOf("sendMessage");
    expect(sent.length).toBe(2);
    expect(sent.map((body) => body.text).join(" ")).toBe(text);
    expect(receipt).toEqual({ providerMessageId: "5123456789:2001" });
  });

  it("counts a long text's parts as its cost, and resumes after those that went when a later one hit a 429", async () => {
    const api = new FakeBotApi();
    const channel = channelWith(api);
    const text = "A sentence that goes on. ".repeat(300).trim();
    expect(channel.sendCost?.({ ...message, text })).toBe(2);

    api.failNext("sendMessage", "error-429.json", 1);
    expect((await failureOf(channel.send({ ...message, text }))).failure).toBe("rate_limited");
    // The outbox's retry of the same row sends the second part only, and costs one message.
    expect(channel.sendCost?.({ ...message, text })).toBe(1);
    const receipt = await channel.send({ ...message, text });
    const texts = api.callsOf("sendMessage").map((body) => body.text);
    expect(texts).toHaveLength(3); // the first part, the second refused, the second again
    expect(texts[2]).toBe(texts[1]);
    expect([texts[0], texts[2]].join(" ")).toBe(text);
    expect(receipt).toEqual({ providerMessageId: "5123456789:2001" });

    // Another row with the same text starts from its first part.
    await channel.send({ ...message, outboxId: 8, text });
    expect(api.callsOf("sendMessage")).toHaveLength(5);
  });

  it.each([
    {
      fixture: "error-429.json",
      failure: "rate_limited",
      details: { providerCode: "429", retryAfterMs: 23_000 },
    },
    { fixture: "error-403-blocked.json", failure: "blocked", details: { providerCode: "403" } },
    {
      fixture: "error-403-deactivated.json",
      failure: "blocked",
      details: { providerCode: "403" },
    },
    {
      fixture: "error-400-chat-not-found.json",
      failure: "rejected",
      details: { providerCode: "400" },
    },
  ])("maps $fixture to $failure", async ({ fixture, failure, details }) => {
    const api = new FakeBotApi();
    api.failNext("sendMessage", fixture);
    const error = await failureOf(channelWith(api).send(message));
    expect(error.failure).toBe(failure);
    expect(error.details).toEqual(details);
  });

  it("treats a network failure and a Bot API 5xx as transient", async () => {
    const channel = channelWith(new FakeBotApi());
    server.use(http.post(/\/sendMessage$/, () => HttpResponse.error(), { once: true }));
    expect((await failureOf(channel.send(message))).failure).toBe("transient");

    server.use(
      http.post(
        /\/sendMessage$/,
        () =>
          HttpResponse.json(
            { ok: false, error_code: 502, description: "Bad Gateway" },
            { status: 502 },
          ),
        { once: true },
      ),
    );
    const error = await failureOf(channel.send(message));
    expect(error.failure).toBe("transient");
    expect(error.message).not.toContain(TOKEN);
  });
});
