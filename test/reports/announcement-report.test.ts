import { describe, expect, it } from "vitest";
import {
  createTestParentline,
  STAFF,
  signInStaff,
  type TestParentline,
} from "../support/parentline";
import { localInstant } from "./report-fixtures";

/** An announcement with recipients whose latest messages are in the given states. */
function insertAnnouncement(
  app: TestParentline,
  spec: {
    created: string;
    status?: "sent" | "cancelled";
    recipients: ({ channel: string; outbox: string } | { skipped: string })[];
  },
) {
  const client = app.db.$client;
  const school = client.prepare("select id from schools where slug = 'greenfield'").get() as {
    id: number;
  };
  const author = client
    .prepare("select id from staff where school_id = ? and role = 'admin'")
    .get(school.id) as { id: number };
  const guardians = client
    .prepare("select id from guardians where school_id = ? order by id")
    .all(school.id) as { id: number }[];
  const at = localInstant(spec.created);
  const announcement = Number(
    client
      .prepare(
        `insert into announcements (school_id, author_staff_id, audience, body, status, created_at)
         values (?, ?, '{"kind":"school"}', 'Picnic', ?, ?)`,
      )
      .run(school.id, author.id, spec.status ?? "sent", at).lastInsertRowid,
  );
  spec.recipients.forEach((recipient, n) => {
    const guardian = guardians[n]?.id;
    let outboxId: number | null = null;
    if ("outbox" in recipient) {
      outboxId = Number(
        client
          .prepare(
            `insert into outbox (school_id, channel, address, kind, body, status, next_attempt_at,
               updated_at, announcement_id) values (?, ?, ?, 'announcement', 'Picnic', ?, ?, ?, ?)`,
          )
          .run(school.id, recipient.channel, `+1415555${n}`, recipient.outbox, at, at, announcement)
          .lastInsertRowid,
      );
    }
    client
      .prepare(
        `insert into announcement_recipients (announcement_id, guardian_id, school_id, outbox_id,
           skipped_reason, channel) values (?, ?, ?, ?, ?, ?)`,
      )
      .run(
        announcement,
        guardian,
        school.id,
        outboxId,
        "skipped" in recipient ? recipient.skipped : null,
        "channel" in recipient ? recipient.channel : null,
      );
  });
}

describe("GET /v1/reports/announcements", () => {
  it("gives reach and, by channel, delivered, read and failed rates of the period's announcements", async () => {
    const app = await createTestParentline();
    // Signing in runs the dispatcher once: before the fixture's pending message exists.
    const teacher = await signInStaff(app, STAFF.rao);
    insertAnnouncement(app, {
      created: "2026-11-16 09:00",
      recipients: [
        { channel: "whatsapp", outbox: "read" },
        { channel: "whatsapp", outbox: "delivered" },
        { channel: "whatsapp", outbox: "failed" },
        { channel: "sms", outbox: "sent" },
        { channel: "sms", outbox: "pending" },
        { skipped: "opted_out" },
      ],
    });
    // Neither counts: one cancelled, one before the period.
    insertAnnouncement(app, {
      created: "2026-11-17 09:00",
      status: "cancelled",
      recipients: [{ channel: "sms", outbox: "read" }],
    });
    insertAnnouncement(app, {
      created: "2026-11-15 23:00",
      recipients: [{ channel: "sms", outbox: "failed" }],
    });
    app.clock.set(Date.parse("2026-11-23T09:00:00Z"));

    const response = await app.json(
      "GET",
      "/v1/reports/announcements?from=2026-11-16&to=2026-11-22",
      undefined,
      teacher,
    );
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      from: "2026-11-16",
      to: "2026-11-22",
      announcements: 1,
      recipients: 6,
      reached: 5,
      reachRate: 0.8333,
      skipped: { no_channel: 0, opted_out: 1, announcements_off: 0 },
      byChannel: [
        {
          channel: "whatsapp",
          recipients: 3,
          pending: 0,
          delivered: 2,
          read: 1,
          failed: 1,
          deliveredRate: 0.6667,
          readRate: 0.3333,
          failedRate: 0.3333,
        },
        {
          channel: "sms",
          recipients: 2,
          pending: 1,
          delivered: 0,
          read: 0,
          failed: 0,
          deliveredRate: 0,
          readRate: 0,
          failedRate: 0,
        },
      ],
    });
    const refused = await app.json(
      "GET",
      "/v1/reports/announcements?to=2026-02-30",
      undefined,
      teacher,
    );
    expect(refused.status).toBe(422);
  });
});
