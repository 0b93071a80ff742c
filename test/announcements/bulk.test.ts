// Large audiences: recipients and outbox rows go in chunked multi-row inserts, and each recipient
// must still point at its own message across chunk boundaries and skipped guardians.
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import type { Database } from "../../db";
import { schema } from "../../db";
import { UnitOfWork } from "../../src/outbox/unit-of-work";
import { chunkSizes, planBulkInsert } from "../../src/services/bulk-insert";
import { createTestParentline, STAFF, signInStaff } from "../support/parentline";
import type { AnnouncementBody } from "./support";

const { announcementRecipients, outbox, channelIdentities } = schema;

describe("bulk announcement writes", () => {
  it("split any number of rows into a few chunk sizes", () => {
    expect(chunkSizes(0)).toEqual([]);
    expect(chunkSizes(1)).toEqual([1]);
    expect(chunkSizes(1300)).toEqual([512, 512, 256, 16, 4]);
    expect(chunkSizes(1300).reduce((sum, size) => sum + size, 0)).toBe(1300);
  });

  it("keep each statement within the connection's bound parameters (a Durable Object's 100)", async () => {
    const bound: number[] = [];
    const statement = {
      run: (...values: unknown[]) => {
        bound.push(values.length);
        return { changes: 1, lastInsertRowid: 0 };
      },
    };
    const db = {
      $client: {
        maxBoundParameters: 100,
        prepare: () => statement,
        transaction: (fn: (writes: unknown[]) => unknown) => fn,
      },
    } as unknown as Database;
    const uow = new UnitOfWork();
    const values = Array.from({ length: 1300 * 3 }, (_, index) => index);
    planBulkInsert(
      db,
      uow,
      { sql: "insert into t select @school, * from ROWS", width: 3, named: { school: 1 } },
      values,
    );
    await uow.commit(db);
    // 32 rows of 3 values plus the named one: 97 parameters, the last chunk smaller.
    expect(Math.max(...bound)).toBeLessThanOrEqual(100);
    expect(bound.reduce((sum, count) => sum + count - 1, 0)).toBe(1300 * 3);
  });

  it("link each of 1,300 guardians to the message at their own address", async () => {
    const app = await createTestParentline();
    app.clock.set(Date.parse("2026-11-23T20:00:00Z"));
    const now = app.clock.now();
    const client = app.db.$client;
    // A grade of its own: 1,300 families, one child each; every 7th has no chat address and
    // every 11th has opted out, so the rows with a message are not every recipient.
    const classId = Number(
      client
        .prepare("insert into classes (school_id, grade, section, name) values (1, 9, 'Z', '9Z')")
        .run().lastInsertRowid,
    );
    client.transaction(() => {
      for (let n = 0; n < 1300; n++) {
        const phone = `+1312${String(5_000_000 + n)}`;
        const guardianId = Number(
          client
            .prepare(
              "insert into guardians (school_id, first_name, last_name, phone) values (1, 'Bulk', ?, ?)",
            )
            .run(`Parent${n}`, phone).lastInsertRowid,
        );
        const studentId = Number(
          client
            .prepare(
              "insert into students (school_id, class_id, admission_no, first_name, last_name, created_at) values (1, ?, ?, ?, 'Bulk', ?)",
            )
            .run(classId, `BULK-${n}`, `Kid${n}`, now).lastInsertRowid,
        );
        client
          .prepare(
            "insert into guardian_students (guardian_id, student_id, school_id) values (?, ?, 1)",
          )
          .run(guardianId, studentId);
        if (n % 7 === 0) continue;
        client
          .prepare(
            "insert into channel_identities (channel, address, school_id, guardian_id, verified_at, expires_at, opted_out_at, created_at) values ('sms', ?, 1, ?, ?, ?, ?, ?)",
          )
          .run(phone, guardianId, now - 1000, now + 86_400_000, n % 11 === 0 ? now : null, now);
      }
    })();
    const admin = await signInStaff(app, STAFF.admin);
    const response = await app.json(
      "POST",
      "/v1/announcements",
      { audience: { kind: "classes", classes: ["9Z"] }, text: "Bulk" },
      admin,
    );
    expect(response.status).toBe(201);
    const created = (await response.json()) as AnnouncementBody;
    const noChannel = Math.ceil(1300 / 7);
    const optedOut = [...Array(1300).keys()].filter((n) => n % 11 === 0 && n % 7 !== 0).length;
    expect(created.counts).toMatchObject({
      recipients: 1300,
      pending: 1300 - noChannel - optedOut,
      skipped: { no_channel: noChannel, opted_out: optedOut, announcements_off: 0 },
    });

    const linked = await app.db
      .select({
        guardianId: announcementRecipients.guardianId,
        address: outbox.address,
        body: outbox.body,
        own: channelIdentities.address,
      })
      .from(announcementRecipients)
      .innerJoin(outbox, eq(outbox.id, announcementRecipients.outboxId))
      .innerJoin(
        channelIdentities,
        eq(channelIdentities.guardianId, announcementRecipients.guardianId),
      )
      .where(eq(announcementRecipients.announcementId, created.id));
    expect(linked).toHaveLength(1300 - noChannel - optedOut);
    expect(linked.filter((row) => row.address !== row.own)).toEqual([]);
    const messages = await app.db
      .select()
      .from(outbox)
      .where(eq(outbox.announcementId, created.id));
    expect(messages).toHaveLength(linked.length);
  });
});
