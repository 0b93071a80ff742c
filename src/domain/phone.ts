// Phone numbers in one form, E.164, whatever the parent or provider typed.

import type { CountryCode } from "libphonenumber-js";
import { parsePhoneNumberFromString } from "libphonenumber-js";

/**
 * Parsed numbers, remembered: every webhook normalizes its sender, and libphonenumber's parse is a
 * visible share of a step (bench:inbound profile). Bounded, emptied when full.
 */
const normalized = new Map<string, string | null>();
const NORMALIZED_LIMIT = 10_000;

/** "+1 (415) 555-0123", "(415) 555-0123", "4155550123" (with a default country), "14155550123" → "+14155550123". */
export function normalizePhone(input: string, defaultCountry: string): string | null {
  const key = `${defaultCountry} ${input}`;
  const known = normalized.get(key);
  if (known !== undefined) return known;
  const result = parsePhone(input, defaultCountry);
  if (normalized.size >= NORMALIZED_LIMIT) normalized.clear();
  normalized.set(key, result);
  return result;
}

function parsePhone(input: string, defaultCountry: string): string | null {
  const trimmed = input.trim();
  if (!/^[+\d(][\d\s().-]{5,}$/.test(trimmed)) return null;
  const parsed = parsePhoneNumberFromString(trimmed, defaultCountry as CountryCode);
  return parsed?.isPossible() ? parsed.number : null;
}
