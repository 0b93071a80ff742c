// Falling back to the guardian's next channel when one permanently cannot carry a message: in the
// guardian's order, forward only (a chain ends), never to an opted-out address, and only messages
// meant for the guardian wherever they are (codes and conversation replies stay on their number).
import { eq } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { schema } from "../../db";
import { seedDemoData } from "../../db/seed";
import { ChannelSendError } from "../../src/contracts";
import { setOptedOut } from "../../src/outbox/opt-outs";
import { fakeChannel, outboxHarness, PHONE } from "../support/outbox-harness";

const { channelIdentities, guardians, outbox, announcements, announcementRecipients, staff } =
  schema;

const TELEGRAM_CHAT = "700000102";

function setUp() {
  const whatsapp = fakeChannel({ name: "whatsapp-cloud" });
  const telegram = fakeChannel({ name: "telegram" });
  const sms = fakeChannel({ name: "sms" });
  const harness = outboxHarness({}, [whatsapp.channel, telegram.channel, sms.channel]);
  return { ...harness, whatsapp, telegram, sms };
}

type Harness = ReturnType<typeof setUp>;

/** The demo guardian PHONE verified on WhatsApp (yesterday) and on Telegram (today). */
async function verifyGuardianOnTwoChannels(h: Harness) {
  await seedDemoData(h.db, h.clock.now());
  const [guardian] = await h.db.select().from(guardians).where(eq(guardians.phone, PHONE));
  if (!guardian) throw new Error("demo guardian missing");
  const identity = (channel: string, address: string, verifiedAt: number) => ({
    channel,
    address,
    schoolId: guardian.schoolId,
    guardianId: guardian.id,
    verifiedAt,
    expiresAt: verifiedAt + 365 * 86_400_000,
    createdAt: verifiedAt,
  });
  await h.db
    .insert(channelIdentities)
    .values([
      identity("whatsapp-cloud", PHONE, h.clock.now() - 86_400_000),
      identity("telegram", TELEGRAM_CHAT, h.clock.now()),
    ]);
  return guardian;
}

/** An announcement row and its one recipient, pointing at a queued WhatsApp message. */
async function announceOnWhatsApp(h: Harness, guardian: { id: number; schoolId: number }) {
  const [author] = await h.db.select().from(staff).where(eq(staff.schoolId, guardian.schoolId));
  const [announcement] = await h.db
    .insert(announcements)
    .values({
      schoolId: guardian.schoolId,
      authorStaffId: author?.id ?? 0,
      audience: { kind: "school" },
      body: "Picnic on Friday",
      status: "sending",
      createdAt: h.clock.now(),
    })
    .returning();
  const announcementId = announcement?.id ?? 0;
  const id = await h.enqueue({
    schoolId: guardian.schoolId,
    channel: "whatsapp-cloud",
    address: PHONE,
    kind: "announcement",
    body: "Picnic on Friday",
  });
  await h.db.update(outbox).set({ announcementId }).where(eq(outbox.id, id));
  await h.db.insert(announcementRecipients).values({
    announcementId,
    guardianId: guardian.id,
    schoolId: guardian.schoolId,
    outboxId: id,
  });
  return { id, announcementId };
}

const refused = () => new ChannelSendError("rejected", "recipient is not a WhatsApp user");

describe("falling back to the guardian's next channel", () => {
  let h: Harness;
  beforeEach(() => {
    h = setUp();
  });

  it("moves an announcement WhatsApp refuses to the guardian's Telegram, and the recipient follows", async () => {
    const guardian = await verifyGuardianOnTwoChannels(h);
    // WhatsApp first by the guardian's own choice, Telegram next.
    await h.db
      .update(guardians)
      .set({ preferences: { channelOrder: ["whatsapp-cloud", "telegram", "sms"] } })
      .where(eq(guardians.id, guardian.id));
    const { id, announcementId } = await announceOnWhatsApp(h, guardian);
    h.whatsapp.send.mockRejectedValueOnce(refused());

    await h.dispatcher.dispatchDue();
    expect(await h.row(id)).toMatchObject({
      status: "failed",
      lastError: "recipient is not a WhatsApp user; sent by telegram instead",
    });
    await h.dispatcher.dispatchDue();
    expect(h.telegram.send).toHaveBeenCalledTimes(1);
    const sentOn = h.telegram.send.mock.calls[0]?.[0];
    expect(sentOn).toMatchObject({ address: TELEGRAM_CHAT, text: "Picnic on Friday" });
    const [recipient] = await h.db
      .select()
      .from(announcementRecipients)
      .where(eq(announcementRecipients.announcementId, announcementId));
    expect(recipient?.outboxId).toBe(sentOn?.outboxId);
    expect(await h.row(sentOn?.outboxId ?? 0)).toMatchObject({ status: "sent", announcementId });
  });

  it("keeps the attachment on the fallback copy, and hands it to the next channel", async () => {
    const guardian = await verifyGuardianOnTwoChannels(h);
    await h.db
      .update(guardians)
      .set({ preferences: { channelOrder: ["whatsapp-cloud", "telegram", "sms"] } })
      .where(eq(guardians.id, guardian.id));
    const { id } = await announceOnWhatsApp(h, guardian);
    const media = [{ url: "https://school.example/picnic.pdf", contentType: "application/pdf" }];
    await h.db.update(outbox).set({ media }).where(eq(outbox.id, id));
    h.whatsapp.send.mockRejectedValueOnce(refused());

    await h.dispatcher.dispatchDue();
    expect(h.whatsapp.send.mock.calls[0]?.[0]).toMatchObject({ media });
    await h.dispatcher.dispatchDue();
    const sentOn = h.telegram.send.mock.calls[0]?.[0];
    expect(sentOn).toMatchObject({ address: TELEGRAM_CHAT, media });
    expect(await h.row(sentOn?.outboxId ?? 0)).toMatchObject({ media });
  });

  it("goes forward only: after the last of the guardian's channels, an SMS to the number, then nothing", async () => {
    const guardian = await verifyGuardianOnTwoChannels(h);
    // No chosen order: most recently verified first, so Telegram, then WhatsApp, then SMS.
    const { id } = await announceOnWhatsApp(h, guardian);
    h.whatsapp.send.mockRejectedValueOnce(refused());
    h.sms.send.mockRejectedValueOnce(new ChannelSendError("rejected", "unreachable number"));

    await h.dispatcher.dispatchDue(); // WhatsApp refuses → SMS (Telegram is before it in order)
    expect((await h.row(id)).lastError).toContain("sent by sms instead");
    await h.dispatcher.dispatchDue(); // SMS refuses → nothing after it
    expect(h.telegram.send).not.toHaveBeenCalled();
    const rows = await h.db.select().from(outbox);
    expect(rows.map((r) => [r.channel, r.status])).toEqual([
      ["whatsapp-cloud", "failed"],
      ["sms", "dead"],
    ]);
    expect(rows[1]?.lastError).toBe("unreachable number; no other channel to try");
  });

  it("never falls back to an address that opted out", async () => {
    const guardian = await verifyGuardianOnTwoChannels(h);
    await h.db
      .update(guardians)
      .set({ preferences: { channelOrder: ["whatsapp-cloud", "telegram", "sms"] } })
      .where(eq(guardians.id, guardian.id));
    await setOptedOut(h.db, { channel: "telegram", address: TELEGRAM_CHAT }, true, h.clock.now());
    await setOptedOut(h.db, { channel: "sms", address: PHONE }, true, h.clock.now());
    const { id } = await announceOnWhatsApp(h, guardian);
    h.whatsapp.send.mockRejectedValueOnce(refused());

    await h.dispatcher.dispatchDue();
    expect(await h.row(id)).toMatchObject({
      status: "dead",
      lastError: "recipient is not a WhatsApp user; no other channel to try",
    });
    expect(await h.db.select().from(outbox)).toHaveLength(1);
  });

  it("does not route around a block: the address is opted out and nothing else is tried", async () => {
    const guardian = await verifyGuardianOnTwoChannels(h);
    const { id } = await announceOnWhatsApp(h, guardian);
    h.whatsapp.send.mockRejectedValueOnce(new ChannelSendError("blocked", "user blocked us"));

    await h.dispatcher.dispatchDue();
    expect(await h.row(id)).toMatchObject({ status: "dead" });
    expect(await h.db.select().from(outbox)).toHaveLength(1);
  });

  it("keeps a one-time code on its number: only an SMS to the same phone, never the guardian's Telegram", async () => {
    const guardian = await verifyGuardianOnTwoChannels(h);
    await h.db
      .update(guardians)
      .set({ preferences: { channelOrder: ["whatsapp-cloud", "telegram", "sms"] } })
      .where(eq(guardians.id, guardian.id));
    const id = await h.enqueue({
      channel: "whatsapp-cloud",
      kind: "otp",
      body: "Code {code}",
      secretValues: { code: "123456" },
    });
    h.whatsapp.send.mockRejectedValueOnce(refused());

    await h.dispatcher.dispatchDue();
    await h.dispatcher.dispatchDue();
    expect((await h.row(id)).status).toBe("failed");
    expect(h.telegram.send).not.toHaveBeenCalled();
    expect(h.sms.send.mock.calls[0]?.[0]).toMatchObject({ address: PHONE, text: "Code 123456" });
  });
});
