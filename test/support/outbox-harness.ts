// A real (in-memory) database, one or more fake channels and a dispatcher over them on a test clock:
// what the outbox tests drive.
import { eq } from "drizzle-orm";
import { vi } from "vitest";
import { schema } from "../../db";
import type { NodeDatabase } from "../../db/node";
import type { Channel, OutboundMessage, SendReceipt } from "../../src/contracts";
import { createLogger } from "../../src/logger";
import { type DispatcherOptions, OutboxDispatcher, type OutboxDraft } from "../../src/outbox";
import { planOutboxMessage } from "../../src/outbox/enqueue";
import { inlineAnswerTo } from "../../src/outbox/inline-take";
import { UnitOfWork } from "../../src/outbox/unit-of-work";
import { createSecrets } from "../../src/security";
import { testClock } from "./parentline";
import { openTestDatabase } from "./test-runtime";

const { outbox } = schema;
export const PHONE = "+14155550102";

/** A channel whose send succeeds with "provider-<outbox id>" until a test says otherwise. */
export function fakeChannel(overrides: Partial<Channel> = {}) {
  const send = vi.fn(
    async (message: OutboundMessage): Promise<SendReceipt> => ({
      providerMessageId: `provider-${message.outboxId}`,
    }),
  );
  const channel: Channel = {
    name: "simulator",
    capabilities: {
      buttons: true,
      readReceipts: false,
      inlineReply: true,
      phoneAddressed: true,
      maxTextLength: 4096,
      carrierKeywords: false,
    },
    limits: { perSecond: 1000 },
    send,
    ...overrides,
  };
  return { channel, send };
}

/** Over `options.db` when given (a database reopened after a restart), else a new one. */
export function outboxHarness(
  options: Partial<DispatcherOptions> = {},
  extraChannels: Channel[] = [],
) {
  const db = (options.db as NodeDatabase | undefined) ?? openTestDatabase();
  const secrets = createSecrets("x".repeat(32));
  const clock = testClock();
  const { channel, send } = fakeChannel();
  const dispatcher = new OutboxDispatcher({
    db,
    channels: new Map([channel, ...extraChannels].map((c) => [c.name, c])),
    secrets,
    log: createLogger("silent"),
    now: clock.now,
    owner: "dispatcher-under-test",
    leaseMs: 30_000,
    maxAttempts: 3,
    ...options,
  });

  const draftOf = (draft: Partial<OutboxDraft>): OutboxDraft => ({
    schoolId: null,
    channel: "simulator",
    address: PHONE,
    kind: "reply",
    body: "Hello",
    ...draft,
  });

  /** Queues one row the way the services do; `at` is when it was queued (and first due). */
  async function enqueue(draft: Partial<OutboxDraft> = {}, at = clock.now()): Promise<number> {
    const uow = new UnitOfWork();
    planOutboxMessage({ db, secrets, now: () => at }, uow, draftOf(draft));
    await uow.commit(db);
    const [id] = uow.outboxIds;
    if (id === undefined) throw new Error("no outbox row was queued");
    return id;
  }

  async function row(id: number) {
    const [found] = await db.select().from(outbox).where(eq(outbox.id, id));
    if (!found) throw new Error(`no outbox row ${id}`);
    return found;
  }

  const sentIds = () => send.mock.calls.map(([message]) => message.outboxId);

  /**
   * Queues rows in one write, as a step does when a webhook from `to` waits to answer inline:
   * returns the ids queued and the messages answered inline.
   */
  async function enqueueAnswered(
    to: { channel: string; address: string },
    drafts: Partial<OutboxDraft>[],
  ) {
    const uow = new UnitOfWork();
    uow.answerInline(inlineAnswerTo(db, to, () => true));
    for (const draft of drafts)
      planOutboxMessage({ db, secrets, now: clock.now }, uow, draftOf(draft));
    await uow.commit(db);
    return { ids: uow.outboxIds, answered: uow.answeredInline };
  }

  return { db, secrets, clock, send, dispatcher, enqueue, enqueueAnswered, row, sentIds };
}
