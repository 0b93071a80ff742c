import { describe, expect, it } from "vitest";
import {
  canOpenTicket,
  canReopen,
  DEFAULT_LIMITS,
  isFlooding,
  limitsFromSettings,
} from "../../src/domain";

const now = Date.parse("2026-11-23T09:00:00Z");
const minutes = (n: number) => n * 60_000;
const days = (n: number) => n * 86_400_000;
const open = (...refs: string[]) => refs.map((reference) => ({ reference }));

describe("canOpenTicket", () => {
  it("allows a first ticket", () => {
    expect(canOpenTicket(DEFAULT_LIMITS, { open: [], createdInLastWeek: [] }, now)).toEqual({
      allowed: true,
    });
  });

  it("allows the third open ticket and refuses the fourth, naming the open ones", () => {
    const twoOpen = { open: open("T-1", "T-2"), createdInLastWeek: [now - days(2), now - days(1)] };
    expect(canOpenTicket(DEFAULT_LIMITS, twoOpen, now).allowed).toBe(true);
    const threeOpen = {
      open: open("T-1", "T-2", "T-3"),
      createdInLastWeek: [now - days(3), now - days(2), now - days(1)],
    };
    expect(canOpenTicket(DEFAULT_LIMITS, threeOpen, now)).toEqual({
      allowed: false,
      rule: "open_tickets",
      limit: 3,
      openReferences: ["T-1", "T-2", "T-3"],
    });
  });

  it("keeps a 10-minute cooldown between new tickets, exact at the edge", () => {
    const history = (ago: number) => ({ open: [], createdInLastWeek: [now - ago] });
    expect(canOpenTicket(DEFAULT_LIMITS, history(minutes(10) - 1), now)).toEqual({
      allowed: false,
      rule: "cooldown",
      limit: 10,
      retryAt: now + 1,
    });
    expect(canOpenTicket(DEFAULT_LIMITS, history(minutes(10)), now).allowed).toBe(true);
  });

  it("allows five tickets in a rolling week and says when the sixth is possible", () => {
    const fiveThisWeek = [6, 5, 4, 3, 2].map((d) => now - days(d));
    const verdict = canOpenTicket(
      DEFAULT_LIMITS,
      { open: [], createdInLastWeek: fiveThisWeek },
      now,
    );
    expect(verdict).toEqual({
      allowed: false,
      rule: "weekly",
      limit: 5,
      retryAt: now - days(6) + days(7),
    });
    const fourThisWeek = fiveThisWeek.slice(1);
    expect(
      canOpenTicket(DEFAULT_LIMITS, { open: [], createdInLastWeek: fourThisWeek }, now).allowed,
    ).toBe(true);
  });

  it("forgets tickets older than a week", () => {
    const old = [8, 8, 8, 8, 8].map((d) => now - days(d));
    expect(canOpenTicket(DEFAULT_LIMITS, { open: [], createdInLastWeek: old }, now).allowed).toBe(
      true,
    );
  });
});

describe("canReopen", () => {
  it("allows two reopens within 7 days of resolution", () => {
    expect(canReopen(DEFAULT_LIMITS, { reopenCount: 1, resolvedAt: now - days(7) }, now)).toEqual({
      allowed: true,
    });
    expect(
      canReopen(DEFAULT_LIMITS, { reopenCount: 2, resolvedAt: now - days(1) }, now),
    ).toMatchObject({
      allowed: false,
      rule: "reopen_limit",
    });
    expect(
      canReopen(DEFAULT_LIMITS, { reopenCount: 0, resolvedAt: now - days(7) - 1 }, now),
    ).toMatchObject({
      allowed: false,
      rule: "reopen_window",
    });
  });
});

describe("flooding and school limits", () => {
  it("pauses at the 61st message in 5 minutes", () => {
    expect(isFlooding(DEFAULT_LIMITS, 59)).toBe(false);
    expect(isFlooding(DEFAULT_LIMITS, 60)).toBe(true);
  });

  it("reads a school's limits over the defaults and ignores invalid ones", () => {
    expect(limitsFromSettings({ guardrails: { maxOpenTickets: 5 } })).toEqual({
      ...DEFAULT_LIMITS,
      maxOpenTickets: 5,
    });
    expect(limitsFromSettings({ guardrails: { maxOpenTickets: -1 } })).toEqual(DEFAULT_LIMITS);
    expect(limitsFromSettings({})).toEqual(DEFAULT_LIMITS);
  });
});
