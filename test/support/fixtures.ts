/// <reference types="vite/client" />
// The recorded provider payloads in test/fixtures, bundled when the test loads rather than read
// from disk, so the suites that use them also run inside workerd, which has no host files.
const files = import.meta.glob<string>(["../fixtures/*/*.json", "../fixtures/*/*.form"], {
  query: "?raw",
  import: "default",
  eager: true,
});

/** A fixture's text by its path under test/fixtures (`telegram/update-text.json`). */
export function fixtureText(path: string): string {
  const text = files[`../fixtures/${path}`];
  if (text === undefined) throw new Error(`no fixture test/fixtures/${path}`);
  return text;
}
