// The road every inbound message takes: dedupe, restore the conversation, run the machine until it
// waits, then one atomic write of the dedupe key, the new snapshot (version-checked), the domain
// changes and an outbox row per reply. Messages from one address are handled one at a time.
import { and, eq } from "drizzle-orm";
import type { Snapshot } from "xstate";
import { schema, WriteConflict } from "../../db";
import {
  catalogFor,
  PARENT_MACHINE,
  parentEventFrom,
  parentMachine,
  type SayEvent,
} from "../../flows/parent";
import type { InboundMessage, InboundOutcome } from "../contracts";
import { maskPhone } from "../logger";
import { planOutboxMessage } from "../outbox/enqueue";
import type { ServiceDeps } from "../services/deps";
import { UnitOfWork } from "../services/unit-of-work";
import { KeyedQueue } from "./keyed-queue";
import { parentEffects } from "./parent-effects";
import { runUntilWaiting } from "./run-until-waiting";

const { conversations, inboundMessages } = schema;

/** How often a step is re-run after losing a race on the conversation's version. */
const MAX_VERSION_RETRIES = 3;

export interface InboundRoad {
  receive(message: InboundMessage): Promise<InboundOutcome>;
  /** Resolves once every message already received has been handled. */
  drain(): Promise<void>;
}

const rejected: InboundOutcome = { accepted: false, outboxIds: [] };

export function createInboundRoad(deps: ServiceDeps): InboundRoad {
  const queue = new KeyedQueue();

  async function isReplay(message: InboundMessage) {
    const [seen] = await deps.db
      .select({ id: inboundMessages.providerMessageId })
      .from(inboundMessages)
      .where(
        and(
          eq(inboundMessages.channel, message.channel),
          eq(inboundMessages.providerMessageId, message.providerMessageId),
        ),
      );
    return seen !== undefined;
  }

  async function handle(message: InboundMessage, attempt: number): Promise<InboundOutcome> {
    if (await isReplay(message)) return rejected;
    const here = { channel: message.channel, address: message.address };
    const [stored] = await deps.db
      .select()
      .from(conversations)
      .where(and(eq(conversations.channel, here.channel), eq(conversations.address, here.address)));
    const compatible =
      stored?.machine === PARENT_MACHINE.name && stored.machineVersion === PARENT_MACHINE.version;

    const uow = new UnitOfWork();
    const now = deps.now();
    const machine = parentMachine.provide({ actors: parentEffects(deps, uow, here) });
    const event = parentEventFrom({
      text: message.text,
      ...(message.contact ? { sharedPhone: message.contact.phone } : {}),
      ...(message.media ? { media: message.media } : {}),
    });
    const said: SayEvent[] = [];
    if (stored && !compatible) {
      // A deploy changed the machine: start again at the beginning (the verified link is kept, so
      // a verified parent lands on the menu) rather than restore a snapshot it cannot read.
      said.push({ type: "say", text: catalogFor(undefined).conversationRestarted() });
    }
    const step = await runUntilWaiting<SayEvent, typeof event, typeof here>({
      machine,
      snapshot: compatible ? (stored.snapshot as Snapshot<unknown>) : undefined,
      input: here,
      event,
    });
    said.push(...step.said);

    uow.plan(
      deps.db
        .insert(inboundMessages)
        .values({ ...here, providerMessageId: message.providerMessageId, receivedAt: now })
        .onConflictDoNothing(),
      { guard: "inbound-dedupe" },
    );
    const snapshotColumns = {
      machine: PARENT_MACHINE.name,
      machineVersion: PARENT_MACHINE.version,
      snapshot: step.snapshot,
      updatedAt: now,
    };
    uow.plan(
      stored
        ? deps.db
            .update(conversations)
            .set({ ...snapshotColumns, version: stored.version + 1 })
            .where(and(eq(conversations.id, stored.id), eq(conversations.version, stored.version)))
        : deps.db
            .insert(conversations)
            .values({ ...here, ...snapshotColumns, createdAt: now })
            .onConflictDoNothing(),
      { guard: "conversation-version" },
    );
    const schoolId =
      (step.snapshot as { context?: { guardian?: { schoolId?: number } | null } }).context?.guardian
        ?.schoolId ?? null;
    for (const reply of said) {
      planOutboxMessage(deps, uow, {
        schoolId,
        ...here,
        kind: "reply",
        body: reply.text,
        ...(reply.options ? { options: reply.options } : {}),
      });
    }

    try {
      await uow.commit(deps.db);
    } catch (error) {
      if (error instanceof WriteConflict) {
        if (error.guard === "inbound-dedupe") return rejected;
        if (attempt < MAX_VERSION_RETRIES) return handle(message, attempt + 1);
      }
      throw error;
    }
    const outboxIds = [...uow.outboxIds].sort((a, b) => a - b);
    deps.log.info(
      { channel: here.channel, address: maskPhone(here.address), queued: outboxIds.length },
      "inbound message handled",
    );
    deps.outboxQueued?.();
    return { accepted: true, outboxIds };
  }

  return {
    receive: (message) =>
      queue.run(`${message.channel}:${message.address}`, () => handle(message, 0)),
    drain: () => queue.drain(),
  };
}
