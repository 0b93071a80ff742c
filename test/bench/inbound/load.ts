// A small HTTP load generator for the inbound benchmark: a closed loop (N requests in flight, as
// fast as the server answers: the maximum rate) and an open loop (requests started on a fixed
// schedule whatever the server does, latency counted from the scheduled start so a stalled server
// cannot hide its queue).

import { percentile } from "../stats";

export interface LoadResult {
  requests: number;
  failures: number;
  seconds: number;
  perSecond: number;
  p50: number;
  p99: number;
}

/** Builds the n-th request: a URL and its fetch options. */
export type RequestFactory = (n: number) => { url: string; init: RequestInit };

function summarize(latencies: number[], failures: number, seconds: number): LoadResult {
  const sorted = [...latencies].sort((a, b) => a - b);
  return {
    requests: latencies.length,
    failures,
    seconds,
    perSecond: latencies.length / seconds,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
  };
}

/** Sends one request and reads the whole answer; true when the status was 2xx. */
async function exchange(request: { url: string; init: RequestInit }): Promise<boolean> {
  const response = await fetch(request.url, request.init);
  await response.arrayBuffer();
  return response.ok;
}

let sequence = 0;
const nextN = () => sequence++;

export async function closedLoop(
  makeRequest: RequestFactory,
  options: { concurrency: number; durationMs: number },
): Promise<LoadResult> {
  const latencies: number[] = [];
  let failures = 0;
  const started = performance.now();
  const deadline = started + options.durationMs;
  const worker = async () => {
    while (performance.now() < deadline) {
      const request = makeRequest(nextN());
      const t0 = performance.now();
      const ok = await exchange(request).catch(() => false);
      if (ok) latencies.push(performance.now() - t0);
      else failures += 1;
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  return summarize(latencies, failures, (performance.now() - started) / 1000);
}

export async function openLoop(
  makeRequest: RequestFactory,
  options: { perSecond: number; durationMs: number },
): Promise<LoadResult> {
  const latencies: number[] = [];
  let failures = 0;
  const interval = 1000 / options.perSecond;
  const total = Math.floor((options.durationMs / 1000) * options.perSecond);
  // Built (signed, encoded) before the clock starts: the generator's own work on the schedule
  // would make it late, and its lateness would count as the server's latency.
  const requests = Array.from({ length: total }, () => makeRequest(nextN()));
  const started = performance.now();
  const inFlight: Promise<void>[] = [];
  for (const [i, request] of requests.entries()) {
    const scheduled = started + i * interval;
    const wait = scheduled - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    inFlight.push(
      exchange(request)
        .catch(() => false)
        .then((ok) => {
          if (ok) latencies.push(performance.now() - scheduled);
          else failures += 1;
        }),
    );
  }
  await Promise.all(inFlight);
  return summarize(latencies, failures, (performance.now() - started) / 1000);
}
