// School events in (POST /v1/integrations/events): each child named becomes one notice per
// guardian, in their language and naming the child, through the outbox; attendance goes at once
// through quiet hours and "off"; malformed events, missing or reused keys change nothing.
import { describe, expect, it } from "vitest";
import { snapshotDatabase } from "../support/database-snapshot";
import {
  createTestParentline,
  DEMO,
  STAFF,
  signInStaff,
  type TestParentline,
  verifyParent,
} from "../support/parentline";
import { makeApiKey, sendEvent } from "../support/school-events";

/** Chloe (5A), the one child of DEMO.parentWithOneChild, who reads English. */
const CHLOE = "GF-2024-003";
/** Maya (5A), a child of guardian 8 (+14155550108), who reads Spanish. */
const MAYA = "GF-2024-013";
const MAYAS_PARENT = "+14155550108";
/** 09:00Z, the test clock's start, is 01:00 in Greenfield: inside quiet hours (21:00-07:00). */
const QUIET_HOURS_END = Date.parse("2026-11-23T15:00:00Z");

/** Links a guardian's phone on the simulator as verified, as if they had signed in there. */
function linkOnSimulator(app: TestParentline, phone: string) {
  const guardian = app.db.$client
    .prepare<[string], { id: number; schoolId: number }>(
      "select id, school_id as schoolId from guardians where phone = ?",
    )
    .get(phone);
  if (!guardian) throw new Error(`no guardian ${phone}`);
  app.db.$client
    .prepare(
      `insert into channel_identities (channel, address, school_id, guardian_id, verified_at, expires_at, created_at)
       values ('simulator', ?, ?, ?, ?, ?, ?)`,
    )
    .run(
      phone,
      guardian.schoolId,
      guardian.id,
      app.clock.now(),
      app.clock.now() + 365 * 86_400_000,
      app.clock.now(),
    );
  return guardian.id;
}

async function setUp() {
  const app = await createTestParentline();
  await verifyParent(app, DEMO.parentWithOneChild);
  const mayasParent = linkOnSimulator(app, MAYAS_PARENT);
  const admin = await signInStaff(app, STAFF.admin);
  const { key } = await makeApiKey(app, admin);
  return { app, key, admin, mayasParent };
}

const notices = (app: TestParentline) =>
  app.db.$client
    .prepare<[], { address: string; body: string; nextAttemptAt: number; channel: string }>(
      `select address, body, next_attempt_at as nextAttemptAt, channel from outbox
        where kind = 'school_event' order by id`,
    )
    .all();

const attendance = (absent: string[], late: string[] = []) => ({
  type: "attendance.marked",
  date: "2026-11-23",
  absent,
  late,
  period: "AM",
});

describe("school events in", () => {
  it("send each absent or late child's guardian a notice at once, in their language and naming the child, even in quiet hours and with announcements off", async () => {
    const { app, key, mayasParent } = await setUp();
    app.db.$client
      .prepare(`update guardians set preferences = '{"announcements":"off"}' where id = ?`)
      .run(mayasParent);
    const sent = await sendEvent(app, key, attendance([CHLOE], [MAYA]));
    expect(sent.status).toBe(202);
    expect(await sent.json()).toEqual({
      id: expect.any(Number),
      type: "attendance.marked",
      accepted: 2,
      messages: 2,
      rejected: [],
    });
    expect(notices(app)).toEqual([
      {
        channel: "simulator",
        address: DEMO.parentWithOneChild,
        body: "Greenfield Primary School: Chloe was marked absent on Monday, November 23 (AM). If this is unexpected, reply here and the school will look into it.",
        nextAttemptAt: app.clock.now(),
      },
      {
        channel: "simulator",
        address: MAYAS_PARENT,
        body: "Greenfield Primary School: Maya llegó tarde el lunes, 23 de noviembre (AM). Si quiere explicar el motivo al colegio, responda aquí.",
        nextAttemptAt: app.clock.now(),
      },
    ]);
    // They leave through the outbox like every message.
    await app.dispatcher.dispatchDue();
    const history = (await (
      await app.json("GET", `/dev/chat/history?address=${encodeURIComponent(MAYAS_PARENT)}`)
    ).json()) as { messages: { text: string }[] };
    expect(history.messages.map((m) => m.text)).toContain(notices(app)[1]?.body);
  });

  it("write fee reminders' amounts and dates through Intl in the guardian's language, after quiet hours, and not to guardians who turned announcements off", async () => {
    const { app, key } = await setUp();
    const event = {
      type: "fee.reminder",
      admissionNumbers: [CHLOE, MAYA],
      amount: "1245.5",
      currency: "USD",
      dueDate: "2026-12-15",
    };
    const sent = await sendEvent(app, key, event);
    expect(await sent.json()).toMatchObject({ accepted: 2, messages: 2, rejected: [] });
    expect(notices(app).map(({ body, nextAttemptAt }) => ({ body, nextAttemptAt }))).toEqual([
      {
        body: "Greenfield Primary School: a reminder that $1,245.50 for Chloe is due by Tuesday, December 15. Questions? Reply MENU and make a new request.",
        nextAttemptAt: QUIET_HOURS_END,
      },
      {
        body: "Greenfield Primary School: le recordamos que el pago de 1245,50\u00a0US$ de Maya vence el martes, 15 de diciembre. ¿Preguntas? Responda MENU y haga una nueva consulta.",
        nextAttemptAt: QUIET_HOURS_END,
      },
    ]);

    app.db.$client
      .prepare(`update guardians set preferences = '{"announcements":"off"}' where phone = ?`)
      .run(MAYAS_PARENT);
    const again = await sendEvent(app, key, { ...event, admissionNumbers: [MAYA] });
    expect(await again.json()).toMatchObject({
      accepted: 0,
      rejected: [{ admissionNumber: MAYA, reason: "no_reachable_guardian" }],
    });
  });

  it("send scores to every reachable family of a class once, and refuse an unknown class with 422 naming it", async () => {
    const { app, key } = await setUp();
    const sent = await sendEvent(app, key, {
      type: "scores.published",
      classes: ["5 a"],
      admissionNumbers: [CHLOE],
      title: "Term 1 report cards",
      url: "https://portal.example.org/reports",
    });
    const answer = (await sent.json()) as { accepted: number; rejected: { reason: string }[] };
    expect(answer.accepted).toBe(2);
    // The rest of 5A never linked a chat (and SMS is off here).
    expect(answer.rejected.length).toBe(5);
    expect(new Set(answer.rejected.map((r) => r.reason))).toEqual(
      new Set(["no_reachable_guardian"]),
    );
    expect(notices(app).map((n) => n.body)).toEqual([
      "Greenfield Primary School: new results for Chloe, Term 1 report cards: https://portal.example.org/reports",
      "Greenfield Primary School: hay nuevos resultados de Maya, Term 1 report cards: https://portal.example.org/reports",
    ]);

    const before = snapshotDatabase(app.db);
    const unknown = await sendEvent(app, key, {
      type: "scores.published",
      classes: ["5A", "9Z"],
      title: "Term 1",
      url: "https://portal.example.org/reports",
    });
    expect(unknown.status).toBe(422);
    expect(await unknown.json()).toMatchObject({
      error: { code: "unknown_class", details: [{ path: "classes.1" }] },
    });
    expect(snapshotDatabase(app.db)).toEqual(before);
  });

  it("send a guardian of two named children one notice about each", async () => {
    const { app, key } = await setUp();
    linkOnSimulator(app, DEMO.parentWithTwoChildren);
    const sent = await sendEvent(app, key, attendance(["GF-2024-001"], ["GF-2024-002"]));
    expect(await sent.json()).toMatchObject({ accepted: 2, messages: 2, rejected: [] });
    expect(
      notices(app)
        .filter((notice) => notice.address === DEMO.parentWithTwoChildren)
        .map((notice) => notice.body.split(" on ")[0]),
    ).toEqual([
      "Greenfield Primary School: Ava was marked absent",
      "Greenfield Primary School: Benjamin was marked late",
    ]);
  });

  it("report unknown admission numbers per item and send the rest", async () => {
    const { app, key } = await setUp();
    const sent = await sendEvent(app, key, attendance(["GF-9999-999", CHLOE]));
    expect(await sent.json()).toMatchObject({
      accepted: 1,
      messages: 1,
      rejected: [{ admissionNumber: "GF-9999-999", reason: "unknown_admission_number" }],
    });
    expect(notices(app)).toHaveLength(1);
  });

  it("refuse a malformed event with 422 naming the field, and change nothing", async () => {
    const { app, key } = await setUp();
    const before = snapshotDatabase(app.db);
    const cases: [unknown, string][] = [
      [{ type: "attendance.marked", absent: [CHLOE], period: "AM" }, "date"],
      [{ ...attendance([CHLOE]), date: "2026-02-30" }, "date"],
      [{ ...attendance([CHLOE]), absent: [CHLOE, 7] }, "absent.1"],
      [attendance([], []), "absent"],
      [attendance([CHLOE], [CHLOE]), "late.0"],
      [{ ...attendance([CHLOE]), type: "attendance.mark" }, "type"],
      [{ ...attendance([CHLOE]), student: "x" }, ""],
      [
        {
          type: "fee.reminder",
          admissionNumbers: [CHLOE],
          amount: "45,00",
          currency: "USD",
          dueDate: "2026-12-15",
        },
        "amount",
      ],
      [
        {
          type: "fee.reminder",
          admissionNumbers: [CHLOE],
          amount: "45.00",
          currency: "XYZ",
          dueDate: "2026-12-15",
        },
        "currency",
      ],
      [
        {
          type: "scores.published",
          admissionNumbers: [CHLOE],
          title: "T1",
          url: "http://portal.example.org",
        },
        "url",
      ],
    ];
    for (const [event, field] of cases) {
      const response = await sendEvent(app, key, event);
      expect(response.status, JSON.stringify(event)).toBe(422);
      const body = (await response.json()) as { error: { details: { path: string }[] } };
      expect(
        body.error.details.map((d) => d.path),
        JSON.stringify(event),
      ).toContain(field);
    }
    const notJson = await sendEvent(app, key, "{not json");
    expect(notJson.status).toBe(400);
    expect(snapshotDatabase(app.db)).toEqual(before);
  });

  it("refuse an event without an Idempotency-Key with 400, sending nothing", async () => {
    const { app, key } = await setUp();
    const before = snapshotDatabase(app.db);
    const response = await sendEvent(app, key, attendance([CHLOE]), null);
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { code: "idempotency_key_required" } });
    expect(snapshotDatabase(app.db)).toEqual(before);
  });

  it("send nothing twice for a replayed Idempotency-Key and answer the same body; the same key with another event is 409", async () => {
    const { app, key } = await setUp();
    const first = await sendEvent(
      app,
      key,
      attendance([CHLOE, "GF-9999-999"]),
      "att-2026-11-23-AM",
    );
    const firstBody = await first.json();
    const before = snapshotDatabase(app.db);
    // A retry with other spacing is the same event.
    const replay = await sendEvent(
      app,
      key,
      JSON.stringify(attendance([CHLOE, "GF-9999-999"]), null, 2),
      "att-2026-11-23-AM",
    );
    expect(replay.status).toBe(first.status);
    expect(replay.headers.get("idempotent-replayed")).toBe("true");
    expect(await replay.json()).toEqual(firstBody);
    const reused = await sendEvent(app, key, attendance([MAYA]), "att-2026-11-23-AM");
    expect(reused.status).toBe(409);
    expect(await reused.json()).toMatchObject({ error: { code: "idempotency_key_reused" } });
    expect(snapshotDatabase(app.db)).toEqual(before);
    expect(notices(app)).toHaveLength(1);
  });
});
