// Linking WhatsApp Web: the QR code in the terminal and on the admins' staff page, the state in
// /health, and reconnecting with backoff when the session fails or drops (reconnects run by hand).
import { afterEach, describe, expect, it } from "vitest";
import { RECONNECT_FIRST_MS, RECONNECT_MAX_MS } from "../../../bots/whatsapp-web";
import {
  createTestParentline,
  STAFF,
  signInStaff,
  signInStaffWithTokens,
} from "../../support/parentline";
import { createWhatsAppWebTestbed, type WhatsAppWebTestbed } from "./harness";
import { expectWaitingForScan, SAMPLE_QR } from "./qr-code";

const LINK = "/staff/whatsapp-web/link";

let bed: WhatsAppWebTestbed | undefined;
afterEach(async () => {
  await bed?.app.stop();
  bed = undefined;
});

async function started(env = {}) {
  bed = await createWhatsAppWebTestbed(env);
  await bed.setup.start?.(bed.app.roadHandle);
  return bed;
}

async function health(testbed: WhatsAppWebTestbed) {
  const body = (await (await testbed.app.app.request("/health")).json()) as {
    channels: Record<string, string>;
  };
  return body.channels["whatsapp-web"];
}

describe("WhatsApp Web on and off", () => {
  it("is off unless WHATSAPP_WEB_ENABLED=1, and says how to turn it on", async () => {
    const app = await createTestParentline();
    const body = (await (await app.app.request("/health")).json()) as {
      channels: Record<string, string>;
    };
    expect(body.channels["whatsapp-web"]).toBe(
      "off: set WHATSAPP_WEB_ENABLED=1 to link a WhatsApp account",
    );
    expect((await app.app.request(LINK)).status).toBe(404);
    await app.stop();
  });

  it("starts a client with LocalAuth's data dir and the configured Chromium", async () => {
    const testbed = await started({ CHROMIUM_PATH: "/opt/chromium/chrome" });
    const client = testbed.clients.latest();
    expect(client.options).toEqual({
      dataDir: "/tmp/parentline-test-whatsapp-web",
      chromiumPath: "/opt/chromium/chrome",
    });
    expect(client.initialized).toBe(true);
    expect(await health(testbed)).toBe("on: starting");
  });

  it("destroys the client on stop", async () => {
    const testbed = await started();
    await testbed.setup.stop?.();
    expect(testbed.clients.latest().destroyed).toBe(true);
    expect(await health(testbed)).toBe("on: stopped");
  });
});

describe("WhatsApp Web linking", () => {
  it("prints each QR code in the terminal and shows the wait in /health", async () => {
    const testbed = await started();
    const client = testbed.clients.latest();
    client.fire("qr", SAMPLE_QR);
    client.fire("qr", `${SAMPLE_QR}2`);
    expect(testbed.printedQrs).toEqual([SAMPLE_QR, `${SAMPLE_QR}2`]);
    expect(await health(testbed)).toBe("on: waiting for QR scan");

    client.fire("authenticated");
    expect(await health(testbed)).toBe("on: authenticated");
    client.fire("ready");
    expect(await health(testbed)).toBe("on: ready");
  });

  it("shows the QR code to admins only, until the session is ready", async () => {
    const testbed = await started();
    const client = testbed.clients.latest();
    client.fire("qr", SAMPLE_QR);

    expect((await testbed.app.json("GET", LINK)).status).toBe(401);
    expect((await testbed.app.json("GET", LINK, undefined, "not-a-token")).status).toBe(401);
    const teacher = await signInStaff(testbed.app, STAFF.rao);
    const refused = await testbed.app.json("GET", LINK, undefined, teacher);
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({ error: { code: "forbidden" } });

    const admin = await signInStaff(testbed.app, STAFF.admin);
    const waiting = await testbed.app.json("GET", LINK, undefined, admin);
    await expectWaitingForScan(waiting);

    client.fire("ready");
    const ready = await testbed.app.json("GET", LINK, undefined, admin);
    expect(await ready.json()).toEqual({ state: "ready" });
  });

  it("shows the link in the staff desk to a signed-in admin, whose cookie reads the JSON", async () => {
    const testbed = await started();
    testbed.clients.latest().fire("qr", SAMPLE_QR);
    const signedOut = await testbed.app.app.request("/staff/whatsapp-web");
    expect(signedOut.status).toBe(303);
    expect(signedOut.headers.get("location")).toBe("/staff?next=%2Fstaff%2Fwhatsapp-web");

    // The desk's session cookie holds a refresh token: one from the API is as good.
    const admin = await signInStaffWithTokens(testbed.app, STAFF.admin);
    const cookie = { cookie: `parentline_desk=${admin.refreshToken}` };
    const page = await testbed.app.app.request("/staff/whatsapp-web", { headers: cookie });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('data-whatsapp-link="/staff/whatsapp-web/link"');
    expect(html).toContain("State: waiting for QR scan");
    expect(html).not.toContain("access token");
    const link = await testbed.app.app.request(LINK, { headers: cookie });
    expect(link.status).toBe(200);
    expect(await link.json()).toMatchObject({
      state: "waiting for QR scan",
      qr: expect.any(String),
    });

    const teacher = await signInStaffWithTokens(testbed.app, STAFF.rao);
    const teacherCookie = { cookie: `parentline_desk=${teacher.refreshToken}` };
    expect((await testbed.app.app.request(LINK, { headers: teacherCookie })).status).toBe(403);
    expect(
      (await testbed.app.app.request("/staff/whatsapp-web", { headers: teacherCookie })).status,
    ).toBe(403);
  });
});

describe("WhatsApp Web reconnecting", () => {
  it("recreates the client after a disconnect, with a backoff that doubles and resets once ready", async () => {
    const testbed = await started();
    const first = testbed.clients.latest();
    first.fire("ready");

    first.fire("disconnected", "LOGOUT");
    expect(first.destroyed).toBe(true);
    expect(testbed.scheduler.waiting()).toEqual([RECONNECT_FIRST_MS]);
    expect(await health(testbed)).toBe("on: reconnecting in 5 s (disconnected: LOGOUT)");
    testbed.app.clock.advance(2_000);
    expect(await health(testbed)).toBe("on: reconnecting in 3 s (disconnected: LOGOUT)");

    testbed.scheduler.runAll();
    await expect.poll(() => testbed.clients.clients.length).toBe(2);
    const second = testbed.clients.latest();
    expect(second.initialized).toBe(true);
    expect(await health(testbed)).toBe("on: starting");

    // The old client's late events change nothing.
    first.fire("ready");
    expect(await health(testbed)).toBe("on: starting");

    second.fire("auth_failure", "session restore failed");
    expect(testbed.scheduler.waiting()).toEqual([2 * RECONNECT_FIRST_MS]);
    expect(await health(testbed)).toBe(
      "on: reconnecting in 10 s (auth failure: session restore failed)",
    );

    testbed.scheduler.runAll();
    await expect.poll(() => testbed.clients.clients.length).toBe(3);
    testbed.clients.latest().fire("ready");
    testbed.clients.latest().fire("disconnected", "CONFLICT");
    expect(testbed.scheduler.waiting()).toEqual([RECONNECT_FIRST_MS]);
  });

  it("caps the backoff, and retries when the browser cannot start", async () => {
    let attempts = 0;
    bed = await createWhatsAppWebTestbed({}, () => {
      attempts++;
      throw new Error("Failed to launch the browser process: /usr/bin/chromium: not found");
    });
    await bed.setup.start?.(bed.app.roadHandle);
    expect(await health(bed)).toBe(
      "on: reconnecting in 5 s (could not start: Failed to launch the browser process: /usr/bin/chromium: not found)",
    );
    const delays: number[] = [];
    for (let i = 0; i < 8; i++) {
      delays.push(...bed.scheduler.waiting());
      bed.scheduler.runAll();
      await expect.poll(() => attempts).toBe(i + 2);
    }
    expect(delays).toEqual([5, 10, 20, 40, 80, 160, 300, 300].map((s) => s * 1000));
    expect(Math.max(...delays)).toBe(RECONNECT_MAX_MS);
  });

  it("stops reconnecting when stopped", async () => {
    const testbed = await started();
    testbed.clients.latest().fire("disconnected", "NAVIGATION");
    await testbed.setup.stop?.();
    expect(testbed.scheduler.waiting()).toEqual([]);
    expect(await health(testbed)).toBe("on: stopped");
  });
});
