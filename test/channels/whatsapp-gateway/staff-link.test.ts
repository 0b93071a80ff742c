// Linking WhatsApp Web from the runtime's staff desk when the session lives in the gateway: an
// admin's /staff/whatsapp-web/link answers the gateway's state and QR code (read from its signed
// /link over real HTTP), a teacher's is refused, and a gateway that is down, silent or refusing
// the signature gives an error that says so within the gateway timeout.
import { afterEach, describe, expect, it } from "vitest";
import {
  createTestParentline,
  STAFF,
  signInStaff,
  signInStaffWithTokens,
  type TestParentline,
} from "../../support/parentline";
import { closedPort, silentSocket, timed } from "../../support/unreachable-api";
import { expectWaitingForScan, SAMPLE_QR } from "../whatsapp-web/qr-code";
import { createGatewayBed, gatewayEnv, serveOnPort } from "./support";

const LINK = "/staff/whatsapp-web/link";
const TIMEOUT_MS = 300;

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

async function parentlineWith(env: Record<string, string>): Promise<TestParentline> {
  const app = await createTestParentline({
    ...env,
    WHATSAPP_GATEWAY_TIMEOUT_MS: String(TIMEOUT_MS),
  });
  cleanup.push(() => app.stop());
  return app;
}

/** A Node Parentline whose WhatsApp Web runs in a gateway on a local port, waiting for a scan. */
async function gatewayWaitingForScan(secret?: string) {
  let clockNow = () => Date.now();
  const bed = createGatewayBed({ parentlineUrl: "http://127.0.0.1:9", now: () => clockNow() });
  cleanup.push(() => bed.gateway.stop());
  const server = await serveOnPort(bed.gateway.app.fetch);
  cleanup.push(() => server.close());
  const app = await parentlineWith({
    ...gatewayEnv(server.url),
    ...(secret ? { WHATSAPP_GATEWAY_SECRET: secret } : {}),
  });
  // Both sides sign and check against the test's clock.
  clockNow = app.clock.now;
  await bed.gateway.start();
  const client = bed.clients.latest();
  client.fire("qr", SAMPLE_QR);
  return { app, client };
}

describe("the staff link page with WhatsApp Web through the gateway", () => {
  it("shows an admin the gateway's state and QR code, and refuses a teacher", async () => {
    const { app, client } = await gatewayWaitingForScan();
    const admin = await signInStaff(app, STAFF.admin);

    const waiting = await app.json("GET", LINK, undefined, admin);

    await expectWaitingForScan(waiting);

    client.fire("ready");
    expect(await (await app.json("GET", LINK, undefined, admin)).json()).toEqual({
      state: "ready",
    });

    expect((await app.json("GET", LINK)).status).toBe(401);
    const teacher = await signInStaff(app, STAFF.rao);
    const refused = await app.json("GET", LINK, undefined, teacher);
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({ error: { code: "forbidden" } });
  });

  it("says on the desk's page that WhatsApp Web runs through the gateway", async () => {
    const { app } = await gatewayWaitingForScan();
    const admin = await signInStaffWithTokens(app, STAFF.admin);
    const cookie = { cookie: `parentline_desk=${admin.refreshToken}` };

    const page = await app.app.request("/staff/whatsapp-web", { headers: cookie });

    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("WhatsApp Web runs through the gateway");
    expect(html).toContain('data-whatsapp-link="/staff/whatsapp-web/link"');
    expect(html).not.toContain("Nothing to link");
    const link = await app.app.request(LINK, { headers: cookie });
    expect(await link.json()).toMatchObject({
      state: "waiting for QR scan",
      qr: expect.any(String),
    });
  });

  it("says a gateway that refuses connections is unreachable (502)", async () => {
    const outage = await closedPort();
    const app = await parentlineWith(gatewayEnv(outage.base));
    const admin = await signInStaff(app, STAFF.admin);

    const answer = await app.json("GET", LINK, undefined, admin);

    expect(answer.status).toBe(502);
    expect(await answer.json()).toEqual({
      error: {
        code: "gateway_unavailable",
        message: expect.stringMatching(/^WhatsApp gateway unreachable: /),
      },
    });
  });

  it("gives up on a gateway that never answers within the timeout (504)", async () => {
    const outage = await silentSocket();
    cleanup.push(() => outage.close());
    const app = await parentlineWith(gatewayEnv(outage.base));
    const admin = await signInStaff(app, STAFF.admin);

    const { ms, result } = await timed(() => app.json("GET", LINK, undefined, admin));

    expect(ms).toBeLessThan(TIMEOUT_MS + 2_000);
    expect(result?.status).toBe(504);
    expect(await result?.json()).toEqual({
      error: {
        code: "gateway_timeout",
        message: `WhatsApp gateway did not answer within ${TIMEOUT_MS} ms`,
      },
    });
  });

  it("says so when the gateway refuses the runtime's signature (another secret)", async () => {
    const { app } = await gatewayWaitingForScan("another-gateway-secret-of-at-least-32-chars");
    const admin = await signInStaff(app, STAFF.admin);

    const answer = await app.json("GET", LINK, undefined, admin);

    expect(answer.status).toBe(502);
    const body = await answer.text();
    expect(JSON.parse(body)).toEqual({
      error: {
        code: "gateway_unavailable",
        message:
          "WhatsApp gateway refused the signature (401): check WHATSAPP_GATEWAY_SECRET and both clocks",
      },
    });
    expect(body).not.toContain("data:image");
  });
});
