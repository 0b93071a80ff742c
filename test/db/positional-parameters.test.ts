// The Durable Object binds only positional parameters: the raw statements written for
// better-sqlite3 (named @params, positional ?, or both) are rewritten and bound in SQL order.
import { describe, expect, it } from "vitest";
import { positionalStatement } from "../../db/positional-parameters";

describe("named parameters as positional ones", () => {
  it("binds each named parameter where the SQL names it, as often as it names it", () => {
    const statement = positionalStatement(
      "select 1 where channel = @channel and address = :address and seen > $since or channel = @channel",
    );
    expect(statement.sql).toBe(
      "select 1 where channel = ? and address = ? and seen > ? or channel = ?",
    );
    expect(statement.bind([{ channel: "sms", address: "+1", since: 5 }])).toEqual([
      "sms",
      "+1",
      5,
      "sms",
    ]);
  });

  it("takes anonymous values in order and the named ones from a trailing object", () => {
    const statement = positionalStatement(
      "insert into t select column1, @school from (values (?),(?))",
    );
    expect(statement.bind([7, 8, { school: 1 }])).toEqual([1, 7, 8]);
    expect(positionalStatement("select ? + ?").bind([[1, 2]])).toEqual([1, 2]);
  });

  it("leaves strings, quoted names and comments alone", () => {
    const statement = positionalStatement(
      `select '@not :a $param ?', "odd@name", json_extract(x, '$.a') -- @no ?\n from t where a = @a /* :b */`,
    );
    expect(statement.sql).toBe(
      `select '@not :a $param ?', "odd@name", json_extract(x, '$.a') -- @no ?\n from t where a = ? /* :b */`,
    );
    expect(statement.bind([{ a: 1 }])).toEqual([1]);
  });

  it("refuses a missing named value or too few positional ones instead of binding null", () => {
    expect(() => positionalStatement("select @a").bind([{}])).toThrow(
      /missing named parameter "a"/,
    );
    expect(() => positionalStatement("select ?, ?").bind([1])).toThrow(/too few/);
  });
});
