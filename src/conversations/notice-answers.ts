// A parent's answer to an attendance notice: the first message from the address the notice went
// to (or another verified chat of the same guardian), within a day and while the parent is not in
// the middle of something, becomes an Attendance ticket on that child, made and routed as the
// parent conversation makes one.
import { and, eq, isNull, sql } from "drizzle-orm";
import { schema } from "../../db";
import {
  catalogFor,
  matchOption,
  type Option,
  PARENT_MACHINE,
  parentEventFrom,
  type SayEvent,
} from "../../flows/parent";
import { childNamedIn, isGreeting, isThanks } from "../../flows/parent/options";
import type { InboundMessage } from "../contracts";
import type { UnitOfWork } from "../outbox/unit-of-work";
import { schoolEventCatalogFor } from "../school-events/catalog";
import type { StepAddress } from "../services/conversation-signal";
import type { ServiceDeps } from "../services/deps";
import { planParentTicket } from "../services/tickets";
import type { StoredConversation } from "./road-statements";

const { schoolEventNotices } = schema;

/** How long after an attendance notice a parent's message is taken as the answer to it. */
export const NOTICE_ANSWER_WINDOW_MS = 24 * 60 * 60_000;

interface OpenNotice {
  id: number;
  schoolId: number;
  guardianId: number;
  studentId: number;
  child: string;
  language: string;
}

/** The choices the conversation's last question offered (the menu's, at rest). */
const offeredIn = (stored: StoredConversation | undefined): Option[] =>
  (stored?.snapshot as { context?: { offered?: Option[] } } | undefined)?.context?.offered ?? [];

/** Where a parent's message belongs to the conversation rather than to a notice. */
function isAtRest(stored: StoredConversation | undefined, now: number, idleMs: number): boolean {
  if (!stored) return true;
  if (stored.machine !== PARENT_MACHINE.name) return false;
  if (now - stored.updatedAt >= idleMs) return true;
  const value = (stored.snapshot as { value?: unknown } | undefined)?.value;
  return (
    value === "new" ||
    (typeof value === "object" &&
      value !== null &&
      (value as Record<string, unknown>).verified === "menu")
  );
}

export function prepareNoticeAnswers(deps: ServiceDeps) {
  // The newest unanswered attendance notices sent to this address, or to the guardian this
  // address is a verified chat of (a notice that fell back to SMS, an answer from another app).
  const openNotice = deps.db.$client.prepare<
    { channel: string; address: string; since: number; now: number },
    OpenNotice
  >(
    `select n.id, n.school_id as schoolId, n.guardian_id as guardianId, n.student_id as studentId,
            s.first_name as child, g.language
       from (select * from school_event_notices
              where channel = @channel and address = @address and answer_ticket_id is null
                and created_at > @since
             union
             select * from school_event_notices
              where guardian_id in (select guardian_id from channel_identities
                                     where channel = @channel and address = @address
                                       and verified_at is not null
                                       and (expires_at is null or expires_at > @now))
                and answer_ticket_id is null and created_at > @since) as n
       join students s on s.id = n.student_id
       join guardians g on g.id = n.guardian_id
      where n.type = 'attendance.marked'
      order by n.created_at desc, n.id desc limit 10`,
  );
  const idleMs = deps.config.conversationIdleMinutes * 60_000;

  /**
   * Plans the ticket when the message answers a notice, and returns what to say and the school;
   * null when it is an ordinary message for the conversation.
   */
  return async function answerNotice(
    uow: UnitOfWork,
    here: StepAddress,
    stored: StoredConversation | undefined,
    message: InboundMessage,
    now: number,
  ): Promise<{ said: SayEvent[]; schoolId: number } | null> {
    const event = parentEventFrom({
      text: message.text,
      ...(message.media ? { media: message.media } : {}),
    });
    if (event.type !== "message" || isGreeting(event.text) || isThanks(event.text)) return null;
    if (!isAtRest(stored, now, idleMs)) return null;
    // "1" or "New request" at the menu picks from it: that is the parent using the bot.
    if (matchOption(event.text, offeredIn(stored)) !== null) return null;
    const open = openNotice.all({ ...here, since: now - NOTICE_ANSWER_WINDOW_MS, now });
    // A family told about two children answers about the one they name, else the newest notice;
    // each child's newest notice stands for them.
    const newestPerChild = [...new Map(open.reverse().map((n) => [n.studentId, n])).values()];
    const notice =
      childNamedIn(
        event.text,
        newestPerChild.map((candidate) => ({ ...candidate, name: candidate.child })),
      ) ?? open.at(-1);
    if (!notice) return null;
    const result = await planParentTicket(deps, uow, {
      guardianId: notice.guardianId,
      schoolId: notice.schoolId,
      studentId: notice.studentId,
      category: "attendance",
      text: event.text,
      media: event.media ?? [],
      ...here,
    });
    const reference = result.status === "created" ? result.reference : result.keptIn;
    if (!reference) return null;
    const number = Number(reference.slice("T-".length));
    // Guarded: a second message racing this one finds the notice answered and goes to the chat.
    uow.plan(
      deps.db
        .update(schoolEventNotices)
        .set({
          answerTicketId: sql`(select id from tickets where school_id = ${notice.schoolId} and number = ${number})`,
        })
        .where(
          and(eq(schoolEventNotices.id, notice.id), isNull(schoolEventNotices.answerTicketId)),
        ),
      { guard: "notice-unanswered" },
    );
    const parent = catalogFor(notice.language);
    const text =
      result.status === "created"
        ? schoolEventCatalogFor(notice.language).answerTaken({
            child: notice.child,
            reference,
            assignee: parent.assignee(result.assignee),
          })
        : parent.keptInRequest({ reference });
    return { said: [{ type: "say", text }], schoolId: notice.schoolId };
  };
}
