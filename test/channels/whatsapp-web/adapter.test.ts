// The WhatsApp Web channel's send, with the fake client: a long text goes as several WhatsApp
// messages, counted as such by the pacer, and a retry after a later part failed sends only the rest.
import { describe, expect, it } from "vitest";
import { createWhatsAppWebChannel } from "../../../bots/whatsapp-web";
import type { OutboundMessage } from "../../../src/contracts";
import { FakeWhatsAppWebClient } from "./fake-client";

const message: OutboundMessage = {
  outboxId: 41,
  channel: "whatsapp-web",
  address: "+14155550102",
  kind: "reply",
  text: "A sentence that goes on. ".repeat(400).trim(), // ~10,000 characters: 3 parts of 4096
};

function channelOver(client: FakeWhatsAppWebClient) {
  return createWhatsAppWebChannel({
    link: { readyClient: () => client },
    pacing: { sendIntervalMs: 2000, sendJitterMs: 0 },
  });
}

describe("the WhatsApp Web channel", () => {
  it("counts a long text's parts as its cost, and resumes after those that went when a later one failed", async () => {
    const client = new FakeWhatsAppWebClient({ dataDir: "/unused", chromiumPath: "/unused" });
    const channel = channelOver(client);
    expect(channel.sendCost?.(message)).toBe(3);

    // The page refuses the second part.
    const send = client.sendMessage.bind(client);
    let calls = 0;
    client.sendMessage = async (chatId, content) => {
      calls += 1;
      if (calls === 2) throw new Error("Evaluation failed: t");
      return send(chatId, content);
    };
    await expect(channel.send(message)).rejects.toMatchObject({ failure: "transient" });
    expect(client.sent).toHaveLength(1);
    expect(channel.sendCost?.(message)).toBe(2);

    // The outbox's retry of the same row sends the second and third parts only.
    const receipt = await channel.send(message);
    expect(client.sent.map((entry) => entry.content).join(" ")).toBe(message.text);
    expect(receipt.providerMessageId).toBe(client.sent[2]?.message.id._serialized);
  });
});
