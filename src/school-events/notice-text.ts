// The words of one school-event notice about one child for one guardian: the catalog in their
// language, with dates and amounts written by Intl for it.
import { schoolEventCatalogFor } from "./catalog";
import type { SchoolEvent } from "./event-schema";

const LOCALES: Record<string, string> = { en: "en-US", es: "es" };
const localeOf = (language: string | undefined) => LOCALES[language ?? "en"] ?? "en-US";

/**
 * A calendar date ("2026-12-07") as the guardian reads it ("Monday, December 7" / "lunes, 7 de
 * diciembre"): a day on the school's calendar, the same in every zone.
 */
export function formatCalendarDate(date: string, language: string | undefined): string {
  const [year, month, day] = date.split("-").map(Number) as [number, number, number];
  return new Intl.DateTimeFormat(localeOf(language), {
    timeZone: "UTC",
    weekday: "long",
    month: "long",
    day: "numeric",
  }).format(Date.UTC(year, month - 1, day));
}

/** "$45.00" / "45,00 US$". */
export function formatAmount(amount: string, currency: string, language: string | undefined) {
  return new Intl.NumberFormat(localeOf(language), {
    style: "currency",
    currency,
  }).format(Number(amount));
}

export interface NoticeFacts {
  school: string;
  child: string;
  language: string | undefined;
  /** For attendance: how the child was marked. */
  mark?: "absent" | "late";
}

export function noticeText(event: SchoolEvent, facts: NoticeFacts): string {
  const catalog = schoolEventCatalogFor(facts.language);
  const { school, child, language } = facts;
  switch (event.type) {
    case "attendance.marked": {
      const words = {
        school,
        child,
        date: formatCalendarDate(event.date, language),
        period: event.period,
      };
      return facts.mark === "late" ? catalog.late(words) : catalog.absent(words);
    }
    case "fee.reminder":
      return catalog.feeReminder({
        school,
        child,
        amount: formatAmount(event.amount, event.currency, language),
        dueDate: formatCalendarDate(event.dueDate, language),
      });
    case "scores.published":
      return catalog.scoresPublished({ school, child, title: event.title, url: event.url });
  }
}
