// Turns what a parent wrote into the machine's event: "menu", "help", "settings" work at any step.
// STOP reaches here only on channels without carrier keywords (the road answers it on SMS).
import type { ParentEvent } from "./parent.types";

// "0" and "back" rather than "cancel": on SMS, CANCEL is a carrier opt-out word.
const menuWords = new Set([
  "menu",
  "start",
  "restart",
  "menú",
  "inicio",
  "0",
  "back",
  "atrás",
  "volver",
]);
/** Where they are no carrier keywords (chat apps), these turn announcements off. */
const unsubscribeWords = new Set(["stop", "stopall", "unsubscribe"]);
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
  if (unsubscribeWords.has(word.replace(/[.!]+$/, ""))) return { type: "command.unsubscribe" };
  return {
    type: "message",
    text: text === message.text.trim() ? message.text : text,
    ...(message.sharedPhone ? { sharedPhone: message.sharedPhone } : {}),
    ...(message.media?.length ? { media: message.media } : {}),
  };
}
