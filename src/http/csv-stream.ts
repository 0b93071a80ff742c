// A CSV download streamed page by page as its rows are read (never built whole in memory): what the
// /v1 exports and the staff desk's download links answer with.
import type { Context } from "hono";
import { stream } from "hono/streaming";
import type { AppEnv } from "./app-env";

/** Writes each page as soon as it is read; a client that goes away stops the reading. */
export function streamCsv<E extends AppEnv>(
  c: Context<E>,
  filename: string,
  pages: AsyncGenerator<string>,
) {
  c.header("content-type", "text/csv; charset=utf-8");
  c.header("content-disposition", `attachment; filename="${filename}"`);
  c.header("cache-control", "no-store");
  return stream(
    c,
    async (out) => {
      // Spreadsheets read the file as UTF-8 (names with accents) only with the byte-order mark.
      await out.write("\uFEFF");
      for await (const page of pages) {
        if (out.aborted) break;
        await out.write(page);
      }
    },
    async (error) => {
      c.get("log")?.error({ err: error, requestId: c.get("requestId") }, "export failed");
    },
  );
}
