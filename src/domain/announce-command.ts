// Reads the staff chat's /announce command: the bare command starts the guided form; the one-line
// forms carry audience, urgency, an optional schedule (in the school's time zone) and the text.
// Pure: the time zone and the current instant are given. Whether a class exists is the service's
// question, not the parser's.
import { offsetAt } from "./local-time";

/** The audience of an announcement; class names as the school writes them ("5A"). */
export type AnnouncementAudience =
  | { kind: "school" }
  | { kind: "grades"; grades: string[] }
  | { kind: "classes"; classes: string[] }
  | { kind: "students"; admissionNumbers: string[] };

export interface OneLineAnnouncement {
  audience: AnnouncementAudience;
  text: string;
  urgent: boolean;
  /** Epoch milliseconds; null sends now. */
  scheduledAt: number | null;
}

export type AnnounceCommand = { form: "guided" } | ({ form: "one-line" } & OneLineAnnouncement);

export type AnnounceCommandErrorCode =
  | "unknown_form"
  | "bad_audience"
  | "empty_text"
  | "bad_date"
  | "past_time";

export interface AnnounceCommandError {
  code: AnnounceCommandErrorCode;
  message: string;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: AnnounceCommandError };

export interface ParseClock {
  /** IANA time zone of the school, e.g. "America/Los_Angeles". */
  timezone: string;
  now: number;
}

const FORMS_HINT =
  'Write it like "/announce 5A: Picnic on Friday", "/announce grade 5: …", "/announce school urgent: …", "/announce 5A, 5B: …" or "/announce 5A at 2026-12-01 07:00: …", or just "/announce" to be guided.';

const fail = (code: AnnounceCommandErrorCode, message: string) =>
  ({ ok: false, error: { code, message } }) as const;

/** "5a" is the class "5A"; names in other shapes are passed on as typed. */
const normalizeClass = (name: string) => (/^\d+[a-z]+$/i.test(name) ? name.toUpperCase() : name);

/** Words of the forms themselves: never class names (a bare "grade" is an unfinished form). */
const KEYWORDS = new Set([
  "grade",
  "grades",
  "students",
  "student",
  "admission",
  "school",
  "urgent",
  "at",
]);

const listOf = (text: string) =>
  text
    .split(/\s*,\s*|\s+and\s+|\s+/i)
    .map((item) => item.trim())
    .filter(Boolean);

/**
 * Who an announcement goes to, as typed by staff: "school", "grade 5", "grades 4, 5", "5A",
 * "5A, 5B", "students GF-2024-001 GF-2024-002". Null when it is none of these.
 */
export function parseAudience(typed: string): AnnouncementAudience | null {
  const text = typed.trim().replace(/\s+/g, " ");
  if (/^((the )?(whole )?school|all|everyone)$/i.test(text)) return { kind: "school" };
  const grades = text.match(/^grades? (.+)$/i)?.[1];
  if (grades !== undefined) {
    const list = listOf(grades);
    return list.length > 0 && list.every((grade) => /^\d{1,2}$/.test(grade))
      ? { kind: "grades", grades: list.map((grade) => String(Number(grade))) }
      : null;
  }
  const admissions = text.match(/^(students?|admission( numbers?)?|adm) (.+)$/i)?.[3];
  if (admissions !== undefined) {
    const list = listOf(admissions).map((number) => number.toUpperCase());
    return list.every((number) => /^[A-Z0-9-]{3,32}$/.test(number))
      ? { kind: "students", admissionNumbers: [...new Set(list)] }
      : null;
  }
  const classes = listOf(text);
  const isClassName = (name: string) =>
    /^[a-z0-9][a-z0-9-]{0,15}$/i.test(name) && !KEYWORDS.has(name.toLowerCase());
  return classes.length > 0 && classes.every(isClassName)
    ? { kind: "classes", classes: [...new Set(classes.map(normalizeClass))] }
    : null;
}

/**
 * "2026-12-01 07:00" in the school's time zone → the instant. A date that does not exist
 * (2026-02-30) or an hour past 23 is a bad date; a time already past is refused.
 */
export function parseScheduleTime(typed: string, clock: ParseClock): Parsed<number> {
  const match = typed.trim().match(/^(\d{4})-(\d{1,2})-(\d{1,2})(?:\s+|T)(\d{1,2}):(\d{2})$/);
  if (!match) {
    return fail(
      "bad_date",
      `"${typed.trim()}" is not a date and time: write it as 2026-12-01 07:00.`,
    );
  }
  const [year, month, day, hour, minute] = match.slice(1).map(Number) as [
    number,
    number,
    number,
    number,
    number,
  ];
  const wall = Date.UTC(year, month - 1, day, hour, minute);
  const check = new Date(wall);
  if (
    hour > 23 ||
    minute > 59 ||
    check.getUTCFullYear() !== year ||
    check.getUTCMonth() !== month - 1 ||
    check.getUTCDate() !== day
  ) {
    return fail("bad_date", `${typed.trim()} is not a real date and time.`);
  }
  // The zone's offset at the wall time read as UTC is right except near a DST change; asking again
  // at the first answer settles it.
  let instant = wall - offsetAt(wall, clock.timezone);
  instant = wall - offsetAt(instant, clock.timezone);
  if (instant <= clock.now) {
    return fail("past_time", `${typed.trim()} has already passed: choose a time in the future.`);
  }
  return { ok: true, value: instant };
}

/** Reads a whole "/announce …" message. */
export function parseAnnounceCommand(input: string, clock: ParseClock): Parsed<AnnounceCommand> {
  const rest = input.trim().match(/^\/announce\b(.*)$/is)?.[1];
  if (rest === undefined)
    return fail("unknown_form", `That is not an /announce command. ${FORMS_HINT}`);
  if (rest.trim() === "") return { ok: true, value: { form: "guided" } };

  // The schedule's own colon (07:00) must not be taken for the one before the text.
  const scheduled = rest.match(/^\s*([^:]+?)\s+at\s+(\S+\s+\d{1,2}:\d{2})\s*:(.*)$/is);
  const plain = scheduled ? null : rest.match(/^\s*([^:]+?)\s*:(.*)$/s);
  const head = scheduled?.[1] ?? plain?.[1];
  const text = (scheduled?.[3] ?? plain?.[2] ?? "").trim();
  if (head === undefined) return fail("unknown_form", `I couldn't read that. ${FORMS_HINT}`);
  if (/\sat(\s|$)/i.test(head)) {
    return fail(
      "bad_date",
      "Write the time to send it as YYYY-MM-DD HH:MM, e.g. 2026-12-01 07:00.",
    );
  }

  const words = head.trim().split(/\s+/);
  const urgent = words[0]?.toLowerCase() === "urgent" || words.at(-1)?.toLowerCase() === "urgent";
  const audienceText = words
    .filter((word, i) => !(word.toLowerCase() === "urgent" && (i === 0 || i === words.length - 1)))
    .join(" ");
  const audience = parseAudience(audienceText);
  if (!audience) {
    return fail(
      "bad_audience",
      `I couldn't tell who "${audienceText}" is: use school, grade 5, a class like 5A, classes like 5A, 5B, or students followed by admission numbers.`,
    );
  }
  if (!text) return fail("empty_text", "The announcement has no text: write it after the colon.");

  let scheduledAt: number | null = null;
  if (scheduled?.[2]) {
    const at = parseScheduleTime(scheduled[2], clock);
    if (!at.ok) return at;
    scheduledAt = at.value;
  }
  return { ok: true, value: { form: "one-line", audience, text, urgent, scheduledAt } };
}
