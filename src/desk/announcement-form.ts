// Reads the announcement composer's form into the draft the announcement services take, and maps
// the services' refusals back to the field they are about.
import type { AnnouncementAudience } from "../domain/announce-command";
import { instantOfLocalTime } from "../domain/local-time";
import type { AnnouncementRefusal } from "../services/announcement-audience";

export interface ComposerValues {
  kind: AnnouncementAudience["kind"];
  grades: string;
  classes: string[];
  students: string;
  text: string;
  attachmentUrl: string;
  attachmentType: string;
  urgent: boolean;
  /** datetime-local, in the school's time zone; empty: now. */
  schedule: string;
  /** One per composed announcement: a double submit makes one announcement. */
  draftKey: string;
}

export type ComposerField = "audience" | "text" | "attachment" | "schedule" | "form";
export type ComposerErrors = Partial<Record<ComposerField, string>>;

type Form = Record<string, string | File | (string | File)[]>;

const one = (form: Form, name: string) => {
  const value = form[name];
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === "string" ? first.trim() : "";
};
const many = (form: Form, name: string) => {
  const value = form[name];
  return (Array.isArray(value) ? value : value === undefined ? [] : [value]).filter(
    (item): item is string => typeof item === "string" && item.trim() !== "",
  );
};
const list = (text: string) =>
  text
    .split(/[\s,;]+/)
    .map((item) => item.trim())
    .filter(Boolean);

const kinds = ["school", "grades", "classes", "students"] as const;

export function readComposer(form: Form): ComposerValues {
  const kind = one(form, "kind");
  return {
    kind: (kinds as readonly string[]).includes(kind)
      ? (kind as ComposerValues["kind"])
      : "classes",
    grades: one(form, "grades"),
    classes: many(form, "classes"),
    students: one(form, "students"),
    text: one(form, "text"),
    attachmentUrl: one(form, "attachmentUrl"),
    attachmentType: one(form, "attachmentType"),
    urgent: one(form, "urgent") === "on",
    schedule: one(form, "schedule"),
    draftKey: one(form, "draftKey"),
  };
}

export function audienceOf(values: ComposerValues): AnnouncementAudience {
  switch (values.kind) {
    case "school":
      return { kind: "school" };
    case "grades":
      return { kind: "grades", grades: list(values.grades) };
    case "classes":
      return { kind: "classes", classes: values.classes };
    case "students":
      return { kind: "students", admissionNumbers: list(values.students) };
  }
}

/** The schedule as an instant, read on the school's wall clock; undefined: send now. */
export function scheduleOf(
  values: ComposerValues,
  timeZone: string,
): { ok: true; at: number | undefined } | { ok: false } {
  if (!values.schedule) return { ok: true, at: undefined };
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(values.schedule);
  if (!match) return { ok: false };
  const [, y, mo, d, h, mi] = match.map(Number) as [number, number, number, number, number, number];
  return { ok: true, at: instantOfLocalTime(Date.UTC(y, mo - 1, d), h * 60 + mi, timeZone) };
}

const fieldOfRefusal: Record<string, ComposerField> = {
  unknown_audience: "audience",
  empty_audience: "audience",
  forbidden: "audience",
  not_your_class: "audience",
  empty_text: "text",
  text_too_long: "text",
  invalid_attachment: "attachment",
  invalid_schedule: "schedule",
  past_schedule: "schedule",
};

/** The refusal, in the services' own words, next to the field it is about. */
export function refusalErrors(refusal: AnnouncementRefusal): ComposerErrors {
  return { [fieldOfRefusal[refusal.code] ?? "form"]: `${refusal.message}.`.replace(/\.\.$/, ".") };
}
