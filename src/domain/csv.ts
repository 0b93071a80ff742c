// A small RFC 4180 CSV reader (pure): quoted fields with commas, quotes and line breaks, CRLF or
// LF, a UTF-8 byte-order mark, and the delimiter a spreadsheet chose (comma, semicolon or tab).
// A dependency would add little for files that a school's information system exports.

/** Rows of fields with the 1-based line each row starts on (what a spreadsheet user sees). */
export interface CsvRow {
  line: number;
  fields: string[];
}

function guessDelimiter(text: string): string {
  const header = text.slice(0, text.search(/\r?\n|$/));
  const counts = [",", ";", "\t"].map((d) => [d, header.split(d).length] as const);
  return counts.reduce((best, next) => (next[1] > best[1] ? next : best))[0];
}

export function parseCsv(input: string): CsvRow[] {
  const text = input.replace(/^\uFEFF/, "");
  const delimiter = guessDelimiter(text);
  const rows: CsvRow[] = [];
  let fields: string[] = [];
  let field = "";
  let quoted = false;
  let line = 1;
  let rowLine = 1;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (char === '"') {
        quoted = false;
      } else {
        if (char === "\n") line++;
        field += char;
      }
    } else if (char === '"' && field === "") {
      quoted = true;
    } else if (char === delimiter) {
      fields.push(field);
      field = "";
    } else if (char === "\n" || char === "\r") {
      if (char === "\r" && text[i + 1] === "\n") i++;
      fields.push(field);
      rows.push({ line: rowLine, fields });
      fields = [];
      field = "";
      line++;
      rowLine = line;
    } else {
      field += char;
    }
  }
  if (field !== "" || fields.length > 0) {
    fields.push(field);
    rows.push({ line: rowLine, fields });
  }
  // Blank lines (often a trailing one) are not rows.
  return rows.filter((row) => row.fields.some((value) => value.trim() !== ""));
}
