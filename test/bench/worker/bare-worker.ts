// The ceiling for `npm run bench:worker`: the same local runtime (workerd through wrangler's
// unstable_startWorker) with nothing of Parentline in it. `/t/{tenant}/webhooks/telegram` parses
// the body in the Worker and answers 200; `/object/…` also hands it to a Durable Object that only
// parses it; `/object-sends/…` has the object also send one message to the stand-in Bot API at
// BOT_API_ROOT after answering, as a Parentline step's reply leaves (deliverSoon). Each is what a
// request costs the local runtime before any of our work. For bench:worker-broadcast,
// `/object-broadcast/{tenant}?n=…&writeEvery=0|k` has the object send n messages to the Twilio
// stand-in at TWILIO_API_BASE, 8 in flight as the dispatcher keeps them, with plain fetch, and with
// writeEvery=1 also mark each sent row in its SQLite database after its send, as the dispatcher
// records a receipt (writeEvery=k: one statement marking the last k sent rows, every k sends).

interface BareState {
  storage: { sql: { exec(query: string, ...bindings: unknown[]): { toArray(): unknown[] } } };
}

/** What the dispatcher keeps in flight at once (SENDS_IN_FLIGHT in src/outbox/dispatcher.ts). */
const SENDS_IN_FLIGHT = 8;

export class BareObject {
  constructor(
    private readonly state: BareState,
    private readonly env: { BOT_API_ROOT?: string; TWILIO_API_BASE?: string },
  ) {}

  async fetch(request: Request): Promise<Response> {
    const url = new URL(request.url);
    if (url.pathname.startsWith("/object-broadcast/")) {
      await this.broadcast(
        Number(url.searchParams.get("n")),
        Number(url.searchParams.get("writeEvery") ?? 0),
      );
      return new Response(null, { status: 200 });
    }
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

  /** n sends to the stand-in; every `writeEvery` sends (0: never), one update marks them sent. */
  private async broadcast(n: number, writeEvery: number) {
    const sql = this.state.storage.sql;
    sql.exec("create table if not exists sends (id integer primary key, status text not null)");
    sql.exec("delete from sends");
    for (let i = 0; i < n; i++) sql.exec("insert into sends (id, status) values (?, 'pending')", i);
    const account = `AC${"0".repeat(32)}`;
    let next = 0;
    let sent: number[] = [];
    const markSent = () => {
      sql.exec(
        "update sends set status = 'sent' where id in (select value from json_each(?))",
        JSON.stringify(sent),
      );
      sent = [];
    };
    const lane = async () => {
      for (let i = next++; i < n; i = next++) {
        const response = await fetch(
          `${this.env.TWILIO_API_BASE}/2010-04-01/Accounts/${account}/Messages.json`,
          {
            method: "POST",
            headers: {
              authorization: `Basic ${btoa(`${account}:bare`)}`,
              "content-type": "application/x-www-form-urlencoded",
            },
            body: new URLSearchParams({
              To: `+1646${String(5_000_000 + i).padStart(7, "0")}`,
              From: "+14155550100",
              Body: "About Child: Sports day moves to Friday.",
            }).toString(),
          },
        );
        await response.arrayBuffer();
        sent.push(i);
        if (writeEvery > 0 && sent.length >= writeEvery) markSent();
      }
    };
    await Promise.all(Array.from({ length: SENDS_IN_FLIGHT }, () => lane()));
    if (writeEvery > 0) markSent();
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
    if (/^\/object(-sends|-broadcast)?\//.test(new URL(request.url).pathname)) {
      return env.BARE.get(env.BARE.idFromName("bench")).fetch(request);
    }
    await request.json();
    return new Response(null, { status: 200 });
  },
};
