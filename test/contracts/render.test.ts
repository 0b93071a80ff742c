// Rendering every channel shares: numbered options without buttons, and splitting long texts.
import { describe, expect, it } from "vitest";
import { renderForChannel, splitText, withNumberedOptions } from "../../src/contracts";

const options = [
  { id: "mia", label: "Mia (3A)" },
  { id: "noah", label: "Noah (4B)" },
];

describe("rendering for a channel", () => {
  it("numbers options where there are no buttons and keeps them as buttons where there are", () => {
    expect(withNumberedOptions("Which child?", options)).toBe(
      "Which child?\n\n1. Mia (3A)\n2. Noah (4B)",
    );
    expect(
      renderForChannel({ text: "Which child?", options }, { buttons: false, maxTextLength: 1600 }),
    ).toEqual({
      parts: ["Which child?\n\n1. Mia (3A)\n2. Noah (4B)"],
    });
    expect(
      renderForChannel({ text: "Which child?", options }, { buttons: true, maxTextLength: 4096 }),
    ).toEqual({
      parts: ["Which child?"],
      buttons: options,
    });
  });

  it("splits after whole sentences, then at spaces, and only cuts a word longer than the limit", () => {
    const text = "First sentence here. Second one is a bit longer! Third? Yes.";
    const parts = splitText(text, 30);
    expect(parts).toEqual(["First sentence here.", "Second one is a bit longer!", "Third? Yes."]);
    for (const part of parts) expect(part.length).toBeLessThanOrEqual(30);

    expect(splitText("no sentence ends in this rather long line of words", 20)).toEqual([
      "no sentence ends in",
      "this rather long",
      "line of words",
    ]);
    expect(splitText("x".repeat(25), 10)).toEqual(["x".repeat(10), "x".repeat(10), "x".repeat(5)]);
    expect(splitText("short", 10)).toEqual(["short"]);
    expect(splitText("", 10)).toEqual([""]);
  });

  it("never cuts a numbered option from its label", () => {
    const menu = withNumberedOptions(
      `${"A long question, with words. ".repeat(10).trim()} Choose one`,
      [
        { id: "new", label: "New request" },
        { id: "mine", label: "My requests" },
        { id: "help", label: "Help" },
      ],
    );
    // The limit falls just after "1. ": the "." of a list number is not a sentence end.
    const limit = menu.indexOf("1. ") + 3;
    const parts = splitText(menu, limit);
    expect(parts.at(-1)).toBe("Choose one\n\n1. New request\n2. My requests\n3. Help");
    expect(parts.every((part) => part.length <= limit)).toBe(true);
    expect(parts.some((part) => /^\d+\.$/m.test(part))).toBe(false);
  });

  it("never loses or reorders words when splitting", () => {
    const words = Array.from({ length: 400 }, (_, i) => `word${i}${i % 7 === 6 ? "." : ""}`);
    const text = words.join(" ");
    const parts = splitText(text, 160);
    expect(parts.every((part) => part.length <= 160)).toBe(true);
    expect(parts.join(" ").split(/\s+/)).toEqual(words);
  });
});
