// A small HTTP load generator for the inbound benchmark: a closed loop (N requests in flight, as
// fast as the server answers: the maximum rate) and an open loop (requests started on a fixed
// schedule whatever the server does, latency counted from the scheduled start so a stalled server
// cannot hide its queue).
//
// Requests go through node:http with keep-alive connections, not fetch: the latency clock runs in
// this process, so its own pauses count as the server's latency. With fetch, this process paused for
// a young-generation GC 33-36 times in a 5-second open loop at ~870/s, most of them 5-8 ms and the
// longest 19.7 ms; with node:http 6-7 times, 2.4-10.7 ms (a GC observer in this process).
import { Agent, request } from "node:http";
import { percentile } from "../stats";

export interface LoadResult {
  requests: number;
  failures: number;
  seconds: number;
  perSecond: number;
  p50: number;
  p99: number;
}

/** A POST to send: where, its headers and its body. */
export interface LoadRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
}

/** Builds the n-th request. */
export type RequestFactory = (n: number) => LoadRequest;

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

const agent = new Agent({ keepAlive: true });

/** Sends one request and reads the whole answer; true when the status was 2xx. */
function exchange({ url, headers, body }: LoadRequest): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const outgoing = request(
      url,
      { agent, method: "POST", headers: { ...headers, "content-length": Buffer.byteLength(body) } },
      (response) => {
        response.on("error", reject);
        response.on("end", () => {
          const status = response.statusCode ?? 0;
          resolve(status >= 200 && status < 300);
        });
        response.resume();
      },
    );
    outgoing.on("error", reject);
    outgoing.end(body);
  });
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
