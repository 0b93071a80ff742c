import { describe, expect, it } from "vitest";
import { planOutboxMessage } from "../../src/outbox";
import { UnitOfWork } from "../../src/outbox/unit-of-work";
import { createSecrets } from "../../src/security";
import { openTestDatabase } from "../support/test-runtime";

describe("planOutboxMessage", () => {
  it("stores options as JSON, no options as NULL, and a secret only sealed", async () => {
    const db = openTestDatabase();
    const deps = { db, secrets: createSecrets("s".repeat(32)), now: () => 1_000 };
    const uow = new UnitOfWork();
    const base = { schoolId: null, channel: "simulator", address: "+14155550102" } as const;
    planOutboxMessage(deps, uow, {
      ...base,
      kind: "reply",
      body: "Pick one",
      options: [{ id: "a", label: "A" }],
    });
    planOutboxMessage(deps, uow, {
      ...base,
      kind: "otp",
      body: "Code {code}",
      secretValues: { code: "424242" },
    });
    await uow.commit(db);
    expect(uow.outboxIds).toEqual([1, 2]);
    const rows = db.$client
      .prepare(
        "select kind, options, typeof(options) as optionsType, sealed, status, next_attempt_at as due from outbox order by id",
      )
      .all() as Record<string, unknown>[];
    expect(rows[0]).toMatchObject({
      kind: "reply",
      options: '[{"id":"a","label":"A"}]',
      status: "pending",
      due: 1_000,
    });
    expect(rows[1]).toMatchObject({ kind: "otp", optionsType: "null", status: "pending" });
    expect(String(rows[1]?.sealed)).not.toContain("424242");
    expect(JSON.parse(deps.secrets.unseal(String(rows[1]?.sealed)))).toEqual({ code: "424242" });
  });

  it("stores media as JSON, and no media as NULL", async () => {
    const db = openTestDatabase();
    const deps = { db, secrets: createSecrets("s".repeat(32)), now: () => 1_000 };
    const uow = new UnitOfWork();
    const base = {
      schoolId: null,
      channel: "sms",
      address: "+14155550102",
      kind: "alert",
    } as const;
    planOutboxMessage(deps, uow, {
      ...base,
      body: "See the map",
      media: [{ url: "https://school.example/map.png", contentType: "image/png" }],
    });
    planOutboxMessage(deps, uow, { ...base, body: "No map", media: [] });
    await uow.commit(db);
    const rows = db.$client
      .prepare("select media, typeof(media) as mediaType from outbox order by id")
      .all() as Record<string, unknown>[];
    expect(rows).toEqual([
      {
        media: '[{"url":"https://school.example/map.png","contentType":"image/png"}]',
        mediaType: "text",
      },
      { media: null, mediaType: "null" },
    ]);
  });
});
