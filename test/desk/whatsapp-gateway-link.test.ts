// The WhatsApp Web link page in a real browser against a real server whose WhatsApp Web runs in
// the gateway (a gateway with the fake whatsapp-web.js client, on a local port): the admin sees
// that it runs through the gateway and the gateway's QR code, the state once the phone is linked,
// and the reason in the page's error line when the gateway cannot be reached.
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createGatewayBed,
  type GatewayBed,
  gatewayEnv,
  type Served,
  serveOnPort,
} from "../channels/whatsapp-gateway/support";
import type { FakeWhatsAppWebClient } from "../channels/whatsapp-web/fake-client";
import { SAMPLE_QR } from "../channels/whatsapp-web/qr-code";
import { demoStaffPhone, deskTestbed, screenshots, signIn } from "./support";

/** The page polls every 3 s (5 s after an error). */
const POLLED_MS = 10_000;

let gateway: GatewayBed;
let gatewayServer: Served;
let client: FakeWhatsAppWebClient;

beforeAll(async () => {
  gateway = createGatewayBed({ parentlineUrl: "http://127.0.0.1:9", now: Date.now });
  gatewayServer = await serveOnPort(gateway.gateway.app.fetch);
  await gateway.gateway.start();
  client = gateway.clients.latest();
  client.fire("qr", SAMPLE_QR);
});

afterAll(async () => {
  await gatewayServer?.close();
  await gateway?.gateway.stop();
});

describe("linking WhatsApp Web through the gateway from the staff desk", {
  timeout: 90_000,
}, () => {
  const bed = deskTestbed("whatsapp-gateway-link", () => gatewayEnv(gatewayServer.url));
  let page: Page;

  beforeAll(async () => {
    page = await bed.newPage();
    await signIn(page, bed.baseUrl, await demoStaffPhone(bed.baseUrl, "Ms Ellison"));
  });

  it("shows the admin the gateway's QR code, then its state once the phone is linked", async () => {
    await page.goto(`${bed.baseUrl}/staff/whatsapp-web`);
    await expect(page.getByText("WhatsApp Web runs through the gateway").count()).resolves.toBe(1);
    const qr = page.getByRole("img", { name: "QR code to scan with WhatsApp" });
    await qr.waitFor({ state: "visible" });
    await expect(qr.getAttribute("src")).resolves.toMatch(/^data:image\/png;base64,/);
    await expect(page.locator("#wa-state").textContent()).resolves.toBe(
      "State: waiting for QR scan",
    );
    // The image has loaded: a real PNG the browser could draw.
    await expect(
      qr.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth),
    ).resolves.toBeGreaterThan(200);
    await screenshots(page, "whatsapp-gateway-link");

    client.fire("authenticated");
    client.fire("ready");
    await page.getByText("State: ready").waitFor({ timeout: POLLED_MS });
    await expect(qr.isHidden()).resolves.toBe(true);
  });

  it("shows why in the page's error line when the gateway cannot be reached", async () => {
    await gatewayServer.close();
    await page.goto(`${bed.baseUrl}/staff/whatsapp-web`);
    const error = page.locator("#wa-error");
    await page.getByText(/WhatsApp gateway unreachable/).waitFor({ timeout: POLLED_MS });
    await expect(error.textContent()).resolves.toMatch(/^WhatsApp gateway unreachable: /);
    await expect(page.locator("#wa-state").textContent()).resolves.toBe("State: unknown");
    await expect(
      page.getByRole("img", { name: "QR code to scan with WhatsApp" }).isHidden(),
    ).resolves.toBe(true);
    await screenshots(page, "whatsapp-gateway-link-unreachable");
  });
});
