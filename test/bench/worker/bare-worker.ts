// The ceiling for `npm run bench:worker`: the same local runtime (workerd through wrangler's
// unstable_startWorker) with nothing of Parentline in it. `/t/{tenant}/webhooks/telegram` parses
// the body in the Worker and answers 200; `/object/…` also hands it to a Durable Object that only
// parses it; `/object-sends/…` has the object also send one message to the stand-in Bot API at
// BOT_API_ROOT after answering, as a Parentline step's reply leaves (deliverSoon). Each is what a
// request costs the local runtime before any of our work.

export class BareObject {
  constructor(
    _state: unknown,
    private readonly env: { BOT_API_ROOT?: string },
  ) {}

  async fetch(request: Request): Promise<Response> {
    const update = (await request.json()) as { message?: { chat?: { id?: number } } };
    if (new URL(request.url).pathname.startsWith("/object-sends/") && this.env.BOT_API_ROOT) {
      void fetch(`${this.env.BOT_API_ROOT}/bot123456:BENCH-token/sendMessage`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ chat_id: update.message?.chat?.id, text: "How can I help?" }),
      }).then((response) => response.arrayBuffer());
    }
    return new Response(null, { status: 200 });
  }
}

interface BareEnv {
  BARE: {
    idFromName(name: string): unknown;
    get(id: unknown): { fetch(request: Request): Promise<Response> };
  };
}

export default {
  async fetch(request: Request, env: BareEnv): Promise<Response> {
    if (/^\/object(-sends)?\//.test(new URL(request.url).pathname)) {
      return env.BARE.get(env.BARE.idFromName("bench")).fetch(request);
    }
    await request.json();
    return new Response(null, { status: 200 });
  },
};
