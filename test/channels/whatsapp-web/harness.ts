// A test Parentline with WhatsApp Web on, its client made by fakeClientFactory, reconnects run by
// hand (no real timers), and the channel's setup at hand to start and stop it.

import { channelRegistry } from "../../../bots";
import { createWhatsAppWebSetup, type Scheduler } from "../../../bots/whatsapp-web";
import type { Environment } from "../../../src/config";
import type { ChannelSetup } from "../../../src/contracts";
import { createTestParentline, type TestParentline } from "../../support/parentline";
import { fakeClientFactory } from "./fake-client";

/** Reconnects waiting to run: the test looks at their delays and runs them. */
export function manualScheduler() {
  const pending: { ms: number; run: () => void; cancelled: boolean }[] = [];
  const schedule: Scheduler = (ms, run) => {
    const entry = { ms, run, cancelled: false };
    pending.push(entry);
    return () => {
      entry.cancelled = true;
    };
  };
  return {
    schedule,
    /** Delays of the reconnects still waiting. */
    waiting: () => pending.filter((entry) => !entry.cancelled).map((entry) => entry.ms),
    /** Runs the reconnects that are due (all waiting ones, as if their time had come). */
    runAll() {
      for (const entry of pending.splice(0)) if (!entry.cancelled) entry.run();
    },
  };
}

export interface WhatsAppWebTestbed {
  app: TestParentline;
  setup: ChannelSetup;
  clients: ReturnType<typeof fakeClientFactory>;
  scheduler: ReturnType<typeof manualScheduler>;
  printedQrs: string[];
}

/** Fast, jitter-free pacing unless a test says otherwise (the pacer's waits are real sleeps). */
const QUICK_PACING: Environment = {
  WHATSAPP_WEB_SEND_INTERVAL_MS: "1",
  WHATSAPP_WEB_SEND_JITTER_MS: "0",
};

export async function createWhatsAppWebTestbed(
  env: Environment = {},
  createClient?: ReturnType<typeof fakeClientFactory>["createClient"],
): Promise<WhatsAppWebTestbed> {
  const clients = fakeClientFactory();
  const scheduler = manualScheduler();
  const printedQrs: string[] = [];
  const factory = createWhatsAppWebSetup({
    createClient: createClient ?? clients.createClient,
    schedule: scheduler.schedule,
    printQr: (qr) => printedQrs.push(qr),
  });
  let setup: ChannelSetup | undefined;
  const app = await createTestParentline(
    {
      WHATSAPP_WEB_ENABLED: "1",
      WHATSAPP_WEB_DATA_DIR: "/tmp/parentline-test-whatsapp-web",
      ...QUICK_PACING,
      ...env,
    },
    {
      channelRegistry: {
        ...channelRegistry,
        "whatsapp-web": (context) => {
          const made = factory(context);
          if (!("off" in made)) setup = made;
          return made;
        },
      },
    },
  );
  if (!setup) throw new Error("WhatsApp Web stayed off");
  return { app, setup, clients, scheduler, printedQrs };
}

/** Starts the channel (not the dispatcher: tests run it with dispatchDue) and links it. */
export async function startLinked(bed: WhatsAppWebTestbed) {
  await bed.setup.start?.(bed.app.roadHandle);
  const client = bed.clients.latest();
  client.fire("authenticated");
  client.fire("ready");
  return client;
}
