// The files the app serves as they are (the desk's stylesheet and script, the API docs' script),
// handed in by each runtime's entry: Node reads them from disk, the Worker bundles them as text.

/** The API reference's browser build, compressed once on first use. */
export interface DocsScript {
  /** The package version, so the script's URL changes when it does. */
  version: string;
  load(): Promise<{ plain: Uint8Array<ArrayBuffer>; gzipped: Uint8Array<ArrayBuffer> }>;
}

export interface StaticFiles {
  desk: { css: string; js: string };
  /** Absent where the 4.8 MB script is not shipped (Workers): /v1/docs then answers 404. */
  docsScript?: DocsScript;
}
