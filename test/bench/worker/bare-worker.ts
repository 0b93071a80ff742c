// The ceiling for `npm run bench:worker`: the same local runtime (workerd through wrangler's
// unstable_startWorker) with nothing of Parentline in it. `/t/{tenant}/webhooks/telegram` parses
// the body in the Worker and answers 200; `/object/…` also hands it to a Durable Object that only
// parses it. Each is what a request costs the local runtime before any of our work.

export class BareObject {
  async fetch(request: Request): Promise<Response> {
    await request.json();
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
    if (new URL(request.url).pathname.startsWith("/object/")) {
      return env.BARE.get(env.BARE.idFromName("bench")).fetch(request);
    }
    await request.json();
    return new Response(null, { status: 200 });
  },
};
