// msw handlers served on a real local port, for code that msw cannot intercept in-process: the
// Worker under test runs in workerd, and its fetches reach a provider's stand-in here. A request
// no handler answers gets 501 and is kept in `unhandled`, so a test can insist there were none.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { getResponse, type RequestHandler } from "msw";

export interface StandInServer {
  /** http://127.0.0.1:{port} */
  url: string;
  /** Adds handlers (built once the URL is known). */
  use(...handlers: RequestHandler[]): void;
  unhandled: string[];
  close(): Promise<void>;
}

export async function serveStandIn(): Promise<StandInServer> {
  const unhandled: string[] = [];
  const handlers: RequestHandler[] = [];
  const server = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on("data", (chunk: Buffer) => chunks.push(chunk));
    incoming.on("end", async () => {
      const method = incoming.method ?? "GET";
      const request = new Request(`http://${incoming.headers.host}${incoming.url}`, {
        method,
        headers: Object.entries(incoming.headers).flatMap(([name, value]) =>
          value === undefined ? [] : [[name, String(value)] as [string, string]],
        ),
        ...(method === "GET" || method === "HEAD" ? {} : { body: Buffer.concat(chunks) }),
      });
      const response = await getResponse(handlers, request);
      if (!response) {
        unhandled.push(`${method} ${incoming.url}`);
        outgoing.writeHead(501).end();
        return;
      }
      outgoing.writeHead(response.status, Object.fromEntries(response.headers));
      outgoing.end(Buffer.from(await response.arrayBuffer()));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    use: (...more) => handlers.push(...more),
    unhandled,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
