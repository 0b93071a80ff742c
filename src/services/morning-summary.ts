// The morning summary in the staff chat: on school days at the school's summary time
// (settings.morningSummaryTime, default 07:30 local), each member with a linked chat and alerts
// not off gets their open tickets, the longest-waiting parent first, each with the parent messages
// that came while their alerts were held, and the held tickets someone else resolved meanwhile.
// It stands in for the alerts their quiet hours (or their choice of "summary") held back. One per
// member per day: the mark is written with the message, guarded on the mark read.
import { and, eq, isNull, lt, or } from "drizzle-orm";
import { schema, WriteConflict } from "../../db";
import {
  alertPreferencesFrom,
  dueMorningSummaryAt,
  memberQuietHours,
  morningSummary,
  sendableAt,
} from "../domain";
import { planOutboxMessage } from "../outbox/enqueue";
import { UnitOfWork } from "../outbox/unit-of-work";
import { staffChatOf } from "./announcement-completion";
import type { ServiceDeps } from "./deps";
import { staffDisplayName } from "./directory";
import { heldMessagesByReference, resolvedWhileHeld } from "./held-alerts";
import { myOpenTickets } from "./my-open-tickets";
import { planSentMark } from "./staff-sent-marks";

const { schools, staff } = schema;

/** How far back a member's first summary looks for held messages and tickets resolved meanwhile. */
const FIRST_SUMMARY_LOOKBACK_MS = 24 * 60 * 60_000;

/** How many tickets a summary lists. */
export const SUMMARY_TICKETS = 15;

/**
 * A summary not sent within this long after its time (the server was down) waits for tomorrow.
 * Fixed rather than a school setting: it only bounds catching up after an outage, and four hours
 * after a summary time before the school day the day is under way, with alerts going as they
 * come and /tickets at hand, so a summary that late would tell staff nothing they need.
 */
const SUMMARY_LATE_MS = 4 * 60 * 60_000;

export async function sendMorningSummaries(deps: ServiceDeps): Promise<number> {
  const now = deps.now();
  let sent = 0;
  for (const school of await deps.db.select().from(schools)) {
    const dueAt = dueMorningSummaryAt(school.settings, now, school.timezone);
    if (dueAt === null || now - dueAt > SUMMARY_LATE_MS) continue;
    const members = await deps.db
      .select()
      .from(staff)
      .where(
        and(
          eq(staff.schoolId, school.id),
          eq(staff.active, true),
          or(isNull(staff.summarySentAt), lt(staff.summarySentAt, dueAt)),
        ),
      );
    for (const member of members) {
      const preferences = alertPreferencesFrom(member.alertPreferences);
      const chat = await staffChatOf(deps.db).get({ staffId: member.id, now });
      const summarised = chat && preferences.mode !== "off";
      const window = chat && {
        staffId: member.id,
        ...chat,
        since: member.summarySentAt ?? now - FIRST_SUMMARY_LOOKBACK_MS,
      };
      const held = window ? heldMessagesByReference(deps.db, window) : new Map<string, number>();
      const lines = summarised
        ? myOpenTickets(deps.db, member.id, now, SUMMARY_TICKETS).map((line) => ({
            ...line,
            heldMessages: held.get(line.reference) ?? 0,
          }))
        : [];
      const resolved = summarised && window ? resolvedWhileHeld(deps.db, window) : [];
      const worthSending = lines.length > 0 || resolved.length > 0;
      const uow = new UnitOfWork();
      planSentMark(deps.db, uow, {
        column: "summarySentAt",
        staffId: member.id,
        previous: member.summarySentAt,
        now,
        guard: "morning-summary",
      });
      if (chat && worthSending) {
        const quiet = memberQuietHours(preferences, school.settings);
        planOutboxMessage(deps, uow, {
          schoolId: school.id,
          ...chat,
          kind: "alert",
          body: morningSummary(staffDisplayName(member), lines, resolved),
          sendAt: sendableAt(quiet, now, school.timezone),
        });
      }
      try {
        await uow.commit(deps.db);
        if (chat && worthSending) sent += 1;
      } catch (error) {
        if (!(error instanceof WriteConflict)) throw error;
      }
    }
  }
  if (sent > 0) deps.outboxQueued?.();
  return sent;
}
