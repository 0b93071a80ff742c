// Twilio's Messages API as its own process, for tests and benchmarks that need a provider outside
// the server under test (a crash test kills the server, not the provider). Run it through
// startServer({ entry: "test/support/twilio-stand-in-server.ts" }); it listens on PORT and answers
// POST /2010-04-01/Accounts/{AccountSid}/Messages.json like Twilio (201 and the message resource,
// from the recorded fixture), counting what each recipient got:
//   GET /health  → 200
//   GET /stats   → { total, recipients, perRecipient: { "+1…": n } }
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

const MESSAGES_PATH = /^\/2010-04-01\/Accounts\/(AC[0-9a-f]{32})\/Messages\.json$/;

let total = 0;
let perRecipient = new Map<string, number>();

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
          recipients: perRecipient.size,
          perRecipient: Object.fromEntries(perRecipient),
        }),
      );
      return;
    }
    if (request.method === "POST" && url === "/reset") {
      total = 0;
      perRecipient = new Map();
      response.writeHead(204).end();
      return;
    }
    const account = MESSAGES_PATH.exec(url)?.[1];
    if (request.method !== "POST" || !account || !request.headers.authorization) {
      response.writeHead(404, { "content-type": "application/json" }).end("{}");
      return;
    }
    const form = new URLSearchParams(Buffer.concat(chunks).toString("utf8"));
    const to = form.get("To") ?? "";
    total += 1;
    perRecipient.set(to, (perRecipient.get(to) ?? 0) + 1);
    const sid = `SM${total.toString(16).padStart(32, "0")}`;
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
  });
});

server.keepAliveTimeout = 60_000;
server.listen(Number(process.env.PORT), "127.0.0.1");
