// Every row of every table, to show that a refused request changed nothing at all.
import type { Database } from "../../db";

export type DatabaseSnapshot = Record<string, unknown[]>;

export function snapshotDatabase(db: Database): DatabaseSnapshot {
  const client = db.$client;
  const tables = client
    .prepare("select name from sqlite_master where type = 'table' order by name")
    .all() as { name: string }[];
  return Object.fromEntries(
    tables.map(({ name }) => [
      name,
      client.prepare(`select * from "${name.replaceAll('"', '""')}"`).all(),
    ]),
  );
}
