// The real client factory: whatsapp-web.js (CommonJS) loads under ESM only when a client is made,
// never while the channel is off; the browser itself is launched by initialize(), which no test
// calls (whatsapp-web.js cannot reach WhatsApp from a test machine).
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import {
  createLibraryClient,
  libraryClientOptions,
  loadLibrary,
} from "../../../bots/whatsapp-web/client";
import { createTestParentline } from "../../support/parentline";

const require = createRequire(import.meta.url);
const libraryLoaded = () =>
  Object.keys(require.cache).some((path) => path.includes("/node_modules/whatsapp-web.js/"));

const options = { dataDir: "/tmp/parentline-test-whatsapp-web", chromiumPath: "/usr/bin/chromium" };

describe("the whatsapp-web.js client factory", () => {
  it("loads nothing of whatsapp-web.js while the channel is off", async () => {
    const app = await createTestParentline();
    await app.start();
    expect(libraryLoaded()).toBe(false);
    await app.stop();
  });

  it("keeps the session with LocalAuth under the data dir and drives a headless system Chromium", async () => {
    const { LocalAuth } = await loadLibrary();
    expect(libraryLoaded()).toBe(true);
    const clientOptions = libraryClientOptions(options, LocalAuth);
    expect(clientOptions.authStrategy).toBeInstanceOf(LocalAuth);
    expect(clientOptions.authStrategy).toMatchObject({ dataPath: options.dataDir });
    expect(clientOptions.puppeteer).toEqual({
      executablePath: "/usr/bin/chromium",
      headless: true,
      args: expect.arrayContaining([
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
      ]),
    });
  });

  it("makes a library client without launching the browser", async () => {
    const client = await createLibraryClient(options);
    for (const method of ["on", "initialize", "sendMessage", "getContactLidAndPhone", "destroy"])
      expect(client).toHaveProperty(method, expect.any(Function));
  });
});
