// Attachments on what we send (pure): a photo or document the school hosts at a public https URL.
// Providers fetch the file themselves, so it must be reachable by them: https only, and not longer
// than the providers take (Twilio's MediaUrl and Meta's link both stop well above 2048).

/** The longest attachment URL we accept. */
export const MAX_ATTACHMENT_URL_LENGTH = 2048;

/** Why a URL can't be an attachment, or null when it can. */
export function attachmentUrlProblem(url: string): string | null {
  if (url.length > MAX_ATTACHMENT_URL_LENGTH)
    return `The attachment link is ${url.length} characters; the most is ${MAX_ATTACHMENT_URL_LENGTH}`;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return "The attachment must be a link (https://…)";
  }
  if (parsed.protocol !== "https:") return "The attachment link must start with https://";
  // Providers fetch the file from the internet: a bare host name (localhost, intranet) cannot be.
  if (!parsed.hostname.includes(".")) return "The attachment link must be a public address";
  return null;
}
