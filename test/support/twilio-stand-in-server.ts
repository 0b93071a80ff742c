// Twilio's Messages API as its own process, for tests and benchmarks that need a provider outside
// the server under test (a crash test kills the server, not the provider). Run it through
// startServer({ entry: "test/support/twilio-stand-in-server.ts" }); it listens on PORT and answers
// POST /2010-04-01/Accounts/{AccountSid}/Messages.json like Twilio (201 and the message resource,
// from the recorded fixture), counting what each recipient got:
// With LIMIT_PER_SECOND set it also enforces a send limit as Twilio does: a message beyond that many
// in any one-second window gets 429 and error 20429 (counted as `refused`, not delivered).
// With ANSWER_AFTER_MS set it answers each accepted message that much later, as a provider far away
// does, so that how many sends a client has in flight at once shows in `maxInFlight`.
//   GET /health  → 200
//   GET /stats   → { total, refused, recipients, perRecipient: { "+1…": n }, firstAt, lastAt,
//                  maxInFlight } (firstAt/lastAt: when the first and last accepted message came,
//                  in ms)
//   GET /messages?to=+1…  → { bodies: [...] } what that recipient got, oldest first
//   POST /reset  → forgets the counts
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import { fileURLToPath } from "node:url";

const resource = JSON.parse(
  readFileSync(
    fileURLToPath(new URL("../fixtures/twilio/message-create-response.json", import.meta.url)),
    "utf8",
  ),
) as Record<string, unknown>;

const tooManyRequests = readFileSync(
  fileURLToPath(new URL("../fixtures/twilio/error-20429.json", import.meta.url)),
  "utf8",
);
const limitPerSecond = Number(process.env.LIMIT_PER_SECOND ?? 0);
const answerAfterMs = Number(process.env.ANSWER_AFTER_MS ?? 0);
/** When the messages of the last second were accepted (only kept with a limit set). */
const acceptedAt: number[] = [];

/** True when one more message now would exceed the limit within the last second. */
function overLimit(now: number): boolean {
  if (limitPerSecond <= 0) return false;
  while (acceptedAt.length > 0 && (acceptedAt[0] ?? 0) <= now - 1000) acceptedAt.shift();
  if (acceptedAt.length >= limitPerSecond) return true;
  acceptedAt.push(now);
  return false;
}

const MESSAGES_PATH = /^\/2010-04-01\/Accounts\/(AC[0-9a-f]{32})\/Messages\.json$/;

let total = 0;
let refused = 0;
let firstAt: number | null = null;
let lastAt: number | null = null;
let perRecipient = new Map<string, number>();
let bodies = new Map<string, string[]>();
let inFlight = 0;
let maxInFlight = 0;

const server = createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on("data", (chunk: Buffer) => chunks.push(chunk));
  request.on("end", () => {
    const url = request.url ?? "";
    if (request.method === "GET" && url === "/health") {
      response.writeHead(200, { "content-type": "application/json" }).end('{"status":"ok"}');
      return;
    }
    if (request.method === "GET" && url === "/stats") {
      response.writeHead(200, { "content-type": "application/json" }).end(
        JSON.stringify({
          total,
          refused,
          recipients: perRecipient.size,
          perRecipient: Object.fromEntries(perRecipient),
          firstAt,
          lastAt,
          maxInFlight,
        }),
      );
      return;
    }
    if (request.method === "GET" && url.startsWith("/messages?")) {
      const to = new URLSearchParams(url.slice(url.indexOf("?") + 1)).get("to") ?? "";
      response
        .writeHead(200, { "content-type": "application/json" })
        .end(JSON.stringify({ bodies: bodies.get(to) ?? [] }));
      return;
    }
    if (request.method === "POST" && url === "/reset") {
      total = 0;
      refused = 0;
      firstAt = null;
      lastAt = null;
      perRecipient = new Map();
      bodies = new Map();
      maxInFlight = 0;
      response.writeHead(204).end();
      return;
    }
    const account = MESSAGES_PATH.exec(url)?.[1];
    if (request.method !== "POST" || !account || !request.headers.authorization) {
      response.writeHead(404, { "content-type": "application/json" }).end("{}");
      return;
    }
    const now = performance.now();
    if (overLimit(now)) {
      refused += 1;
      response.writeHead(429, { "content-type": "application/json" }).end(tooManyRequests);
      return;
    }
    const form = new URLSearchParams(Buffer.concat(chunks).toString("utf8"));
    const to = form.get("To") ?? "";
    total += 1;
    firstAt ??= now;
    lastAt = now;
    perRecipient.set(to, (perRecipient.get(to) ?? 0) + 1);
    bodies.set(to, [...(bodies.get(to) ?? []), form.get("Body") ?? ""]);
    const sid = `SM${total.toString(16).padStart(32, "0")}`;
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    setTimeout(() => {
      inFlight -= 1;
      response.writeHead(201, { "content-type": "application/json" }).end(
        JSON.stringify({
          ...resource,
          account_sid: account,
          sid,
          to,
          from: form.get("From"),
          body: form.get("Body"),
        }),
      );
    }, answerAfterMs);
  });
});

server.keepAliveTimeout = 60_000;
server.listen(Number(process.env.PORT), "127.0.0.1");
