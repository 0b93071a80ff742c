import { describe, expect, it } from "vitest";
import { csvCell, csvLine } from "../../src/domain";

describe("csvCell", () => {
  it.each([
    ["=1+1", "'=1+1"],
    ["+44 20 7946 0000", "'+44 20 7946 0000"],
    ["-2", "'-2"],
    ["@SUM(A1)", "'@SUM(A1)"],
    ["\tHidden", "'\tHidden"],
    ["\r=1", `"'\r=1"`],
    ['=HYPERLINK("x")', `"'=HYPERLINK(""x"")"`],
    ["Smith, Jr", '"Smith, Jr"'],
    ["two\nlines", '"two\nlines"'],
    ["plain", "plain"],
    ["a=b", "a=b"],
  ])("writes %j as %j", (value, expected) => {
    expect(csvCell(value)).toBe(expected);
  });

  it("writes numbers and booleans as they are and null as an empty cell", () => {
    expect(csvLine([-1.5, true, null, "x"])).toBe("-1.5,true,,x\r\n");
  });
});
