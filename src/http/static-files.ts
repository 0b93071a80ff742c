// The files the app serves as they are (the desk's stylesheet and script, the API docs' script),
// handed in by each runtime's entry: Node reads them from disk, the Worker bundles them as text.

/** The API reference's browser build, compressed once on first use. */
export interface DocsScript {
  /** The package version, so the script's URL changes when it does. */
  version: string;
  load(): Promise<{ plain: Uint8Array<ArrayBuffer>; gzipped: Uint8Array<ArrayBuffer> }>;
}

/** The API reference's browser build where the platform serves it (Workers' static assets). */
export interface HostedDocsScript {
  /** The script's path on this host, outside any tenant's prefix. */
  url: string;
}

export interface StaticFiles {
  desk: { css: string; js: string };
  /** Served by the app (Node) or by the platform (Workers); absent, /v1/docs answers 404. */
  docsScript?: DocsScript | HostedDocsScript;
}
