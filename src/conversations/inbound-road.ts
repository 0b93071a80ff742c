// The road every inbound message takes: dedupe, restore the conversation, run the machine until it
// waits, then one atomic write of the dedupe key, the new snapshot (version-checked), the domain
// changes and an outbox row per reply. Messages from one address are handled one at a time; the
// writes of steps that finish in the same event-loop turn share a transaction (db/group-commit.ts),
// each step still all or nothing.
import { and, eq, isNull } from "drizzle-orm";
import type { AnyStateMachine, Snapshot } from "xstate";
import { commitEachAlone, type GroupCommit, schema, WriteConflict } from "../../db";
import {
  catalogFor,
  isGreeting,
  isThanks,
  PARENT_MACHINE,
  type ParentEvent,
  parentEventFrom,
  parentMachine,
  type SayEvent,
  type VerifiedGuardian,
} from "../../flows/parent";
import {
  isStaffCommand,
  STAFF_MACHINE,
  type StaffEvent,
  staffEventFrom,
  staffMachine,
} from "../../flows/staff";
import type { Channel, InboundMessage, InboundOutcome, InlineReply } from "../contracts";
import { FLOOD_REPEAT_MS, FLOOD_WINDOW_MS, isFlooding, limitsFromSettings } from "../domain";
import { maskPhone } from "../logger";
import { planOutboxMessage } from "../outbox/enqueue";
import { inlineAnswerTo } from "../outbox/inline-take";
import { planOptOut } from "../outbox/opt-outs";
import { UnitOfWork } from "../outbox/unit-of-work";
import { planAudit } from "../services/audit";
import type { ConversationSignal, StepAddress } from "../services/conversation-signal";
import type { ServiceDeps } from "../services/deps";
import { alertReferenceOf } from "../services/ticket-chat";
import { carrierDecision, carrierKeywordIn } from "./carrier-keywords";
import { KeyedQueue } from "./keyed-queue";
import { prepareNoticeAnswers } from "./notice-answers";
import { formatTime } from "./parent-dates";
import { parentEffects } from "./parent-effects";
import { prepareRoadStatements, type StoredConversation } from "./road-statements";
import { runUntilWaiting, SnapshotNotRestored } from "./run-until-waiting";
import { prepareStaffAddressProbe, staffEffects } from "./staff-effects";
import { bindStep, unbindStep } from "./step-context";
import { timedStep } from "./step-timing";
import { ticketChatEffects } from "./ticket-chat-effects";

const { guardians } = schema;

/** How often a step is re-run after losing a race on the conversation's version. */
const MAX_VERSION_RETRIES = 3;

export interface InboundRoad extends ConversationSignal {
  receive(message: InboundMessage, inline?: InlineReply): Promise<InboundOutcome>;
  /** Resolves once every message already received has been handled. */
  drain(): Promise<void>;
}

const rejected: InboundOutcome = { accepted: false, outboxIds: [] };

/**
 * On SMS every message is paid for: a statement that asks nothing ("you're verified", a ticket's
 * reference) rides in one message with the question or menu that follows it.
 */
function joinedForSms(said: SayEvent[]): SayEvent[] {
  const joined: SayEvent[] = [];
  for (const reply of said) {
    const last = joined.at(-1);
    if (last && !last.options?.length) {
      const quoted = [...(last.quoted ?? []), ...(reply.quoted ?? [])];
      joined[joined.length - 1] = {
        ...reply,
        text: `${last.text}\n\n${reply.text}`,
        ...(quoted.length ? { quoted } : {}),
      };
    } else joined.push(reply);
  }
  return joined;
}

/** The verified guardian a persisted snapshot carries, if any. */
const guardianIn = (snapshot: unknown): VerifiedGuardian | null =>
  (snapshot as { context?: { guardian?: VerifiedGuardian | null } } | undefined)?.context
    ?.guardian ?? null;

/** The language a snapshot's person reads: the guardian's, or the one they switched to. */
const languageIn = (snapshot: unknown): string | undefined => {
  const context = (snapshot as { context?: { language?: string } } | undefined)?.context;
  return guardianIn(snapshot)?.language ?? context?.language;
};

/** The school of whoever a snapshot verified (a guardian, or a staff member), for its replies. */
const schoolIn = (snapshot: unknown): number | null => {
  const context = (snapshot as { context?: Record<string, { schoolId?: number } | null> })?.context;
  return context?.guardian?.schoolId ?? context?.staff?.schoolId ?? null;
};

/** A conversation machine by the name its snapshots carry: the parent's, or the staff member's. */
interface ConversationMachine {
  name: string;
  version: number;
  /** Older versions whose snapshots this machine restores as they are. */
  restores?: readonly number[];
  machine: AnyStateMachine;
}

export interface RoadDeps extends ServiceDeps {
  /** The channels that are on, by name: the road asks which of them hear carrier keywords. */
  channels?: ReadonlyMap<string, Channel>;
  /**
   * How steps commit: Node shares one transaction among the steps of an event-loop turn
   * (db/group-commit.ts); without it (a Durable Object) each step commits alone.
   */
  groupCommit?: GroupCommit;
}

export function createInboundRoad(deps: RoadDeps): InboundRoad {
  const queue = new KeyedQueue();
  const parent: ConversationMachine = {
    ...PARENT_MACHINE,
    machine: parentMachine.provide({ actors: parentEffects(deps) }),
  };
  const staff: ConversationMachine = {
    ...STAFF_MACHINE,
    machine: staffMachine.provide({
      actors: { ...staffEffects(deps), ...ticketChatEffects(deps, () => road) },
    }),
  };
  const startsAsStaff = prepareStaffAddressProbe(deps);
  const statements = prepareRoadStatements(deps.db);
  const answerNotice = prepareNoticeAnswers(deps);
  // Steps of different addresses that finish in the same turn share one transaction.
  const group = deps.groupCommit ?? commitEachAlone(deps.db);
  const idleMs = deps.config.conversationIdleMinutes * 60_000;

  /**
   * The flooding guardrail: past the school's limit of messages in 5 minutes (counted by the step's
   * reads), messages are recorded but neither processed nor counted, so they cannot extend the
   * pause. The first one in a pause gets one kind answer; the rest get none, until the window
   * calms.
   */
  function floodState(
    guardian: VerifiedGuardian | null,
    reads: { recent: number; pauseAnswered: boolean },
  ) {
    const limits = limitsFromSettings(guardian ? statements.schoolSettings(guardian.schoolId) : {});
    if (!isFlooding(limits, reads.recent)) return "calm" as const;
    return reads.pauseAnswered ? ("paused" as const) : ("just-paused" as const);
  }

  /** The one answer a pause gets: until when (in the school's zone) and the office's phone. */
  function pauseNotice(snapshot: unknown, until: number): SayEvent {
    const guardian = guardianIn(snapshot);
    const schoolId = schoolIn(snapshot);
    const school = schoolId ? statements.schoolContact(schoolId) : undefined;
    const officePhone =
      school?.officePhone ??
      (snapshot as { context?: { officePhone?: string } } | undefined)?.context?.officePhone ??
      "";
    const text = catalogFor(languageIn(snapshot)).floodPaused({
      until: formatTime(until, school?.timezone ?? "UTC", guardian?.language),
      officePhone,
    });
    return { type: "say", text };
  }

  function planFlag(uow: UnitOfWork, guardian: VerifiedGuardian, now: number) {
    const reason = "flooding: paused twice within a day";
    uow.plan(
      deps.db
        .update(guardians)
        .set({ flaggedAt: now, flagReason: reason })
        .where(and(eq(guardians.id, guardian.guardianId), isNull(guardians.flaggedAt))),
    );
    planAudit(deps, uow, {
      schoolId: guardian.schoolId,
      actorType: "system",
      action: "guardian.flag",
      entity: "guardian",
      entityId: String(guardian.guardianId),
      after: { reason },
    });
  }

  /**
   * Runs a conversation machine for one event; returns the new snapshot and what it said. A stored
   * conversation of the other machine is not restored: the address switches conversations.
   */
  async function runStep(
    uow: UnitOfWork,
    here: StepAddress,
    stored: StoredConversation | undefined,
    event: { type: string },
    now: number,
    { machine, name, version, restores = [] }: ConversationMachine = parent,
    messageKey?: string,
  ) {
    const compatible =
      stored?.machine === name &&
      (stored.machineVersion === version || restores.includes(stored.machineVersion));
    const switching = stored !== undefined && stored.machine !== name && isKnown(stored.machine);
    const events: { type: string }[] = [];
    const fromPerson = event.type === "message" || event.type.startsWith("command.");
    if (fromPerson && compatible && now - stored.updatedAt >= idleMs) events.push({ type: "idle" });
    events.push(event);
    const run = (snapshot: Snapshot<unknown> | undefined, sent: { type: string }[]) =>
      runUntilWaiting<SayEvent, { type: string }, StepAddress>({
        machine,
        snapshot,
        input: here,
        events: sent,
        beforeStart: (actor) =>
          bindStep(actor.system, { uow, here, ...(messageKey ? { messageKey } : {}) }),
        afterStop: (actor) => unbindStep(actor.system),
      });
    const restart = () =>
      restartConversation(stored as StoredConversation, event, run, name === parent.name);
    const done = (step: { snapshot: Snapshot<unknown>; said: SayEvent[] }) => ({
      snapshot: step.snapshot,
      said: step.said,
      machine: { name, version },
    });
    if (stored && !compatible && !switching) {
      deps.log.warn(
        { machine: stored.machine, machineVersion: stored.machineVersion, version },
        "saved conversation is of a machine version this one does not restore; starting again",
      );
      return done(await restart());
    }
    try {
      return done(
        await run(compatible ? (stored.snapshot as Snapshot<unknown>) : undefined, events),
      );
    } catch (error) {
      if (!(error instanceof SnapshotNotRestored)) throw error;
      deps.log.warn(
        { machine: name, version, reason: String(error.reason) },
        "saved conversation could not be restored; starting again",
      );
      return done(await restart());
    }
  }

  /**
   * A saved conversation the machine cannot load: apologise in the person's language and start a
   * fresh conversation with the message as its first input (a verified parent is recognised by
   * the verified link, which is kept, and lands on the menu). A parent's words beyond a greeting
   * are then handled at the menu as if typed there, so what they wrote is not lost.
   */
  async function restartConversation(
    stored: StoredConversation,
    event: { type: string },
    run: (
      snapshot: Snapshot<unknown> | undefined,
      events: { type: string }[],
    ) => Promise<{ snapshot: Snapshot<unknown>; said: SayEvent[] }>,
    isParent: boolean,
  ) {
    const apology: SayEvent = {
      type: "say",
      text: catalogFor(languageIn(stored.snapshot)).conversationRestarted(),
    };
    const first = await run(undefined, [event]);
    const text =
      event.type === "message" ? String((event as { text?: unknown }).text ?? "").trim() : "";
    const atMenu =
      JSON.stringify((first.snapshot as { value?: unknown }).value) ===
      JSON.stringify({ verified: "menu" });
    if (!isParent || !atMenu || text === "" || isGreeting(text) || isThanks(text)) {
      return { snapshot: first.snapshot, said: [apology, ...first.said] };
    }
    // The message answers the menu, so the menu itself is not shown before what it leads to.
    const second = await run(first.snapshot, [event]);
    const greeting = first.said.filter((say) => !say.options?.length);
    return { snapshot: second.snapshot, said: [apology, ...greeting, ...second.said] };
  }

  const isKnown = (name: string) => name === parent.name || name === staff.name;

  /**
   * One message through the conversation the address is in. Staff commands, and a first message
   * from a staff address, go to the staff conversation; when it hands over (the member chose the
   * parent menu, or is no staff after all) the parent conversation answers the same step. Parents'
   * messages pay one regular-expression test for this.
   */
  async function converse(
    uow: UnitOfWork,
    here: StepAddress,
    stored: StoredConversation | undefined,
    message: InboundMessage,
    now: number,
  ) {
    // A reply to a ticket alert answers that ticket, whichever conversation the address is in.
    const alerted = message.replyTo ? alertReferenceOf(deps, here, message.replyTo) : null;
    const toStaff =
      alerted !== null ||
      stored?.machine === staff.name ||
      isStaffCommand(message.text) ||
      (stored === undefined && startsAsStaff(here, now));
    if (!toStaff) {
      const event = parentEventFrom({
        text: message.text,
        ...(message.contact ? { sharedPhone: message.contact.phone } : {}),
        ...(message.media ? { media: message.media } : {}),
      });
      return runStep(uow, here, stored, event, now);
    }
    const said = staffEventFrom({
      text: message.text,
      ...(message.contact ? { sharedPhone: message.contact.phone } : {}),
      ...(message.media ? { media: message.media } : {}),
    });
    // Commands keep their meaning in a reply; any other text is the answer.
    const staffEvent: StaffEvent =
      alerted !== null && said.type === "message"
        ? { type: "command.ticket", action: "reply", reference: alerted, text: message.text }
        : said;
    const messageKey = `${message.channel}:${message.providerMessageId}`;
    const staffStep = await runStep(uow, here, stored, staffEvent, now, staff, messageKey);
    if ((staffStep.snapshot as { status?: string }).status !== "done") return staffStep;
    // Handed over: the parent conversation carries on (or starts) at its menu.
    const parentStored = stored?.machine === parent.name ? stored : undefined;
    const parentStep = await runStep(uow, here, parentStored, { type: "command.menu" }, now);
    return { ...parentStep, said: [...staffStep.said, ...parentStep.said] };
  }

  function planSnapshot(
    uow: UnitOfWork,
    here: StepAddress,
    stored: StoredConversation | undefined,
    step: { snapshot: Snapshot<unknown>; machine: { name: string; version: number } },
    now: number,
  ) {
    const { snapshot } = step;
    const columns = { machine: step.machine.name, machineVersion: step.machine.version, now };
    // The insert's placeholders go through the column's JSON encoder; the update's raw SQL
    // placeholders do not, so it is given the JSON text.
    uow.plan(
      stored
        ? {
            run: () =>
              statements.updateConversation.run({
                ...columns,
                snapshot: JSON.stringify(snapshot),
                id: stored.id,
                version: stored.version,
              }),
          }
        : { run: () => statements.insertConversation.run({ ...here, ...columns, snapshot }) },
      { guard: "conversation-version" },
    );
  }

  function planReplies(
    uow: UnitOfWork,
    here: StepAddress,
    schoolId: number | null,
    said: SayEvent[],
    kind: "reply" | "opt_out" = "reply",
  ) {
    for (const reply of here.channel === "sms" ? joinedForSms(said) : said) {
      planOutboxMessage(deps, uow, {
        schoolId,
        ...here,
        kind,
        body: reply.text,
        ...(reply.options ? { options: reply.options } : {}),
        ...(reply.quoted ? { quoted: reply.quoted } : {}),
      });
    }
  }

  function committed(uow: UnitOfWork): InboundOutcome {
    // A step answered wholly inline (Twilio's usual case) gives the dispatcher nothing to look for.
    if (uow.leftForDispatcher > 0) deps.outboxQueued?.();
    return { accepted: true, outboxIds: [...uow.outboxIds].sort((a, b) => a - b) };
  }

  async function handle(
    message: InboundMessage,
    attempt: number,
    inline: InlineReply | undefined,
  ): Promise<InboundOutcome> {
    const here = { channel: message.channel, address: message.address };
    const now = deps.now();
    const reads = statements.stepReads({
      ...here,
      id: message.providerMessageId,
      since: now - FLOOD_WINDOW_MS,
      dayAgo: now - FLOOD_REPEAT_MS,
    });
    const { seen, oldestRecent, optedOut, stored } = reads;
    if (seen) return rejected;
    const guardian = guardianIn(stored?.snapshot);
    const flood = floodState(guardian, reads);
    const uow = new UnitOfWork();
    const counted = flood === "calm" ? 1 : 0;
    uow.plan(
      {
        run: () =>
          statements.insertInbound.run({
            ...here,
            id: message.providerMessageId,
            receivedAt: now,
            counted,
          }),
      },
      { guard: "inbound-dedupe" },
    );

    const carrier = carrierStep(uow, message, { guardian, optedOut, now });
    if (carrier !== "converse") {
      if (carrier.length > 0)
        planReplies(uow, here, schoolIn(stored?.snapshot), carrier, "opt_out");
      return commitStep(uow, message, { attempt, inline, handledBy: "carrier keyword" });
    }
    let said: SayEvent[] = [];
    let schoolId = schoolIn(stored?.snapshot);
    // An answer to an attendance notice becomes a ticket; the conversation is left as it was.
    const answered = flood === "calm" ? await answerNotice(uow, here, stored, message, now) : null;
    if (answered) {
      said = answered.said;
      schoolId = answered.schoolId;
    } else if (flood === "calm") {
      const step = await converse(uow, here, stored, message, now);
      said = step.said;
      schoolId = schoolIn(step.snapshot);
      planSnapshot(uow, here, stored, step, now);
    } else if (flood === "just-paused") {
      said = [pauseNotice(stored?.snapshot, (oldestRecent ?? now) + FLOOD_WINDOW_MS)];
      // A busy parent can trip one pause; a second within a day is abuse, and staff should know.
      if (guardian && reads.pausedBefore) planFlag(uow, guardian, now);
    }
    planReplies(uow, here, schoolId, said);
    return commitStep(uow, message, {
      attempt,
      inline,
      handledBy: flood === "calm" ? "conversation" : "flood pause",
    });
  }

  /**
   * Lets the webhook answer the step's replies to the address that wrote inline, if it is still
   * waiting when the step writes: they are inserted already sent, in the step's own commit.
   */
  function planInlineAnswer(uow: UnitOfWork, here: StepAddress, inline: InlineReply) {
    const answer = inlineAnswerTo(deps.db, here, inline.waiting);
    uow.answerInline((row) => {
      try {
        return answer(row);
      } catch (error) {
        // The dispatcher sends what the webhook could not answer; the step still commits.
        deps.log.error({ err: error }, "inline reply left to the dispatcher");
        return null;
      }
    });
  }

  /** Commits a step's unit of work; a lost version race re-runs the whole step. */
  async function commitStep(
    uow: UnitOfWork,
    message: InboundMessage,
    step: { attempt: number; inline: InlineReply | undefined; handledBy: string },
  ): Promise<InboundOutcome> {
    const here = { channel: message.channel, address: message.address };
    if (step.inline) planInlineAnswer(uow, here, step.inline);
    try {
      await uow.commitIn(group);
    } catch (error) {
      if (error instanceof WriteConflict) {
        if (error.guard === "inbound-dedupe") return rejected;
        if (step.attempt < MAX_VERSION_RETRIES)
          return handle(message, step.attempt + 1, step.inline);
      }
      throw error;
    }
    deps.log.info(
      {
        channel: message.channel,
        address: maskPhone(message.address),
        queued: uow.outboxIds.length,
        inline: uow.answeredInline.length,
        handledBy: step.handledBy,
      },
      "inbound message handled",
    );
    const { answeredInline, suppressedInline } = uow;
    if (answeredInline.length)
      deps.metrics?.outboxSends.inc(
        { channel: here.channel, result: "sent" },
        answeredInline.length,
      );
    if (suppressedInline)
      deps.metrics?.outboxSends.inc({ channel: here.channel, result: "dead" }, suppressedInline);
    return { ...committed(uow), ...(step.inline ? { inlineReplies: answeredInline } : {}) };
  }

  /**
   * STOP/START on channels that hear carrier keywords: plans the opt-out change and returns the
   * confirmation to send (none while ignoring an opted-out address), or "converse".
   */
  function carrierStep(
    uow: UnitOfWork,
    message: InboundMessage,
    sender: { guardian: VerifiedGuardian | null; optedOut: boolean; now: number },
  ): SayEvent[] | "converse" {
    if (!deps.channels?.get(message.channel)?.capabilities.carrierKeywords) return "converse";
    const here = { channel: message.channel, address: message.address };
    const decision = carrierDecision(carrierKeywordIn(message.text), sender.optedOut);
    if (decision === "converse") return "converse";
    if (decision === "ignore") return [];
    planOptOut(deps.db, uow, here, decision === "opt-out", sender.now);
    const catalog = catalogFor(sender.guardian?.language);
    const text = decision === "opt-out" ? catalog.optedOut() : catalog.optedIn();
    return [{ type: "say", text }];
  }

  async function signal(
    here: StepAddress,
    event: ParentEvent,
    planAlongside: (uow: UnitOfWork) => void,
    attempt: number,
  ): Promise<InboundOutcome> {
    const now = deps.now();
    const stored = statements.findConversation(here);
    const uow = new UnitOfWork();
    planAlongside(uow);
    // A parent matter (a resolved ticket) reaches an address in the staff conversation: the
    // address switches to the parent conversation, which asks for the rating.
    const step = await runStep(uow, here, stored, event, now);
    planSnapshot(uow, here, stored, step, now);
    planReplies(uow, here, schoolIn(step.snapshot), step.said);
    try {
      await uow.commitIn(group);
    } catch (error) {
      const lostRace = error instanceof WriteConflict && error.guard === "conversation-version";
      if (lostRace && attempt < MAX_VERSION_RETRIES)
        return signal(here, event, planAlongside, attempt + 1);
      throw error;
    }
    return committed(uow);
  }

  const keyOf = (contact: StepAddress) => `${contact.channel}:${contact.address}`;
  const road: InboundRoad = {
    receive: async (message, inline) => {
      const outcome = await queue.run(keyOf(message), () =>
        timedStep(() => handle(message, 0, inline)),
      );
      deps.metrics?.inboundMessages.inc({
        channel: message.channel,
        outcome: outcome.accepted ? "handled" : "duplicate",
      });
      return outcome;
    },
    signal: (contact, event, planAlongside) =>
      queue.run(keyOf(contact), () => signal(contact, event, planAlongside, 0)),
    drain: () => queue.drain(),
  };
  return road;
}
