// The simulator channel: same contract and same inbound road as Twilio or Telegram.
import type { Channel } from "../../src/contracts";
import type { SimulatedPhones } from "./client";
import { renderForPhone } from "./render";

/** The id the simulator gives a message it was sent: a reply to it names it. */
export const simulatorMessageId = (outboxId: number) => `sim-out-${outboxId}`;

export interface SimulatorChannelOptions {
  phones: SimulatedPhones;
  now?: () => number;
}

export function createSimulatorChannel({
  phones,
  now = Date.now,
}: SimulatorChannelOptions): Channel {
  return {
    name: "simulator",
    capabilities: {
      buttons: true,
      readReceipts: false,
      inlineReply: true,
      phoneAddressed: true,
      maxTextLength: 4096,
      carrierKeywords: false,
    },
    // Nothing leaves the process: no provider limit to keep.
    limits: { perSecond: Number.POSITIVE_INFINITY },
    async send(message) {
      phones.record(message.address, renderForPhone(message, now()));
      return { providerMessageId: simulatorMessageId(message.outboxId) };
    },
  };
}
