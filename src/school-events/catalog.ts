// Every text a school-event notice says, per language; amounts and dates arrive already written
// by Intl in the guardian's language. How to add a language: copy catalog.en.ts, translate every
// entry, and add it to `catalogs`.
import { en } from "./catalog.en";
import { es } from "./catalog.es";

export interface SchoolEventCatalog {
  absent(p: { school: string; child: string; date: string; period: string }): string;
  late(p: { school: string; child: string; date: string; period: string }): string;
  feeReminder(p: { school: string; child: string; amount: string; dueDate: string }): string;
  scoresPublished(p: { school: string; child: string; title: string; url: string }): string;
  /** The answer to an attendance notice went to staff as a ticket on the child. */
  answerTaken(p: { child: string; reference: string; assignee: string }): string;
}

export const catalogs: Record<string, SchoolEventCatalog> = { en, es };

export function schoolEventCatalogFor(language: string | undefined): SchoolEventCatalog {
  return catalogs[language ?? "en"] ?? en;
}
