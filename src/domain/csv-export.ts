// Writing CSV for spreadsheets (pure): quoting per RFC 4180, and text that a spreadsheet would run
// as a formula (a cell starting with =, +, -, @, a tab or a carriage return) made inert with a
// leading apostrophe, as OWASP's "CSV injection" advice has it.
// https://owasp.org/www-community/attacks/CSV_Injection

const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

/** One cell: numbers as they are, text escaped and quoted when needed, null as empty. */
export function csvCell(value: string | number | boolean | null): string {
  if (value === null) return "";
  if (typeof value !== "string") return String(value);
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One record, ended by CRLF as RFC 4180 asks. */
export const csvLine = (cells: readonly (string | number | boolean | null)[]) =>
  `${cells.map(csvCell).join(",")}\r\n`;
