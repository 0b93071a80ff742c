// The link to WhatsApp Web: one client at a time, and where it stands (starting → waiting for QR
// scan → authenticated → ready). When the session fails or drops, the client is destroyed and a new
// one is started after an exponential backoff; /health and the staff page read the state.
import type { ChannelContext } from "../../src/contracts";
import type {
  CreateWhatsAppWebClient,
  WhatsAppWebClient,
  WhatsAppWebClientOptions,
  WhatsAppWebMessage,
} from "./client";

export type LinkState =
  | { phase: "not started" }
  | { phase: "starting" }
  | { phase: "waiting for QR scan"; qr: string }
  | { phase: "authenticated" }
  | { phase: "ready" }
  | { phase: "reconnecting"; at: number; cause: string }
  | { phase: "stopped" };

/** What the link hands on from the current client (the inbound road's side). */
export interface LinkListeners {
  message(message: WhatsAppWebMessage): void;
  ack(message: WhatsAppWebMessage, ack: number): void;
}

/** Runs `run` after `ms`; returns a function that cancels it. Tests pass a manual scheduler. */
export type Scheduler = (ms: number, run: () => void) => () => void;

export const realScheduler: Scheduler = (ms, run) => {
  const timer = setTimeout(run, ms);
  return () => clearTimeout(timer);
};

/** First retry after 5 s, doubling up to 5 minutes: a dropped session often comes back quickly. */
export const RECONNECT_FIRST_MS = 5_000;
export const RECONNECT_MAX_MS = 300_000;

export interface WhatsAppWebLinkOptions {
  createClient: CreateWhatsAppWebClient;
  clientOptions: WhatsAppWebClientOptions;
  log: ChannelContext["log"];
  now: () => number;
  schedule?: Scheduler;
  /** Shows the QR code to whoever runs the server (the terminal). */
  printQr: (qr: string) => void;
}

const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error));

export class WhatsAppWebLink {
  private state: LinkState = { phase: "not started" };
  private client: WhatsAppWebClient | undefined;
  /** Bumped whenever a client is given up, so its late events are ignored. */
  private generation = 0;
  private failures = 0;
  private cancelRetry: (() => void) | undefined;
  private listeners: LinkListeners | undefined;
  /** The last given-up client closing its browser: the next one waits, as they share a profile. */
  private closing: Promise<void> = Promise.resolve();
  private readonly schedule: Scheduler;

  constructor(private readonly options: WhatsAppWebLinkOptions) {
    this.schedule = options.schedule ?? realScheduler;
  }

  /** Starts the first client; it returns before the session is linked (that may take a person). */
  async start(listeners: LinkListeners): Promise<void> {
    this.listeners = listeners;
    await this.connect();
  }

  async stop(): Promise<void> {
    this.generation++;
    this.cancelRetry?.();
    this.cancelRetry = undefined;
    this.state = { phase: "stopped" };
    const client = this.client;
    this.client = undefined;
    await this.destroy(client);
  }

  /** The client, once its session is ready to send. */
  readyClient(): WhatsAppWebClient | undefined {
    return this.state.phase === "ready" ? this.client : undefined;
  }

  /** The QR code to scan while the session waits for one. */
  qr(): string | undefined {
    return this.state.phase === "waiting for QR scan" ? this.state.qr : undefined;
  }

  /** "ready", "waiting for QR scan", "reconnecting in 20 s (disconnected: LOGOUT)" … */
  describe(): string {
    const { state } = this;
    if (state.phase !== "reconnecting") return state.phase;
    const seconds = Math.max(0, Math.ceil((state.at - this.options.now()) / 1000));
    return `reconnecting in ${seconds} s (${state.cause})`;
  }

  private async connect(): Promise<void> {
    const generation = ++this.generation;
    this.cancelRetry = undefined;
    this.state = { phase: "starting" };
    await this.closing;
    let client: WhatsAppWebClient;
    try {
      client = await this.options.createClient(this.options.clientOptions);
    } catch (error) {
      if (generation === this.generation) this.retry(`could not start: ${errorText(error)}`);
      return;
    }
    if (generation !== this.generation) {
      await this.destroy(client); // stopped while the client was being made
      return;
    }
    this.client = client;
    this.listen(client, () => generation === this.generation);
    // initialize() resolves only once the page is up (after a QR scan on a new session), so it is
    // not awaited: the events say how it goes.
    client.initialize().catch((error: unknown) => {
      if (generation === this.generation) this.retry(`could not start: ${errorText(error)}`);
    });
  }

  private listen(client: WhatsAppWebClient, current: () => boolean) {
    const { log } = this.options;
    client.on("qr", (qr) => {
      if (!current()) return;
      this.state = { phase: "waiting for QR scan", qr };
      log.info("WhatsApp Web is waiting for a QR scan (terminal, or the staff link page)");
      this.options.printQr(qr);
    });
    client.on("authenticated", () => {
      if (!current()) return;
      this.state = { phase: "authenticated" };
      log.info("WhatsApp Web session authenticated; loading chats");
    });
    client.on("ready", () => {
      if (!current()) return;
      this.state = { phase: "ready" };
      this.failures = 0;
      log.info("WhatsApp Web is ready");
    });
    client.on("auth_failure", (message) => {
      if (current()) this.retry(`auth failure: ${message}`);
    });
    client.on("disconnected", (reason) => {
      if (current()) this.retry(`disconnected: ${reason}`);
    });
    client.on("message", (message) => {
      if (current()) this.listeners?.message(message);
    });
    client.on("message_ack", (message, ack) => {
      if (current()) this.listeners?.ack(message, ack);
    });
  }

  /** Gives the current client up and starts a new one after the backoff. */
  private retry(cause: string) {
    this.generation++;
    const client = this.client;
    this.client = undefined;
    const delay = Math.min(RECONNECT_MAX_MS, RECONNECT_FIRST_MS * 2 ** this.failures);
    this.failures++;
    this.state = {
      phase: "reconnecting",
      at: this.options.now() + delay,
      cause: cause.slice(0, 120),
    };
    this.options.log.warn(
      { cause: cause.slice(0, 120), retryInMs: delay, failures: this.failures },
      "WhatsApp Web link lost; reconnecting",
    );
    this.closing = this.destroy(client);
    this.cancelRetry = this.schedule(delay, () => void this.connect());
  }

  /** Closes a client's browser; one that never launched may throw, which changes nothing. */
  private async destroy(client: WhatsAppWebClient | undefined) {
    try {
      await client?.destroy();
    } catch (error) {
      this.options.log.debug({ err: error }, "WhatsApp Web client did not close cleanly");
    }
  }
}
