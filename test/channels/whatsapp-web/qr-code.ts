// A QR string as whatsapp-web.js emits it on "qr", and the check that the staff page's JSON carries
// it drawn as a real PNG: the same for the in-process link, the gateway's /link and a Worker's.
import { expect } from "vitest";

export const SAMPLE_QR =
  "2@9Q8tWf6bnezr8uVGwVCluyRuBOJ3tIglimzI5dHB0vQW,f1/vGcW4Z3vBa1eDNl3tOjWqLL5DpYTI84DMVkYnQE8=";

const PNG_SIGNATURE = Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]);

/** `qr` is a PNG data URL whose bytes start with PNG's signature. */
function expectPngDataUrl(qr: string | undefined): void {
  expect(qr).toMatch(/^data:image\/png;base64,[A-Za-z0-9+/]+=*$/);
  const png = Buffer.from(qr?.split(",")[1] ?? "", "base64");
  expect(png.subarray(0, 8)).toEqual(PNG_SIGNATURE);
}

/** `response` is the staff page's JSON while a scan is pending: not to be cached, with the PNG. */
export async function expectWaitingForScan(response: Response): Promise<void> {
  expect(response.status).toBe(200);
  expect(response.headers.get("cache-control")).toBe("no-store");
  const body = (await response.json()) as { state: string; qr?: string };
  expect(body.state).toBe("waiting for QR scan");
  expectPngDataUrl(body.qr);
}
