// Every text a parent can receive comes from the catalogs, in their language: this walks every
// key of every catalog with sample values, and checks what each must say.
import { describe, expect, it } from "vitest";
import { catalogs, en, type ParentCatalog } from "../../flows/parent/catalog";

const OFFICE = "+14155550100";
const UNTIL = "<until>";

/** Sample values for every parameter any catalog entry takes. */
const SAMPLE = {
  name: "Maya",
  school: "Greenfield Primary School",
  officePhone: OFFICE,
  maskedPhone: "+1*****0102",
  retryAt: UNTIL,
  until: UNTIL,
  nextDate: UNTIL,
  triesLeft: 3,
  child: "Leo",
  category: "Academics",
  text: "Leo was sick today",
  reference: "T-1001",
  references: ["T-1001", "T-1002", "T-1003"],
  assignee: "Ms Rao",
  by: "Ms Rao",
  limit: 3,
  minutesLeft: 4,
  days: 7,
  rating: 4,
  lines: ["T-1001 (open)"],
  announcements: "digest",
  channels: ["telegram", "sms"],
  children: ["Maya", "Leo"],
  items: ["About Maya: Picnic on Friday", "About Leo: Bring a hat"],
} as const;

/** What each catalog key says for the sample values (a label function takes its first key). */
function textsOf(catalog: ParentCatalog): Record<string, string> {
  const texts: Record<string, string> = {};
  for (const [key, entry] of Object.entries(catalog)) {
    if (typeof entry === "string") texts[key] = entry;
    else if (key === "categoryLabel") texts[key] = entry("attendance");
    else if (key === "statusLabel") texts[key] = entry("in_progress");
    else if (key === "channelName") texts[key] = entry("telegram");
    else if (key === "announcementsOption") texts[key] = entry("digest");
    else if (key === "assignee")
      texts[key] = entry({ role: "class_teacher", name: "Ms Rao", className: "3B" });
    else texts[key] = entry(SAMPLE);
  }
  return texts;
}

const CARRIER_WORD = /\b(stop|stopall|unsubscribe|cancel|end|quit)\b/i;
/** The only texts that may name a carrier keyword: the answers to STOP and START. */
const MAY_NAME_KEYWORDS = new Set(["optedOut", "optedIn"]);
/** Refusals: each names the rule, when it lifts (where time lifts it) and the office's phone. */
const REFUSALS = {
  refusedOpenTickets: false,
  refusedCooldown: true,
  refusedWeekly: true,
  codeRateLimited: true,
  floodPaused: true,
  reopenRefusedLimit: false,
  reopenRefusedWindow: false,
} as const;

describe.each(Object.entries(catalogs))("the %s catalog", (language, catalog) => {
  const texts = textsOf(catalog);

  it("has every key the English one has, each a non-empty text", () => {
    expect(Object.keys(texts).sort()).toEqual(Object.keys(textsOf(en)).sort());
    for (const [key, text] of Object.entries(texts)) expect(text, key).not.toBe("");
  });

  it.skipIf(language === "en")("translates every text (none is left in English)", () => {
    const english = textsOf(en);
    const untranslated = Object.keys(texts).filter(
      (key) => texts[key] === english[key] && !["channelName"].includes(key),
    );
    expect(untranslated).toEqual([]);
  });

  it.skipIf(language === "en")("says every kind of assignee in its own words", () => {
    const assignees = [
      { role: "class_teacher", name: "Ms Rao", className: "3B" },
      { role: "office", name: "Mr Lee", office: "accounts" },
      { role: "office", name: "Ms Diaz", office: "transport" },
      { role: "office", name: "Mr Chen", office: "front" },
      { role: "admin", name: "Dr Grey" },
      { role: "school" },
    ] as const;
    for (const assignee of assignees)
      expect(catalog.assignee(assignee), assignee.role).not.toBe(en.assignee(assignee));
  });

  it("keeps the code's place in the code message", () => {
    expect(catalog.codeMessage()).toMatch(/\{code\}/);
  });

  it("never invites a carrier opt-out word but to opt out", () => {
    const inviting = Object.keys(texts).filter(
      (key) => !MAY_NAME_KEYWORDS.has(key) && CARRIER_WORD.test(texts[key] ?? ""),
    );
    expect(inviting).toEqual([]);
  });

  it.each(Object.entries(REFUSALS))(
    "%s names when it lifts and the office's phone",
    (key, timed) => {
      const text = texts[key] ?? "";
      expect(text).toContain(OFFICE);
      if (timed) expect(text).toContain(UNTIL);
    },
  );
});
