// Ticket alerts over WhatsApp Cloud, end to end in-process: a teacher links her WhatsApp as a staff
// chat; a parent's request (on the simulator) sends her the alert through the Graph API (an msw
// stand-in); she answers by quoting it (the inbound message's context.id is the alert's wamid),
// and the parent receives the answer on their own channel.
import { and, eq } from "drizzle-orm";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { schema } from "../../../db";
import {
  createTestParentline,
  DEMO,
  makeRequest,
  STAFF,
  type TestParentline,
  verifyParent,
} from "../../support/parentline";
import { chatHistoryOf } from "../../support/staff-chat";
import {
  codeIn,
  graphApi,
  PHONE_NUMBER_ID,
  postWebhook,
  textOf,
  textWebhook,
  WHATSAPP_ENV,
  waId,
} from "./support";

const graph = graphApi();
const server = setupServer(graph.handler);
beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterEach(() => {
  server.resetHandlers();
  graph.calls.length = 0;
});
afterAll(() => server.close());

const PARENT_5A = DEMO.parentWithOneChild; // Michael Barnes, Chloe in 5A → Ms Rao
/** Monday 09:00 in Greenfield (America/Los_Angeles). */
const MONDAY_9AM = Date.parse("2026-11-23T17:00:00Z");

async function deliver(app: TestParentline, payload: unknown) {
  app.clock.advance(2_000);
  const response = await postWebhook(app, payload);
  expect(response.status).toBe(200);
}

/**
 * A text that quotes one of our messages: WhatsApp sends the quoted message's id in `context`
 * (https://developers.facebook.com/docs/whatsapp/cloud-api/webhooks/payload-examples#text-messages).
 */
function quotingWebhook(from: string, text: string, quotedWamid: string) {
  const payload = textWebhook(from, text);
  payload.entry[0].changes[0].value.messages[0].context = {
    from: waId(payload.entry[0].changes[0].value.metadata.display_phone_number),
    id: quotedWamid,
  };
  return payload;
}

describe("ticket alerts over WhatsApp Cloud", () => {
  it("alerts the teacher's WhatsApp; she answers by quoting the alert and the parent receives it", async () => {
    const app = await createTestParentline(WHATSAPP_ENV);
    app.clock.set(MONDAY_9AM);
    await deliver(app, textWebhook(STAFF.rao, "/staff"));
    await deliver(app, textWebhook(STAFF.rao, codeIn(graph.to(STAFF.rao))));
    expect(graph.to(STAFF.rao).map(textOf)).toContain(
      "Thank you, Ms Rao, you're verified as staff.",
    );
    await verifyParent(app, PARENT_5A);
    app.clock.advance(2_000);
    const before = graph.to(STAFF.rao).length;
    await makeRequest(app, PARENT_5A, { text: "Is there homework tonight?" });
    await app.dispatcher.dispatchDue();

    const [alertCall] = graph.to(STAFF.rao, before);
    expect(alertCall?.phoneNumberId).toBe(PHONE_NUMBER_ID);
    expect(alertCall && textOf(alertCall)).toBe(
      [
        "New request T-1001 from Michael Barnes about Chloe (5A) · Academics",
        '"Is there homework tonight?"',
        'Reply to this message to answer the parent, or type "T-1001 your answer".',
      ].join("\n"),
    );
    const [alertRow] = await app.db
      .select()
      .from(schema.outbox)
      .where(and(eq(schema.outbox.kind, "alert"), eq(schema.outbox.channel, "whatsapp-cloud")));
    expect(alertRow).toMatchObject({ status: "sent", providerMessageId: alertCall?.wamid });

    await deliver(app, quotingWebhook(STAFF.rao, "Yes, page 12.", alertCall?.wamid ?? ""));
    expect(graph.to(STAFF.rao).map(textOf).at(-1)).toBe("Sent to Michael Barnes on T-1001.");
    await app.dispatcher.dispatchDue();
    const parentSaw = (await chatHistoryOf(app, PARENT_5A)).filter(
      (entry) => entry.kind === "staff_reply",
    );
    expect(parentSaw.map((entry) => entry.text)).toEqual(["T-1001 · Ms Rao: Yes, page 12."]);
    expect(parentSaw[0]?.text).not.toContain(waId(STAFF.rao));
    const [ticket] = await app.db.select().from(schema.tickets);
    expect(ticket?.firstResponseAt).not.toBeNull();
  });
});
