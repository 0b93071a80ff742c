// Which messages on SMS are carrier keywords, and what the road does with them.
import { describe, expect, it } from "vitest";
import { carrierDecision, carrierKeywordIn } from "../../src/conversations/carrier-keywords";

describe("carrier keywords", () => {
  it("recognizes the opt-out and opt-in words alone, in any case, not inside sentences", () => {
    for (const word of ["STOP", "stop", "Stopall", "UNSUBSCRIBE", "cancel", "End", "QUIT", "stop."])
      expect(carrierKeywordIn(word)).toBe("opt-out");
    for (const word of ["START", "yes", "Unstop"]) expect(carrierKeywordIn(word)).toBe("opt-in");
    for (const text of ["please stop the bus at 5", "help", "yes please", "", "1"])
      expect(carrierKeywordIn(text)).toBeNull();
  });

  it("opts out from anywhere, hears only START while opted out, and leaves YES to the conversation otherwise", () => {
    expect(carrierDecision("opt-out", false)).toBe("opt-out");
    expect(carrierDecision("opt-out", true)).toBe("opt-out");
    expect(carrierDecision("opt-in", true)).toBe("opt-in");
    expect(carrierDecision(null, true)).toBe("ignore");
    expect(carrierDecision("opt-in", false)).toBe("converse");
    expect(carrierDecision(null, false)).toBe("converse");
  });
});
