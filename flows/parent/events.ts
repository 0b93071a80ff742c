// Turns what a parent wrote into the machine's event: "menu" and "help" work at any step.
import type { ParentEvent } from "./parent.types";

const menuWords = new Set(["menu", "cancel", "start", "restart", "menú", "cancelar", "inicio"]);
const helpWords = new Set(["help", "ayuda", "?"]);

export function parentEventFrom(message: {
  text: string;
  sharedPhone?: string;
  media?: { url: string }[];
}): ParentEvent {
  const word = message.text.trim().toLowerCase();
  if (menuWords.has(word)) return { type: "command.menu" };
  if (helpWords.has(word)) return { type: "command.help" };
  return {
    type: "message",
    text: message.text,
    ...(message.sharedPhone ? { sharedPhone: message.sharedPhone } : {}),
    ...(message.media?.length ? { media: message.media } : {}),
  };
}
