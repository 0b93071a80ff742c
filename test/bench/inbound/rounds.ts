// Rounds of closed-loop load shared by the benches that compare two servers: warm-up until the
// rate stops rising, the median of interleaved rounds, and how a round is printed.
import { closedLoop, type LoadResult, type RequestFactory } from "./load";

/** Warm-up rounds, at least and at most, until the rate stops rising. */
const WARMUP_MIN_ROUNDS = 5;
const WARMUP_MAX_ROUNDS = 15;

export const fixed = (value: number, digits = 1) => value.toFixed(digits);
export const describeLoad = (r: LoadResult) =>
  `${r.requests} requests in ${fixed(r.seconds, 2)} s = ${fixed(r.perSecond, 0)}/s, p50 ${fixed(r.p50, 2)} ms, p99 ${fixed(r.p99, 2)} ms${r.failures ? `, ${r.failures} FAILED` : ""}`;

/** The round whose rate is the median of the rounds (an odd number of them). */
export const medianRound = (rounds: LoadResult[]) =>
  [...rounds].sort((a, b) => a.perSecond - b.perSecond)[
    Math.floor(rounds.length / 2)
  ] as LoadResult;

/**
 * Load until the rate stops rising: two rounds in a row no more than 5 % above the best before
 * each, after at least five. V8 optimizes a code path as large as a conversation step over
 * thousands of requests: the server's CPU per request fell from 4.6 to 1.1 ms over ten 2-second
 * rounds, and a rule that stopped at the first flat round stopped once at ~280/s, before a jump.
 * Returns the rounds' rates.
 */
export async function warmUp(
  requests: RequestFactory,
  { concurrency, roundMs }: { concurrency: number; roundMs: number },
): Promise<number[]> {
  const rates: number[] = [];
  let flatRounds = 0;
  for (let round = 0; round < WARMUP_MAX_ROUNDS; round++) {
    const { perSecond } = await closedLoop(requests, { concurrency, durationMs: roundMs });
    const best = Math.max(0, ...rates);
    rates.push(perSecond);
    flatRounds = perSecond <= best * 1.05 ? flatRounds + 1 : 0;
    if (rates.length >= WARMUP_MIN_ROUNDS && flatRounds >= 2) break;
  }
  return rates;
}
