// Every text a school-event notice says, per language; amounts and dates arrive already written
// by Intl in the guardian's language. How to add a language: copy catalog.en.ts, translate every
// entry, and add it to `catalogs`.
import { en } from "./catalog.en";
import { es } from "./catalog.es";
import type { SchoolEventCatalog } from "./catalog-contract";

export type { SchoolEventCatalog };

export const catalogs: Record<string, SchoolEventCatalog> = { en, es };

export function schoolEventCatalogFor(language: string | undefined): SchoolEventCatalog {
  return catalogs[language ?? "en"] ?? en;
}
