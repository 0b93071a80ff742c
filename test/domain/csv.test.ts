import { describe, expect, it } from "vitest";
import { parseCsv } from "../../src/domain/csv";

describe("reading a CSV upload", () => {
  it("reads quoted commas, quotes and line breaks, with each row's first line", () => {
    const csv = 'a,b\r\n1,"x, ""y""\nz"\n\n2,O"Brien\r3,4';
    expect(parseCsv(csv)).toEqual({
      ok: true,
      rows: [
        { line: 1, fields: ["a", "b"] },
        { line: 2, fields: ["1", 'x, "y"\nz'] },
        { line: 5, fields: ["2", 'O"Brien'] },
        { line: 6, fields: ["3", "4"] },
      ],
    });
  });

  it("takes the delimiter the header uses and drops a byte-order mark and separator-only lines", () => {
    expect(parseCsv("\uFEFFa;b;c\n1;2,5;3\n;;\n")).toEqual({
      ok: true,
      rows: [
        { line: 1, fields: ["a", "b", "c"] },
        { line: 2, fields: ["1", "2,5", "3"] },
      ],
    });
    expect(parseCsv("a\tb\n1\t2")).toMatchObject({
      rows: [{ fields: ["a", "b"] }, { fields: ["1", "2"] }],
    });
  });

  it("names the line where a quoted field opens and is never closed", () => {
    expect(parseCsv('a,b\n1,2\n\n3,"oops\n5,6\n7,8\n')).toEqual({
      ok: false,
      line: 4,
      error: "line 4: a quoted field opens and is never closed",
    });
    expect(parseCsv('"a,b\n1,2\n')).toMatchObject({ ok: false, line: 1 });
  });
});
