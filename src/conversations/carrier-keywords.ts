// Carrier keywords on SMS (kept on Twilio's WhatsApp too): STOP and its synonyms opt an address out
// before any conversation sees the message; while opted out, only START, YES or UNSTOP is heard.
// HELP is left to the conversation, which answers with the school's contact line.

const OPT_OUT_WORDS = new Set(["stop", "stopall", "unsubscribe", "cancel", "end", "quit"]);
const OPT_IN_WORDS = new Set(["start", "yes", "unstop"]);

export type CarrierKeyword = "opt-out" | "opt-in";

/** The keyword a message is, if it is one word of the carriers' lists (any case, punctuation). */
export function carrierKeywordIn(text: string): CarrierKeyword | null {
  const word = text
    .trim()
    .toLowerCase()
    .replace(/[.!]+$/, "");
  if (OPT_OUT_WORDS.has(word)) return "opt-out";
  if (OPT_IN_WORDS.has(word)) return "opt-in";
  return null;
}

/**
 * What the road does with a message on a carrier-keyword channel:
 * - "opt-out": record the opt-out and confirm (the confirmation is the last message it gets);
 * - "opt-in": record the opt-in and confirm;
 * - "ignore": the address is opted out and this is not START: record it, answer nothing;
 * - "converse": an ordinary message for the conversation.
 */
export function carrierDecision(
  keyword: CarrierKeyword | null,
  optedOut: boolean,
): "opt-out" | "opt-in" | "ignore" | "converse" {
  if (keyword === "opt-out") return "opt-out";
  if (!optedOut) return "converse"; // "yes" or "start" from a subscribed parent is an answer
  return keyword === "opt-in" ? "opt-in" : "ignore";
}
