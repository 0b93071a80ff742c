// Reads a CSV upload (pure) with csv-parse: quoted fields with commas, quotes and line breaks, CRLF,
// LF or CR line ends, a UTF-8 byte-order mark, and the delimiter a spreadsheet chose (comma,
// semicolon or tab). A malformed file is an error naming its line, never rows made of the rest of it.
import { CsvError, parse } from "csv-parse/sync";

/** Rows of fields with the 1-based line each row starts on (what a spreadsheet user sees). */
export interface CsvRow {
  line: number;
  fields: string[];
}

export type CsvParse = { ok: true; rows: CsvRow[] } | { ok: false; line: number; error: string };

const LINE_BREAK = /\r\n|\r|\n/;

function guessDelimiter(text: string): string {
  const header = text.slice(0, text.search(LINE_BREAK) + 1 || text.length);
  const counts = [",", ";", "\t"].map((d) => [d, header.split(d).length] as const);
  return counts.reduce((best, next) => (next[1] > best[1] ? next : best))[0];
}

/** The first non-blank line after `line` (1-based): where the record that failed begins. */
function nextRecordLine(text: string, line: number): number {
  const lines = text.split(LINE_BREAK);
  let index = line;
  while (index < lines.length - 1 && (lines[index] ?? "").trim() === "") index++;
  return index + 1;
}

const breaksIn = (fields: string[]) =>
  fields.reduce((sum, field) => sum + (field.match(/\r\n|\r|\n/g)?.length ?? 0), 0);

export function parseCsv(input: string): CsvParse {
  const text = input.replace(/^\uFEFF/, "");
  /** The line the last complete record ended on (csv-parse reports where a record ends). */
  let lastEnd = 0;
  try {
    const records = parse(text, {
      delimiter: guessDelimiter(text),
      record_delimiter: ["\r\n", "\n", "\r"],
      // Rows may be shorter or longer than the header, and a quote inside an unquoted field
      // (O"Brien) is a character: the roster checks each row's columns itself.
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
      info: true,
      on_record: (record, context) => {
        lastEnd = context.lines;
        return record;
      },
    }) as unknown as { record: string[]; info: { lines: number } }[];
    const rows = records.map(({ record, info }) => ({
      line: info.lines - breaksIn(record),
      fields: record,
    }));
    // Lines of separators only (",,,", often a spreadsheet's trailing rows) are not rows.
    return { ok: true, rows: rows.filter((row) => row.fields.some((v) => v.trim() !== "")) };
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    if (error.code === "CSV_QUOTE_NOT_CLOSED") {
      const line = nextRecordLine(text, lastEnd);
      return { ok: false, line, error: `line ${line}: a quoted field opens and is never closed` };
    }
    const line = (error as CsvError & { lines?: number }).lines ?? lastEnd + 1;
    return { ok: false, line, error: `line ${line}: ${error.message}` };
  }
}
