import { asc, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { openSqliteDatabase } from "../../db/client";
import { placeholder as p, preparedPerDatabase } from "../../db/prepared";
import { guardians } from "../../db/schema";

const byPhone = (limited: boolean) =>
  preparedPerDatabase((db) => {
    const query = db
      .select({ id: guardians.id })
      .from(guardians)
      .where(eq(guardians.phone, p("phone")))
      .orderBy(asc(guardians.id));
    return (limited ? query.limit(1) : query).prepare();
  });

describe("preparedPerDatabase", () => {
  it("builds a statement once per database", () => {
    const statement = byPhone(false);
    const first = openSqliteDatabase(":memory:");
    const second = openSqliteDatabase(":memory:");
    expect(statement(first)).toBe(statement(first));
    expect(statement(second)).not.toBe(statement(first));
    expect(statement(first).get({ phone: "+14155550101" })).toBeUndefined();
  });

  it("refuses a statement that binds its LIMIT: SQLite would compile it again at every run", () => {
    const statement = byPhone(true);
    expect(() => statement(openSqliteDatabase(":memory:"))).toThrow(/may not bind its LIMIT/);
  });
});
