// The daily digest: guardians who take announcements once a day get one message at the school's
// digest time (default 18:00 local) listing what was held for them; the held recipients then count
// by that message.
import { schema } from "../../db";
import {
  chooseAddress,
  digestMinuteFromSettings,
  digestText,
  latestDigestTime,
  quietHoursFromSettings,
  sendableAt,
} from "../domain";
import { UnitOfWork } from "../outbox/unit-of-work";
import { forEachAudienceGuardian } from "./announcement-audience";
import type { SkipReason } from "./announcement-reports";
import { planBulkInsert } from "./bulk-insert";
import type { ServiceDeps } from "./deps";

const { schools } = schema;

interface HeldRow {
  guardianId: number;
  heldText: string;
}

/** The recipients still held for their digest, matching the partial index's condition. */
const HELD = `r.digest_held_at is not null and r.outbox_id is null and r.skipped_reason is null`;

/** Sends every school's digests that are due; returns how many digest messages it queued. */
export async function sendDueDigests(deps: ServiceDeps): Promise<number> {
  const now = deps.now();
  const all = await deps.db
    .select({
      id: schools.id,
      name: schools.name,
      timezone: schools.timezone,
      settings: schools.settings,
    })
    .from(schools);
  let queued = 0;
  for (const school of all) {
    const cutoff = latestDigestTime(
      digestMinuteFromSettings(school.settings),
      now,
      school.timezone,
    );
    const held = deps.db.$client
      .prepare<[number, number], HeldRow>(
        `select r.guardian_id as guardianId, r.held_text as heldText
           from announcement_recipients r
          where r.school_id = ? and ${HELD} and r.digest_held_at <= ?
          order by r.guardian_id, r.digest_held_at, r.announcement_id`,
      )
      .all(school.id, cutoff);
    if (held.length === 0) continue;
    const items = new Map<number, string[]>();
    for (const row of held) {
      const list = items.get(row.guardianId) ?? [];
      list.push(row.heldText);
      items.set(row.guardianId, list);
    }
    // channel, address, body
    const outboxRows: [string, string, string][] = [];
    // guardian, outbox offset from the last row, channel, skipped reason
    const outcomes: [number, number | null, string | null, SkipReason | null][] = [];
    forEachAudienceGuardian(
      deps,
      school.id,
      { by: "guardians", guardianIds: [...items.keys()] },
      now,
      (guardian) => {
        // A guardian who has since turned announcements off gets no digest either.
        const choice =
          guardian.preferences.announcements === "off"
            ? ({ ok: false, reason: "announcements_off" } as const)
            : chooseAddress(guardian.addresses, guardian.preferences.channelOrder);
        if (!choice.ok) {
          outcomes.push([guardian.guardianId, null, null, choice.reason]);
          return;
        }
        outcomes.push([guardian.guardianId, outboxRows.length, choice.channel, null]);
        outboxRows.push([
          choice.channel,
          choice.address,
          digestText(school.name, items.get(guardian.guardianId) ?? [], guardian.language),
        ]);
      },
    );
    for (const outcome of outcomes)
      if (outcome[1] !== null) outcome[1] = outboxRows.length - 1 - outcome[1];

    const uow = new UnitOfWork();
    planBulkInsert(
      deps.db,
      uow,
      {
        // In plan order (rows.column4), so each guardian's digest is found by its distance from
        // the last row.
        sql: `insert into outbox (school_id, channel, address, kind, body, status, attempts,
                next_attempt_at, created_at, updated_at)
              select @school, rows.column1, rows.column2, 'announcement', rows.column3, 'pending',
                     0, @sendAt, @now, @now
                from ROWS order by rows.column4`,
        width: 4,
        named: {
          school: school.id,
          sendAt: sendableAt(quietHoursFromSettings(school.settings), now, school.timezone),
          now,
        },
      },
      outboxRows.flatMap((row, index) => [...row, index]),
    );
    // One statement links every held recipient to its guardian's digest (or says why none).
    const linkRecipients = deps.db.$client.prepare(
      `update announcement_recipients as r
          set outbox_id = m.last - (d.value ->> 1),
              channel = coalesce(d.value ->> 2, r.channel),
              skipped_reason = d.value ->> 3
         from json_each(@outcomes) as d, (select max(id) as last from outbox) as m
        where r.school_id = @school and r.guardian_id = d.value ->> 0
          and ${HELD} and r.digest_held_at <= @cutoff`,
    );
    const params = { outcomes: JSON.stringify(outcomes), school: school.id, cutoff };
    uow.plan({ run: () => linkRecipients.run(params) });
    await uow.commit(deps.db);
    queued += outboxRows.length;
    deps.log.info(
      { schoolId: school.id, digests: outboxRows.length },
      "announcement digests queued",
    );
  }
  if (queued > 0) deps.outboxQueued?.();
  return queued;
}
