// What SMS costs: texts Parentline writes go in GSM-7 (a "•" or "·" would make the whole message
// UCS-2, 70 characters a segment), a parent's or teacher's own words go as written, replies to one
// answer ride in one message, and the outbox records each SMS's segments.
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { smsSegments } from "../../../bots/twilio";
import { schema } from "../../../db";
import { DEMO, type TestParentline } from "../../support/parentline";
import { enqueue, inboundSms, outboxRow, sendInbound, useTwilioTestbed } from "./support";

const PARENT = DEMO.parentWithOneChild;
let app: TestParentline;
const twilio = useTwilioTestbed((created) => {
  app = created;
});

describe("SMS encoding", () => {
  it("sends the code prompt in GSM-7, one segment, and records it on the row", async () => {
    const { replies } = await sendInbound(app, inboundSms(PARENT, "hi"));
    const prompt = replies.find((text) => text.startsWith("We sent"));
    expect(prompt).toContain("+1*****0102");
    expect(smsSegments(prompt ?? "")).toBe(1);
    const rows = await app.db.select().from(schema.outbox).where(eq(schema.outbox.address, PARENT));
    expect(rows.map((row) => row.segments)).toEqual([1, 1]);
  });

  it("sends a staff reply's prefix in GSM-7 and the teacher's words as written", async () => {
    const words =
      "Leo's jumper is in the lost property box by the hall; I'll ask at pick-up today.";
    const plain = await enqueue(app, { body: `T-1001 · Ms Rao: ${words}` });
    const accented = await enqueue(app, { body: "T-1002 · Ms Rao: Está en la oficina." });
    await app.dispatcher.dispatchDue();

    const [first, second] = twilio.to(PARENT).map((message) => message.body);
    expect(first).toBe(`T-1001 - Ms Rao: ${words}`);
    expect(smsSegments(first ?? "")).toBe(1);
    expect(second).toBe("T-1002 - Ms Rao: Está en la oficina.");
    expect((await outboxRow(app.db, plain)).segments).toBe(1);
    expect((await outboxRow(app.db, accented)).segments).toBe(1);
  });

  it("sends a statement and the menu after it as one message", async () => {
    const { replies } = await sendInbound(app, inboundSms(PARENT, "hi"));
    const code = replies.join("\n").match(/code is (\d{6})/)?.[1] ?? "";
    const verified = await sendInbound(app, inboundSms(PARENT, code));
    expect(verified.replies).toHaveLength(1);
    expect(verified.replies[0]).toMatch(/you're verified\.\n\n.*\n\n1\. New request/);
  });
});
