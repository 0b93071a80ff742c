// The background retry of the calls Telegram's channel makes at start: backoff, a refusal no retry
// mends, and a stop while waiting.
import { describe, expect, it } from "vitest";
import { retryInBackground } from "../../../bots/telegram/retry";

const backoff = { firstMs: 5, maxMs: 20 };

describe("retryInBackground", () => {
  it("tries again after each failure, the wait doubling up to its cap, until the call works", async () => {
    let calls = 0;
    const waits: (number | undefined)[] = [];
    const result = await retryInBackground(
      async () => {
        calls += 1;
        if (calls < 5) throw new Error("unreachable");
        return "me";
      },
      {
        backoff,
        signal: new AbortController().signal,
        failed: (_error, retryInMs) => waits.push(retryInMs),
      },
    );
    expect(result).toBe("me");
    expect(waits).toEqual([5, 10, 20, 20]);
  });

  it("stops at a refusal no retry mends, saying there is no next try", async () => {
    let calls = 0;
    const waits: (number | undefined)[] = [];
    const result = await retryInBackground(
      async () => {
        calls += 1;
        throw new Error("bad webhook");
      },
      {
        backoff,
        signal: new AbortController().signal,
        isPermanent: () => true,
        failed: (_error, retryInMs) => waits.push(retryInMs),
      },
    );
    expect([result, calls, waits]).toEqual([undefined, 1, [undefined]]);
  });

  it("ends at once when stopped during a wait, trying nothing more", async () => {
    const stopping = new AbortController();
    let calls = 0;
    const running = retryInBackground(
      async () => {
        calls += 1;
        throw new Error("unreachable");
      },
      { backoff: { firstMs: 60_000, maxMs: 60_000 }, signal: stopping.signal, failed: () => {} },
    );
    await new Promise((resolve) => setTimeout(resolve, 10));
    stopping.abort();
    expect(await running).toBeUndefined();
    expect(calls).toBe(1);
  });
});
