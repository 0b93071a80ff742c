// What bench:worker-broadcast does to a running Parentline through its public API, the same on
// the Node server and on a tenant's object: the demo admin signs in with the code the Twilio
// stand-in received, imports a roster of families, announces to the whole school, and reads the
// announcement's report back, every recipient page of it.
import { familyPhone } from "../../support/families";
import { codeIn, STAFF } from "../../support/parentline";

/** A Twilio stand-in (test/support/twilio-stand-in-server.ts) as the bench reads it. */
export interface TwilioStandIn {
  baseUrl: string;
}

export interface ProviderStats {
  total: number;
  refused: number;
  recipients: number;
  perRecipient: Record<string, number>;
  firstAt: number | null;
  lastAt: number | null;
  /** The most messages the stand-in was answering at once. */
  maxInFlight: number;
}

export async function providerStats(provider: TwilioStandIn): Promise<ProviderStats> {
  return (await (await fetch(`${provider.baseUrl}/stats`)).json()) as ProviderStats;
}

export async function resetProvider(provider: TwilioStandIn): Promise<void> {
  await fetch(`${provider.baseUrl}/reset`, { method: "POST" });
}

/** Rows per roster upload: each well under the 1 MB body limit. */
const ROSTER_ROWS_PER_UPLOAD = 1_000;
/** Classes the families are spread over (9A…9J: none of the demo school's own). */
const CLASSES = "ABCDEFGHIJ".split("").map((section) => `9${section}`);

/** The roster CSV of families `from` to `to` (exclusive): one child and one guardian each. */
function rosterCsv(from: number, to: number): string {
  const lines = ["admission_no,first_name,last_name,class,guardian_phone,guardian_name"];
  for (let n = from; n < to; n++)
    lines.push(
      `BCAST-${n},Child${n},Family,${CLASSES[n % CLASSES.length]},${familyPhone(n)},Parent${n} Family`,
    );
  return `${lines.join("\n")}\n`;
}

async function expectStatus(response: Response, status: number, what: string): Promise<unknown> {
  const body = await response.text();
  if (response.status !== status)
    throw new Error(`${what}: ${response.status} (expected ${status}): ${body.slice(0, 500)}`);
  return body ? JSON.parse(body) : undefined;
}

/** One school's API at `base` (`http://…` on Node, `http://…/t/{tenant}` on the Worker). */
export class SchoolApi {
  private token = "";

  constructor(
    readonly base: string,
    private readonly provider: TwilioStandIn,
  ) {}

  private headers(extra: Record<string, string> = {}) {
    return { authorization: `Bearer ${this.token}`, ...extra };
  }

  /** The demo admin signs in; the code comes by SMS to the stand-in. */
  async signInAdmin(): Promise<void> {
    const json = { "content-type": "application/json" };
    const phone = STAFF.admin;
    await expectStatus(
      await fetch(`${this.base}/v1/auth/otp/request`, {
        method: "POST",
        headers: json,
        body: JSON.stringify({ phone }),
      }),
      202,
      "code request",
    );
    let texts: string[] = [];
    for (let tries = 0; tries < 100 && !texts.some((t) => /code is/.test(t)); tries++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      const response = await fetch(
        `${this.provider.baseUrl}/messages?to=${encodeURIComponent(phone)}`,
      );
      texts = ((await response.json()) as { bodies: string[] }).bodies;
    }
    const verified = (await expectStatus(
      await fetch(`${this.base}/v1/auth/otp/verify`, {
        method: "POST",
        headers: json,
        body: JSON.stringify({ phone, code: codeIn(texts.slice(-1)) }),
      }),
      200,
      "code verify",
    )) as { accessToken: string };
    this.token = verified.accessToken;
  }

  /** Imports `families` families in uploads of ROSTER_ROWS_PER_UPLOAD rows. */
  async importFamilies(families: number): Promise<void> {
    for (let from = 0; from < families; from += ROSTER_ROWS_PER_UPLOAD) {
      const to = Math.min(families, from + ROSTER_ROWS_PER_UPLOAD);
      await expectStatus(
        await fetch(`${this.base}/v1/import/roster`, {
          method: "POST",
          headers: this.headers({ "content-type": "text/csv" }),
          body: rosterCsv(from, to),
        }),
        200,
        `roster rows ${from}–${to}`,
      );
    }
  }

  /** Announces to the whole school, urgent (at once, through quiet hours). */
  async announceToSchool(text: string): Promise<AnnouncementCounts & { id: number }> {
    const made = (await expectStatus(
      await fetch(`${this.base}/v1/announcements`, {
        method: "POST",
        headers: this.headers({ "content-type": "application/json" }),
        body: JSON.stringify({ audience: { kind: "school" }, text, urgent: true }),
      }),
      201,
      "announcement",
    )) as { id: number; counts: AnnouncementCounts };
    return { id: made.id, ...made.counts };
  }

  /** The announcement's counts and every recipient, page after page. */
  async report(id: number): Promise<AnnouncementReport> {
    const recipients: Recipient[] = [];
    let counts: AnnouncementCounts | undefined;
    let cursor: string | null = null;
    do {
      const page = (await expectStatus(
        await fetch(
          `${this.base}/v1/announcements/${id}?limit=500${cursor ? `&cursor=${cursor}` : ""}`,
          { headers: this.headers() },
        ),
        200,
        "announcement report",
      )) as { counts: AnnouncementCounts; recipients: Recipient[]; nextCursor: string | null };
      counts ??= page.counts;
      recipients.push(...page.recipients);
      cursor = page.nextCursor;
    } while (cursor);
    return { counts: counts as AnnouncementCounts, recipients };
  }
}

export interface AnnouncementCounts {
  recipients: number;
  pending: number;
  sent: number;
  delivered: number;
  failed: number;
  byChannel: Record<string, number>;
}

export interface Recipient {
  guardianId: number;
  name: string;
  channel: string | null;
  status: string;
}

export interface AnnouncementReport {
  counts: AnnouncementCounts;
  recipients: Recipient[];
}
