// The ticket list's sort orders and their cursors. Every order ends on the ticket id, so it is
// total; a cursor holds the last row's sort values, and the next page starts strictly after them
// (keyset pagination), so tickets inserted meanwhile never shift or repeat a page.
import { and, asc, desc, eq, gt, lt, or, type SQL } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";
import { schema } from "../../db";

const { tickets } = schema;

export const ticketSorts = ["-created", "created", "-updated", "updated", "priority"] as const;
export type TicketSort = (typeof ticketSorts)[number];

type SortValue = number | string;
interface SortRow {
  id: number;
  createdAt: number;
  updatedAt: number;
  priority: string;
}
interface SortKey {
  column: SQLiteColumn;
  descending: boolean;
  read: (row: SortRow) => SortValue;
}

const created = (descending: boolean): SortKey => ({
  column: tickets.createdAt,
  descending,
  read: (row) => row.createdAt,
});
const updated = (descending: boolean): SortKey => ({
  column: tickets.updatedAt,
  descending,
  read: (row) => row.updatedAt,
});
const id = (descending: boolean): SortKey => ({
  column: tickets.id,
  descending,
  read: (row) => row.id,
});

const sortKeys: Record<TicketSort, SortKey[]> = {
  "-created": [created(true), id(true)],
  created: [created(false), id(false)],
  "-updated": [updated(true), id(true)],
  updated: [updated(false), id(false)],
  // Urgent first ("urgent" > "normal"), then the one waiting longest: the order a queue is worked.
  priority: [
    { column: tickets.priority, descending: true, read: (row) => row.priority },
    created(false),
    id(false),
  ],
};

export function orderByOf(sort: TicketSort): SQL[] {
  return sortKeys[sort].map((key) => (key.descending ? desc(key.column) : asc(key.column)));
}

/** Rows strictly after `values` in this order: (a, b, c) after (x, y, z) in lexicographic terms. */
export function afterCursor(sort: TicketSort, values: SortValue[]): SQL | undefined {
  const keys = sortKeys[sort];
  const beyond = (key: SortKey, value: SortValue) =>
    key.descending ? lt(key.column, value) : gt(key.column, value);
  return or(
    ...keys.map((key, index) =>
      and(
        ...keys.slice(0, index).map((earlier, j) => eq(earlier.column, values[j] as SortValue)),
        beyond(key, values[index] as SortValue),
      ),
    ),
  );
}

interface CursorBody {
  s: TicketSort;
  k: SortValue[];
}

/** The opaque cursor after `row` in `sort` (base64url JSON: it is not meant to be built by hand). */
export function encodeCursor(sort: TicketSort, row: SortRow): string {
  const body: CursorBody = { s: sort, k: sortKeys[sort].map((key) => key.read(row)) };
  return Buffer.from(JSON.stringify(body)).toString("base64url");
}

/** The sort values in a cursor, or null if it is not a cursor of this sort. */
export function decodeCursor(sort: TicketSort, cursor: string): SortValue[] | null {
  try {
    const body = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as CursorBody;
    const keys = sortKeys[sort];
    if (body?.s !== sort || !Array.isArray(body.k) || body.k.length !== keys.length) return null;
    const fits = body.k.every((value, index) =>
      keys[index]?.column === tickets.priority
        ? typeof value === "string"
        : Number.isSafeInteger(value),
    );
    return fits ? body.k : null;
  } catch {
    return null;
  }
}
