// Turns what a parent wrote into the machine's event: "menu", "help", "settings" work at any step.
import type { ParentEvent } from "./parent.types";

// Telegram's menu commands arrive with their slash (/menu, /help …).
const menuWords = new Set(["menu", "/menu", "start", "restart", "menú", "inicio"]);
const cancelWords = new Set(["cancel", "/cancel", "cancelar"]);
const helpWords = new Set(["help", "/help", "ayuda", "?"]);
const settingsWords = new Set([
  "settings",
  "/settings",
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
  const word = message.text.trim().toLowerCase();
  if (menuWords.has(word)) return { type: "command.menu" };
  if (cancelWords.has(word)) return { type: "command.menu", cancel: true };
  if (helpWords.has(word)) return { type: "command.help" };
  if (settingsWords.has(word)) return { type: "command.settings" };
  return {
    type: "message",
    text: message.text,
    ...(message.sharedPhone ? { sharedPhone: message.sharedPhone } : {}),
    ...(message.media?.length ? { media: message.media } : {}),
  };
}
