// Full-text q over ticket messages (notes included), through the ticket-keyed FTS5 index
// `ticket_search` (db/migrations/0008): rowid = ticket id << 32 | message id, so a match names its
// ticket without a lookup, and the index can be walked newest ticket first.
import { and, type SQL, sql } from "drizzle-orm";
import { type Database, schema } from "../../db";

const { tickets, students } = schema;

/**
 * The FTS5 expression for what staff typed: every word as a prefix ("homew" finds "homework"), all
 * in one message. Words are quoted, so what staff type is never read as FTS syntax; null when there
 * is no word at all (nothing can match).
 */
export function searchExpression(q: string): string | null {
  const words = q.match(/[\p{L}\p{N}]+/gu) ?? [];
  return words.length ? words.map((word) => `"${word}"*`).join(" ") : null;
}

/** Tickets with a message matching `expression`: the general condition, for any sort. */
export function matchingTickets(expression: string | null): SQL {
  if (!expression) return sql`0`;
  return sql`${tickets.id} in (select rowid >> 32 from ticket_search where ticket_search match ${expression})`;
}

interface Hit {
  id: number;
  createdAt: number;
}

/**
 * The ids of the first `wanted` matching tickets newest first (-created), walking the index from
 * the newest ticket down and stopping once enough hits are in hand, instead of collecting every
 * match and sorting. The walk is in ticket-id order; ticket ids follow creation time, and two
 * cheap checks confirm it for the tickets that matter — if either fails (a ticket created out of
 * order) it returns null and the caller uses the general query, so the answer never depends on it.
 *
 * `filters` is every other condition of the list (scope, filters, cursor), over `tickets` and
 * `students`; `after` is the cursor's [createdAt, id].
 */
export async function newestMatchingTicketIds(
  db: Database,
  schoolId: number,
  expression: string,
  filters: SQL | undefined,
  after: [number, number] | null,
  wanted: number,
): Promise<number[] | null> {
  // Under the cursor's ticket id: the rest of the walk, if ids follow creation time.
  const below = after ? sql`f.rowid < (${after[1]} << 32)` : undefined;
  for (let window = wanted * 4; window <= 65_536; window *= 8) {
    const rows = await db.all<Hit>(sql`select ${tickets.id} as id, ${tickets.createdAt} as createdAt
      from ticket_search f cross join ${tickets} on ${tickets.id} = f.rowid >> 32
      left join ${students} on ${students.id} = ${tickets.studentId}
      where f.ticket_search match ${expression} and ${and(below, filters) ?? sql`1`}
      order by f.rowid desc limit ${window}`);
    const exhausted = rows.length < window;
    const lowest = rows.at(-1)?.id ?? 0;
    // Every ticket with an id from `lowest` up has been seen whole; order the hits as listed.
    const hits = [...new Map(rows.map((row) => [row.id, row])).values()].sort(
      (a, b) => b.createdAt - a.createdAt || b.id - a.id,
    );
    if (hits.length < wanted && !exhausted) continue;
    const page = hits.slice(0, wanted);
    const last = page.at(-1);
    // A ticket below `lowest` created after the page's last one would belong on the page.
    if (
      !exhausted &&
      last &&
      (await anyTicket(
        db,
        schoolId,
        sql`${tickets.id} < ${lowest} and ${tickets.createdAt} > ${last.createdAt}`,
      ))
    )
      return null;
    // A ticket above the cursor's id created before the cursor would belong after it.
    if (
      after &&
      (await anyTicket(
        db,
        schoolId,
        sql`${tickets.id} > ${after[1]} and ${tickets.createdAt} < ${after[0]}`,
      ))
    )
      return null;
    return page.map((hit) => hit.id);
  }
  return null;
}

async function anyTicket(db: Database, schoolId: number, condition: SQL): Promise<boolean> {
  const rows = await db.all(
    sql`select 1 from ${tickets} where ${tickets.schoolId} = ${schoolId} and ${condition} limit 1`,
  );
  return rows.length > 0;
}
