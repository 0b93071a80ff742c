// End to end over real HTTP: a parent writes on WhatsApp Web (the fake whatsapp-web.js client in
// the gateway), the gateway relays to a Node Parentline, the parent verifies and makes a request,
// a teacher answers it through /v1, and the answer leaves through the gateway's /send to the
// parent's chat; the parent reading it moves the outbox row to "read".
import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { MessageAck } from "../../../bots/whatsapp-web";
import { schema } from "../../../db";
import {
  codeIn,
  createTestParentline,
  DEMO,
  STAFF,
  signInStaff,
  type TestParentline,
} from "../../support/parentline";
import { type FakeWhatsAppWebClient, privateMessage } from "../whatsapp-web/fake-client";
import { createGatewayBed, type GatewayBed, gatewayEnv, linkGateway, serveOnPort } from "./support";

const PARENT = DEMO.parentWithOneChild;
const PARENT_CHAT = "14155550102@c.us";

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

/** A Node Parentline and a gateway, each on a local port, pointed at each other. */
async function gatewayBesideParentline() {
  let parentline: TestParentline | undefined;
  const runtimeServer = await serveOnPort((request) => {
    if (!parentline) return new Response(null, { status: 503 });
    return parentline.app.fetch(request);
  });
  cleanup.push(() => runtimeServer.close());
  let clockNow = () => Date.now();
  const bed: GatewayBed = createGatewayBed({
    parentlineUrl: runtimeServer.url,
    now: () => clockNow(),
  });
  const gatewayServer = await serveOnPort(bed.gateway.app.fetch);
  cleanup.push(() => gatewayServer.close());
  const app = await createTestParentline(gatewayEnv(gatewayServer.url));
  cleanup.push(() => app.stop());
  cleanup.push(() => bed.gateway.stop());
  parentline = app;
  // Both sides sign and check against the test's clock.
  clockNow = app.clock.now;
  return { app, bed, client: await linkGateway(bed) };
}

/** The parent writes `text`; resolves with what reached their chat in answer. */
async function parentSays(
  { app, bed, client }: { app: TestParentline; bed: GatewayBed; client: FakeWhatsAppWebClient },
  text: string,
): Promise<string[]> {
  const before = client.sent.length;
  client.fire("message", privateMessage(PARENT, text));
  await bed.gateway.settled();
  await app.dispatcher.settled();
  return client.sent.slice(before).map((entry) => entry.content);
}

describe("WhatsApp Web through the gateway, end to end", () => {
  it("takes a parent's request to a ticket and the teacher's answer back to their chat", async () => {
    const setup = await gatewayBesideParentline();
    const { app, client } = setup;

    const code = codeIn(await parentSays(setup, "hi"));
    expect((await parentSays(setup, code)).join("\n")).toMatch(/verified/i);
    await parentSays(setup, "New request");
    await parentSays(setup, "Academics");
    await parentSays(setup, "Is there homework this weekend?");
    await parentSays(setup, "Send");

    const tickets = app.db.select().from(schema.tickets).all();
    expect(tickets.map((ticket) => [ticket.category, ticket.status])).toEqual([
      ["academics", "open"],
    ]);

    const teacher = await signInStaff(app, STAFF.rao);
    const before = client.sent.length;
    const reply = await app.json(
      "POST",
      `/v1/tickets/${tickets[0]?.id}/replies`,
      { body: "Yes: pages 12 to 14." },
      teacher,
    );
    expect(reply.status).toBe(201);
    await app.dispatcher.dispatchDue();
    await app.dispatcher.settled();

    const answer = client.sent.slice(before);
    expect(answer.map((entry) => entry.chatId)).toEqual([PARENT_CHAT]);
    expect(answer[0]?.content).toContain("Yes: pages 12 to 14.");
    const row = app.db
      .select()
      .from(schema.outbox)
      .where(eq(schema.outbox.providerMessageId, answer[0]?.message.id._serialized ?? ""))
      .get();
    expect(row).toMatchObject({ channel: "whatsapp-web", address: PARENT, status: "sent" });

    client.fire("message_ack", answer[0]?.message ?? privateMessage(PARENT, ""), MessageAck.READ);
    await setup.bed.gateway.settled();
    const read = app.db
      .select()
      .from(schema.outbox)
      .where(eq(schema.outbox.id, row?.id ?? 0))
      .get();
    expect(read?.status).toBe("read");
  });
});
