// The inbound road through the simulator: replays change nothing, one address is handled one
// message at a time, one-time codes never rest in the database in clear, and a conversation
// outlives a restart and a deploy that changes the machine.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { openSqliteDatabase, schema } from "../../db";
import { PARENT_MACHINE } from "../../flows/parent";
import { parseConfig } from "../../src/config";
import { createLogger } from "../../src/logger";
import { buildParentline, type Parentline } from "../../src/parentline";
import {
  codeIn,
  createTestParentline,
  DEMO,
  type SendBody,
  testClock,
  verifyParent,
} from "../support/parentline";

const PARENT = DEMO.parentWithOneChild; // Michael Barnes, Chloe in 5A
const UNKNOWN = "+14155559999";
const TEACHER_5A = "+14155550184"; // Ms Priya Rao

const count = async (app: Pick<Parentline, "db">, table: string) =>
  (app.db.$client.prepare(`select count(*) as n from ${table}`).get() as { n: number }).n;

/** Every row of every table, as one JSON text. */
function dumpDatabase(app: Pick<Parentline, "db">): string {
  const tables = app.db.$client
    .prepare("select name from sqlite_master where type = 'table'")
    .all() as { name: string }[];
  expect(tables.map((t) => t.name)).toEqual(
    expect.arrayContaining(["outbox", "otp_codes", "conversations", "inbound_messages"]),
  );
  return JSON.stringify(
    Object.fromEntries(
      tables.map(({ name }) => [name, app.db.$client.prepare(`select * from "${name}"`).all()]),
    ),
  );
}

/** The code as a number of its own: not merely six digits inside a phone number or timestamp. */
const standalone = (code: string) => new RegExp(`(?<!\\d)${code}(?!\\d)`);

describe("replays", () => {
  it("answers a message sent twice once; the replay is a duplicate that changes nothing", async () => {
    const app = await createTestParentline();
    await verifyParent(app, PARENT);
    await app.say(PARENT, "New request");
    await app.say(PARENT, "Academics");
    await app.say(PARENT, "Is there homework this week?");

    const first = await app.say(PARENT, "Send", "sim-send-1");
    expect(first.body.duplicate).toBe(false);
    expect(first.texts[0]).toMatch(/Your request T-\d+ has been sent/);
    const outboxAfterFirst = await count(app, "outbox");
    const conversationAfterFirst = await app.db.select().from(schema.conversations);

    const replay = await app.say(PARENT, "Send", "sim-send-1");
    expect(replay.body).toEqual({ replies: [], duplicate: true });
    expect(
      await app.db
        .select()
        .from(schema.inboundMessages)
        // Simulator ids are the caller's, so they are kept unique per phone.
        .where(eq(schema.inboundMessages.providerMessageId, `${PARENT}:sim-send-1`)),
    ).toHaveLength(1);
    expect(await app.db.select().from(schema.tickets)).toHaveLength(1);
    expect(await app.db.select().from(schema.ticketMessages)).toHaveLength(1);
    expect(await count(app, "outbox")).toBe(outboxAfterFirst);
    expect(await app.db.select().from(schema.conversations)).toEqual(conversationAfterFirst);
  });

  it("accepts exactly one of the same message sent twice at once", async () => {
    const app = await createTestParentline();
    const results = await Promise.all([
      app.say(PARENT, "hi", "sim-hi-1"),
      app.say(PARENT, "hi", "sim-hi-1"),
    ]);
    expect(results.map((r) => r.body.duplicate).sort()).toEqual([false, true]);
    const accepted = results.find((r) => !r.body.duplicate);
    const duplicate = results.find((r) => r.body.duplicate);
    expect(accepted?.texts.join(" ")).toContain("We sent a 6-digit code");
    expect(duplicate?.body.replies).toEqual([]);
    expect(await count(app, "inbound_messages")).toBe(1);
    expect(await count(app, "otp_codes")).toBe(1);
    expect(
      await app.db.select().from(schema.outbox).where(eq(schema.outbox.kind, "otp")),
    ).toHaveLength(1);
  });
});

describe("ordering", () => {
  it("handles two different messages from one address sent at once one after the other", async () => {
    const app = await createTestParentline();
    await verifyParent(app, PARENT);
    const [first, second] = await Promise.all([
      app.say(PARENT, "New request", "sim-order-1"),
      app.say(PARENT, "Academics", "sim-order-2"),
    ]);
    expect(first?.texts).toEqual(["What is it about?"]);
    expect(second?.texts).toEqual([
      "Please write your message about Academics for Chloe. One message is enough; include any dates or details.",
    ]);
    const [conversation] = await app.db.select().from(schema.conversations);
    // Created at "hi", then one version per message: the code, the two sent at once.
    expect(conversation?.version).toBe(3);
    // The replies were queued in the order the messages were handled.
    const replies = await app.db
      .select()
      .from(schema.outbox)
      .where(eq(schema.outbox.kind, "reply"));
    const bodies = replies.map((row) => row.body);
    expect(bodies.indexOf("What is it about?")).toBeLessThan(
      bodies.findIndex((body) => body.startsWith("Please write your message about Academics")),
    );
  });

  it("keeps each address's order while another address talks at the same time", async () => {
    const app = await createTestParentline();
    await verifyParent(app, PARENT);
    await verifyParent(app, DEMO.parentWithTwoChildren);
    const [a1, b1, a2, b2] = await Promise.all([
      app.say(PARENT, "New request"),
      app.say(DEMO.parentWithTwoChildren, "New request"),
      app.say(PARENT, "Fees"),
      app.say(DEMO.parentWithTwoChildren, "Ava (3A)"),
    ]);
    expect(a1?.texts).toEqual(["What is it about?"]);
    expect(a2?.texts[0]).toContain("Please write your message about Fees");
    expect(b1?.texts).toEqual(["Which child is this about?"]);
    expect(b2?.texts).toEqual(["What is it about?"]);
  });
});

describe("one-time codes at rest", () => {
  it("never stores a parent's code in clear, before or after it is used", async () => {
    const app = await createTestParentline();
    const first = await app.say(PARENT, "hi");
    const code = codeIn(first.texts);
    expect(first.body.replies.find((reply) => reply.kind === "otp")?.text).toContain(code);

    const [otp] = await app.db.select().from(schema.outbox).where(eq(schema.outbox.kind, "otp"));
    expect(otp).toMatchObject({ status: "sent", sealed: null });
    expect(otp?.body).toContain("{code}");
    expect(dumpDatabase(app)).not.toMatch(standalone(code));

    await app.say(PARENT, code);
    expect(dumpDatabase(app)).not.toMatch(standalone(code));
  });

  it("keeps a code waiting to be sent sealed, and erases it once sent", async () => {
    const app = await createTestParentline();
    expect((await app.json("POST", "/v1/auth/otp/request", { phone: TEACHER_5A })).status).toBe(
      202,
    );
    const [waiting] = await app.db.select().from(schema.outbox);
    expect(waiting).toMatchObject({ kind: "otp", status: "pending" });
    expect(waiting?.sealed).toEqual(expect.any(String));
    expect(waiting?.body).toContain("{code}");

    await app.dispatcher.dispatchDue();
    const history = (await (
      await app.json("GET", `/dev/chat/history?address=${encodeURIComponent(TEACHER_5A)}`)
    ).json()) as { messages: { text: string }[] };
    const code = codeIn(history.messages.map((m) => m.text));
    const [sent] = await app.db.select().from(schema.outbox);
    // The simulated phone has shown it, so it is delivered (the simulator's delivery receipt).
    expect(sent).toMatchObject({ status: "delivered", sealed: null });
    expect(sent?.body).toContain("{code}");
    expect(dumpDatabase(app)).not.toMatch(standalone(code));
    expect(dumpDatabase(app)).not.toContain(waiting?.sealed);
  });
});

describe("a conversation over a restart", () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });

  async function start(path: string, now: () => number) {
    return buildParentline(
      parseConfig({ NODE_ENV: "test", DATABASE_PATH: path, LOG_LEVEL: "silent" }),
      { db: openSqliteDatabase(path), now, logger: createLogger("silent") },
    );
  }

  async function say(parentline: Parentline, address: string, text: string) {
    const response = await parentline.app.request("/dev/chat/send", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ address, text }),
    });
    expect(response.status).toBe(200);
    return ((await response.json()) as SendBody).replies.map((reply) => reply.text);
  }

  it("carries on where it stopped when the process is replaced", async () => {
    dir = mkdtempSync(join(tmpdir(), "parentline-restart-"));
    const path = join(dir, "parentline.db");
    const clock = testClock();

    const before = await start(path, clock.now);
    expect(before.seeded).toBe(true);
    const code = codeIn(await say(before, PARENT, "hi"));
    expect((await say(before, PARENT, code))[0]).toBe("Thanks, Michael, you're verified.");
    await say(before, PARENT, "New request");
    expect(await say(before, PARENT, "Academics")).toEqual([
      expect.stringContaining("Please write your message about Academics"),
    ]);
    await before.stop();

    clock.advance(60_000);
    const after = await start(path, clock.now);
    try {
      expect(after.seeded).toBe(false);
      const summary = await say(after, PARENT, "Is there homework this week?");
      expect(summary.join(" ")).toContain("Message: Is there homework this week?");
      expect((await say(after, PARENT, "Send"))[0]).toBe(
        "Thank you. Your request T-1001 has been sent to Ms Rao, class teacher of 5A. You'll get the reply here.",
      );
      const tickets = await after.db.select().from(schema.tickets);
      expect(tickets).toHaveLength(1);
      expect(tickets[0]).toMatchObject({ category: "academics", status: "open" });
    } finally {
      await after.stop();
    }
  });
});

describe("a deploy that changes the machine", () => {
  it("apologises and starts again, keeping a verified parent verified", async () => {
    const app = await createTestParentline();
    await verifyParent(app, PARENT);
    await app.say(PARENT, "New request");
    app.db.$client.prepare("update conversations set machine_version = 0").run();

    const next = await app.say(PARENT, "hi");
    expect(next.texts[0]).toBe(
      "Sorry, we had to restart our conversation. If you were in the middle of something, please start it again.",
    );
    expect(next.texts.at(-1)).toBe("How can I help?");
    expect(next.texts.join(" ")).not.toContain("code");
    expect(await app.db.select().from(schema.otpCodes)).toHaveLength(1);
    const [conversation] = await app.db.select().from(schema.conversations);
    expect(conversation?.machineVersion).toBe(PARENT_MACHINE.version);

    // The menu works as usual afterwards, and only once is the parent told about the update.
    const menu = await app.say(PARENT, "1");
    expect(menu.texts).toEqual(["What is it about?"]);
  });
});

describe("a conversation saved by the previous machine version", () => {
  it("resumes where it was, with what the parent had written", async () => {
    const app = await createTestParentline();
    // Saved by version 2 mid-request: the parent had written a message and was asked which child.
    const saved = JSON.parse(
      readFileSync(
        new URL("../fixtures/conversations/parent-v2-picking-child.json", import.meta.url),
        "utf8",
      ),
    ) as { machine: string; machineVersion: number; snapshot: unknown };
    expect(saved.machineVersion).toBe(2);
    app.db.$client
      .prepare(
        `insert into conversations (channel, address, machine, machine_version, snapshot, created_at, updated_at)
         values ('simulator', ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        DEMO.parentWithTwoChildren,
        saved.machine,
        saved.machineVersion,
        JSON.stringify(saved.snapshot),
        app.clock.now(),
        app.clock.now(),
      );

    const next = await app.say(DEMO.parentWithTwoChildren, "1");
    expect(next.texts).toEqual(["What is it about?"]);
    const summary = await app.say(DEMO.parentWithTwoChildren, "Academics");
    expect(summary.texts[0]).toContain("Message: Please send the reading list home");
    const [conversation] = await app.db.select().from(schema.conversations);
    expect(conversation?.machineVersion).toBe(PARENT_MACHINE.version);
    expect(PARENT_MACHINE.version).toBe(3);
  });
});

describe("simulator message ids", () => {
  it("are the caller's, so the same id from two phones is two messages", async () => {
    const app = await createTestParentline();
    const one = await app.say(PARENT, "hi", "same-id");
    const other = await app.say(UNKNOWN, "hi", "same-id");
    expect(one.body.duplicate).toBe(false);
    expect(other.body.duplicate).toBe(false);
    expect((await app.say(PARENT, "hi", "same-id")).body.duplicate).toBe(true);
  });
});

describe("an unknown number", () => {
  it("is told it isn't registered and is never sent a code", async () => {
    const app = await createTestParentline();
    const first = await app.say(UNKNOWN, "hi");
    expect(first.texts).toEqual([
      expect.stringContaining("This number isn't registered with the school."),
    ]);
    const own = await app.say(UNKNOWN, UNKNOWN);
    expect(own.texts).toEqual([
      expect.stringContaining("This number isn't registered with the school."),
    ]);
    const guess = await app.say(UNKNOWN, "ADM-0000");
    expect(guess.texts[0]).toContain("isn't registered");
    for (const { body } of [first, own, guess]) {
      expect(body.replies.map((reply) => reply.kind)).toEqual(["reply"]);
    }
    expect(await app.db.select().from(schema.outbox).where(eq(schema.outbox.kind, "otp"))).toEqual(
      [],
    );
    expect(await app.db.select().from(schema.otpCodes)).toEqual([]);
  });

  it("cannot have a code sent by asking for staff sign-in either", async () => {
    const app = await createTestParentline();
    const response = await app.json("POST", "/v1/auth/otp/request", { phone: UNKNOWN });
    expect(response.status).toBe(202);
    await app.dispatcher.dispatchDue();
    expect(await app.db.select().from(schema.outbox).where(eq(schema.outbox.kind, "otp"))).toEqual(
      [],
    );
  });
});
