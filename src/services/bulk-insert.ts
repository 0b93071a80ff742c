// Many rows of one table in few statements: INSERT … SELECT over a multi-row VALUES list, planned
// into a unit of work in chunks whose sizes are powers of two, so each table needs only a handful
// of compiled statements (the connection's statement cache keeps them) however many rows come.
// Values shared by every row are named parameters or subqueries in the SELECT, evaluated once per
// statement rather than once per row.
import type { Database } from "../../db";
import type { UnitOfWork } from "../outbox/unit-of-work";

/** The largest chunk: 512 rows of up to 8 values stays far below SQLite's 32,766 parameters. */
const MAX_CHUNK = 512;

export interface BulkInsertSpec {
  /**
   * `insert into t (…) select … from ROWS …`: ROWS becomes the chunk's rows as a table named
   * `rows` with columns column1, column2 … (SQLite's names for a VALUES list's columns).
   */
  sql: string;
  /** Values per row. */
  width: number;
  /** Values of the named parameters in `sql`. */
  named?: Record<string, unknown>;
}

/** The chunk sizes for `count` rows: full chunks, then the rest as descending powers of two. */
export function chunkSizes(count: number): number[] {
  const sizes: number[] = [];
  let left = count;
  while (left >= MAX_CHUNK) {
    sizes.push(MAX_CHUNK);
    left -= MAX_CHUNK;
  }
  for (let size = MAX_CHUNK / 2; size >= 1; size /= 2) {
    if (left >= size) {
      sizes.push(size);
      left -= size;
    }
  }
  return sizes;
}

/**
 * Plans rows as chunked INSERT … SELECT statements. `values` holds the rows one after another,
 * `spec.width` values each (flat, so 50,000 rows are one array rather than 50,000).
 */
export function planBulkInsert(
  db: Database,
  uow: UnitOfWork,
  spec: BulkInsertSpec,
  values: readonly unknown[],
): void {
  const tuple = `(${Array.from({ length: spec.width }, () => "?").join(",")})`;
  let start = 0;
  for (const size of chunkSizes(values.length / spec.width)) {
    const chunk = values.slice(start * spec.width, (start + size) * spec.width);
    start += size;
    const list = `(values ${Array.from({ length: size }, () => tuple).join(",")}) as rows`;
    const sql = spec.sql.replace("ROWS", list);
    const named = spec.named;
    uow.plan({
      run: () => {
        const statement = db.$client.prepare(sql);
        return named ? statement.run(...chunk, named) : statement.run(...chunk);
      },
    });
  }
}
