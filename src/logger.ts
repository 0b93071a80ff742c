// JSON logs with pino. Personal data stays out: log ids and masked phones, never codes or bodies.
import pino, { type Logger } from "pino";

export type { Logger };

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: "parentline" },
      // Belt and braces: if a field with one of these names is ever logged, it is blanked.
      redact: {
        paths: ["code", "*.code", "token", "*.token", "text", "*.text", "body", "*.body"],
        censor: "[redacted]",
      },
      // On Workers pino runs its browser build, which takes no destination stream: `write` hands
      // the destination the same JSON lines Node's build writes to it.
      ...(destination && {
        browser: { write: (line: object) => destination.write(`${JSON.stringify(line)}\n`) },
      }),
    },
    destination,
  );
}

/** "+14155550123" → "+1•••••0123": enough to tell numbers apart in logs, not enough to call. */
export function maskPhone(phone: string): string {
  if (phone.length <= 6) return "•".repeat(phone.length);
  return `${phone.slice(0, 2)}•••••${phone.slice(-4)}`;
}
