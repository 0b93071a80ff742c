// Turns what a parent wrote into the machine's event: "menu", "help", "settings" work at any step.
import type { ParentEvent } from "./parent.types";

const menuWords = new Set(["menu", "start", "restart", "menú", "inicio"]);
const cancelWords = new Set(["cancel", "cancelar"]);
const helpWords = new Set(["help", "ayuda", "?"]);
const settingsWords = new Set([
  "settings",
  "preferences",
  "ajustes",
  "configuración",
  "configuracion",
  "preferencias",
]);

export function parentEventFrom(message: {
  text: string;
  sharedPhone?: string;
  media?: { url: string }[];
}): ParentEvent {
  // A chat command ("/help", "/new" on Telegram) is its word, as typed without the slash.
  const text = message.text.trim().replace(/^\/(\w+)$/, "$1");
  const word = text.toLowerCase();
  if (menuWords.has(word)) return { type: "command.menu" };
  if (cancelWords.has(word)) return { type: "command.menu", cancel: true };
  if (helpWords.has(word)) return { type: "command.help" };
  if (settingsWords.has(word)) return { type: "command.settings" };
  return {
    type: "message",
    text: text === message.text.trim() ? message.text : text,
    ...(message.sharedPhone ? { sharedPhone: message.sharedPhone } : {}),
    ...(message.media?.length ? { media: message.media } : {}),
  };
}
