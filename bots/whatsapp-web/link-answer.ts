// What the staff page polls about a WhatsApp Web link: its state and, while it waits for a scan,
// the QR code as a PNG data URL for an <img>. Node only (qrcode's PNG encoder): the gateway
// answers the same, so a Worker's desk passes the image on and never draws one.
import QRCode from "qrcode";
import type { WhatsAppWebLink } from "./link";

export interface LinkAnswer {
  /** WhatsAppWebLink.describe(): "ready", "waiting for QR scan" … */
  state: string;
  /** data:image/png;base64,… while a QR code waits to be scanned. */
  qr?: string;
}

export async function linkAnswer(
  link: Pick<WhatsAppWebLink, "describe" | "qr">,
): Promise<LinkAnswer> {
  const qr = link.qr();
  return {
    state: link.describe(),
    ...(qr ? { qr: await QRCode.toDataURL(qr, { margin: 2, width: 264 }) } : {}),
  };
}
