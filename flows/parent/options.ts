// Matches what a person typed against the options they were offered: "2", "2.", "new", a label.
// The staff conversation answers its options the same way.

export function matchOption<T extends { id: string; label: string }>(
  text: string,
  offered: readonly T[],
): T | null {
  const answer = text
    .trim()
    .toLowerCase()
    .replace(/[.!¡]+$/, "");
  if (!answer) return null;
  // "2." and "2)" are how people answer numbered lists.
  const number = answer.match(/^(\d+)[.)]?$/)?.[1];
  if (number) return offered[Number(number) - 1] ?? null;
  return (
    offered.find((option) => option.id.toLowerCase() === answer) ??
    offered.find((option) => option.label.toLowerCase() === answer) ??
    offered.find((option) => answerWords[option.id]?.has(answer)) ??
    // A label's start, if only one option starts so: "Benjamin" for "Benjamin (3B)", "acad".
    uniqueStart(answer, offered)
  );
}

/** Words that answer a yes/no question, in every language the bot speaks. */
const answerWords: Record<string, Set<string>> = {
  send: new Set([
    "yes",
    "y",
    "yeah",
    "yep",
    "ok",
    "okay",
    "sure",
    "sí",
    "si",
    "vale",
    "claro",
    "enviar",
  ]),
  cancel: new Set(["no", "nope", "n"]),
};

function uniqueStart<T extends { label: string }>(answer: string, offered: readonly T[]): T | null {
  if (answer.length < 3) return null;
  const starting = offered.filter((option) => option.label.toLowerCase().startsWith(answer));
  return starting.length === 1 ? (starting[0] ?? null) : null;
}

const GREETINGS = new Set(["hi", "hello", "hey", "hola", "buenas", "good morning", "buenos días"]);
const THANKS = new Set([
  "thanks",
  "thank you",
  "thx",
  "ty",
  "gracias",
  "muchas gracias",
  "ok thanks",
]);
const bare = (text: string) =>
  text
    .trim()
    .toLowerCase()
    .replace(/[.!¡?¿,]+/g, "")
    .replace(/\s+/g, " ");

/** "hi", "hola": a greeting, never a request. */
export const isGreeting = (text: string) => GREETINGS.has(bare(text));
/** "thanks", "gracias": acknowledged, never a request. */
export const isThanks = (text: string) => THANKS.has(bare(text));

/** The one child a free-text message names ("my son Leo was sick"), if exactly one is named. */
export function childNamedIn<C extends { id: number; name: string }>(
  text: string,
  children: readonly C[],
): C | null {
  const words = new Set(bare(text).split(" "));
  const named = children.filter((child) => words.has(child.name.toLowerCase()));
  return named.length === 1 ? (named[0] ?? null) : null;
}
