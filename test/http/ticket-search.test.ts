import { describe, expect, it } from "vitest";
import {
  createTestParentline,
  DEMO,
  makeRequest,
  STAFF,
  signInStaff,
  type TestParentline,
  verifyParent,
} from "../support/parentline";

async function request(app: TestParentline, phone: string, text: string) {
  await makeRequest(app, phone, { category: "Other", text });
  app.clock.advance(11 * 60_000);
}

describe("searching tickets with q", () => {
  it("finds tickets by words in their messages, as prefixes, notes included, within the caller's view", async () => {
    const app = await createTestParentline();
    const parent = DEMO.parentWithOneChild;
    await verifyParent(app, parent);
    await request(app, parent, "The school bus was late on Tuesday"); // T-1001
    await request(app, parent, "Question about the café menu"); // T-1002
    const admin = await signInStaff(app, STAFF.admin);
    await app.json(
      "POST",
      "/v1/tickets/2/notes",
      { body: "Asked the kitchen about allergens" },
      admin,
    );
    const search = async (q: string, token = admin) => {
      const response = await app.json(
        "GET",
        `/v1/tickets?q=${encodeURIComponent(q)}`,
        undefined,
        token,
      );
      expect(response.status).toBe(200);
      return ((await response.json()) as { tickets: { reference: string }[] }).tickets.map(
        (t) => t.reference,
      );
    };
    expect(await search("bus")).toEqual(["T-1001"]);
    expect(await search("TUES late")).toEqual(["T-1001"]);
    expect(await search("cafe")).toEqual(["T-1002"]); // accents folded
    expect(await search("allergen")).toEqual(["T-1002"]); // an internal note
    expect(await search("bus café")).toEqual([]); // every word must match one message
    // FTS syntax typed by staff is just text.
    expect(await search('bus" OR NEAR(x')).toEqual([]);
    expect(await search("*")).toEqual([]);
    const riverside = await signInStaff(app, "+12125550190");
    expect(await search("bus", riverside)).toEqual([]);
  });
});

describe("paging a search newest first", () => {
  it("walks every match once, in created order, even when a ticket was created out of id order", async () => {
    const app = await createTestParentline();
    const parent = DEMO.parentWithOneChild;
    await verifyParent(app, parent);
    await request(app, parent, "Bus one"); // T-1001
    await request(app, parent, "Bus two"); // T-1002
    await request(app, parent, "Bus three"); // T-1003
    const admin = await signInStaff(app, STAFF.admin);
    // T-1001 is backdated after the fact, so ids no longer follow creation time for it.
    app.db.$client
      .prepare("update tickets set created_at = created_at + 3600000 where id = 1")
      .run();
    const references: string[] = [];
    let cursor: string | null = null;
    do {
      const response = await app.json(
        "GET",
        `/v1/tickets?q=bus&limit=1${cursor ? `&cursor=${cursor}` : ""}`,
        undefined,
        admin,
      );
      const page = (await response.json()) as {
        tickets: { reference: string }[];
        nextCursor: string | null;
      };
      references.push(...page.tickets.map((t) => t.reference));
      cursor = page.nextCursor;
    } while (cursor);
    expect(references).toEqual(["T-1001", "T-1003", "T-1002"]);
  });
});
