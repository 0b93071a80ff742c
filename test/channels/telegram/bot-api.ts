// A Bot API stand-in for msw: answers https://api.telegram.org/bot<token>/<method> with the
// recorded responses in test/fixtures/telegram, records every call, and lets a test queue other
// answers (a 429, a 403) per method. Methods it was not told about stay unhandled, so msw's
// onUnhandledRequest: "error" fails the test on any call nobody expected.
import type { Update } from "grammy/types";
import { HttpResponse, http } from "msw";
import { fixtureText } from "../../support/fixtures";

/** A fixture file, parsed afresh each time so a test may change its copy. */
export function fixture<T = Record<string, unknown>>(name: string): T {
  return JSON.parse(fixtureText(`telegram/${name}`)) as T;
}

export const TOKEN = "7012345678:AAH-test_Token-For-Parentline";
export const SECRET = "telegram-webhook-Secret_123";
export const PUBLIC_BASE_URL = "https://parentline.school.example";
/** The private chat (and user) id of the recorded updates. */
export const CHAT_ID = 5123456789;

export interface ApiCall {
  method: string;
  body: Record<string, unknown>;
}

type Answer = { status: number; json: unknown };

const ok = (result: unknown): Answer => ({ status: 200, json: { ok: true, result } });
const fromFixture = (name: string): Answer => {
  const json = fixture<{ ok: boolean; error_code?: number }>(name);
  return { status: json.ok ? 200 : (json.error_code ?? 400), json };
};

export class FakeBotApi {
  readonly calls: ApiCall[] = [];
  /** Answers queued per method; null answers as usual. */
  private readonly queued = new Map<string, (Answer | null)[]>();
  private nextMessageId = 2000;
  private readonly heldPolls = new Set<() => void>();
  private readonly updatesToPoll: Update[][] = [];

  constructor(
    readonly token = TOKEN,
    readonly apiRoot = "https://api.telegram.org",
  ) {}

  /** The msw handler: one route for every method of this bot. */
  handler() {
    const prefix = `${this.apiRoot}/bot${this.token}/`;
    const escaped = prefix.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
    return http.post(new RegExp(`^${escaped}(\\w+)$`), async ({ request }) => {
      const method = new URL(request.url).pathname.split("/").pop() ?? "";
      const body = (await request.json().catch(() => ({}))) as Record<string, unknown>;
      const answer = await this.answer(method, body, request.signal);
      if (!answer) return undefined; // unexpected method: let msw report it
      this.calls.push({ method, body });
      return HttpResponse.json(answer.json as Record<string, unknown>, { status: answer.status });
    });
  }

  /**
   * The next call of `method` gets this fixture (an error response, usually) instead; with
   * `succeeding`, the call after that many answered as usual.
   */
  failNext(method: string, fixtureName: string, succeeding = 0): void {
    const asUsual = Array.from({ length: succeeding }, () => null);
    const queued = [...(this.queued.get(method) ?? []), ...asUsual, fromFixture(fixtureName)];
    this.queued.set(method, queued);
  }

  /** Updates the next long-poll getUpdates returns. */
  deliverByPolling(...updates: Update[]): void {
    this.updatesToPoll.push(updates);
    for (const release of this.heldPolls) release();
  }

  /** Ends every getUpdates still held open (a test ending while the bot polls). */
  releasePolls(): void {
    for (const release of this.heldPolls) release();
  }

  callsOf(method: string): Record<string, unknown>[] {
    return this.calls.filter((call) => call.method === method).map((call) => call.body);
  }

  private async answer(
    method: string,
    body: Record<string, unknown>,
    signal: AbortSignal,
  ): Promise<Answer | undefined> {
    const queued = this.queued.get(method)?.shift();
    if (queued) return queued;
    switch (method) {
      case "getMe":
        return fromFixture("getMe-response.json");
      case "setWebhook":
        return fromFixture("setWebhook-response.json");
      case "deleteWebhook":
        return ok(true);
      case "answerCallbackQuery":
        return fromFixture("answerCallbackQuery-response.json");
      case "sendMessage":
        return ok(this.sentMessage(body));
      case "sendDocument":
      case "sendPhoto":
        return ok(this.sentFile(body));
      case "getUpdates":
        return ok(await this.poll(body, signal));
      default:
        return undefined;
    }
  }

  /** sendMessage's recorded response, for this chat and text. */
  private sentMessage(body: Record<string, unknown>) {
    const recorded = fixture<{ result: Record<string, unknown> }>("sendMessage-response.json");
    const chat = recorded.result.chat as Record<string, unknown>;
    return {
      ...recorded.result,
      message_id: this.nextMessageId++,
      chat: { ...chat, id: Number(body.chat_id) },
      text: body.text,
    };
  }

  /** sendDocument's recorded response (for sendPhoto too: we read only message_id). */
  private sentFile(body: Record<string, unknown>) {
    const recorded = fixture<{ result: Record<string, unknown> }>("sendDocument-response.json");
    const { caption: _recordedCaption, ...result } = recorded.result;
    const chat = result.chat as Record<string, unknown>;
    return {
      ...result,
      message_id: this.nextMessageId++,
      chat: { ...chat, id: Number(body.chat_id) },
      ...(typeof body.caption === "string" ? { caption: body.caption } : {}),
    };
  }

  /**
   * getUpdates as Telegram long-polls it: queued updates at once, otherwise held until updates
   * arrive or the client gives up. The call bot.stop() makes to confirm the offset (no timeout)
   * is answered at once.
   */
  private async poll(body: Record<string, unknown>, signal: AbortSignal): Promise<Update[]> {
    const ready = this.updatesToPoll.shift();
    if (ready) return ready;
    if (body.timeout === undefined) return [];
    await new Promise<void>((resolve) => {
      const release = () => {
        this.heldPolls.delete(release);
        resolve();
      };
      this.heldPolls.add(release);
      signal.addEventListener("abort", release, { once: true });
    });
    return this.updatesToPoll.shift() ?? [];
  }
}

/** A copy of a recorded update with a new update_id (and, optionally, other changes). */
export function updateFrom(name: string, updateId: number, change?: (update: Update) => void) {
  const update = fixture<Update>(name);
  update.update_id = updateId;
  change?.(update);
  return update;
}

export const textUpdate = (updateId: number, text: string, chatId = CHAT_ID) =>
  updateFrom("update-text.json", updateId, (update) => {
    if (!update.message) throw new Error("fixture has no message");
    update.message.text = text;
    update.message.chat.id = chatId;
    if (update.message.from) update.message.from.id = chatId;
  });
