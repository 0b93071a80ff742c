// Builds a whole Parentline over a fresh in-memory database with demo data and a controllable
// clock, and drives it through its real HTTP interface (app.request).

import { type Environment, parseConfig } from "../../src/config";
import type { ChannelRegistry } from "../../src/contracts";
import { createLogger, type Logger } from "../../src/logger";
import type { Timers } from "../../src/services/staff-event-hub";
import { buildParentline, openTestDatabase, type Parentline } from "./test-runtime";

/** Timers that run only when the test ticks them (intervals) or fires them (timeouts). */
export function manualTimers() {
  const running = new Map<number, { callback: () => void; ms: number }>();
  const pending = new Map<number, { callback: () => void; ms: number }>();
  let next = 1;
  return {
    setInterval: (callback: () => void, ms: number) => {
      running.set(next, { callback, ms });
      return next++;
    },
    clearInterval: (handle: unknown) => {
      running.delete(handle as number);
    },
    setTimeout: (callback: () => void, ms: number) => {
      pending.set(next, { callback, ms });
      return next++;
    },
    clearTimeout: (handle: unknown) => {
      pending.delete(handle as number);
    },
    /** Fires every running interval once. */
    tick: () => {
      for (const { callback } of [...running.values()]) callback();
    },
    intervals: () => [...running.values()].map((timer) => timer.ms),
    /** The delays of the timeouts not yet fired or cleared. */
    timeouts: () => [...pending.values()].map((timer) => timer.ms),
    /** Fires every pending timeout once. */
    fireTimeouts: () => {
      const due = [...pending.values()];
      pending.clear();
      for (const { callback } of due) callback();
    },
  } satisfies Timers & Record<string, unknown>;
}

export const DEMO = {
  /** Greenfield guardian with two children (3A and 4B). */
  parentWithTwoChildren: "+14155550101",
  /** Greenfield guardian with one child, in 5A. */
  parentWithOneChild: "+14155550102",
  /** Riverside guardian with one child, in 5A. */
  riversideParent: "+12125550102",
  greenfieldOffice: "+14155550100",
} as const;

export interface TestClock {
  now: () => number;
  advance: (ms: number) => void;
  set: (ms: number) => void;
}

export function testClock(start = Date.parse("2026-11-23T09:00:00Z")): TestClock {
  let current = start;
  return {
    now: () => current,
    advance: (ms) => {
      current += ms;
    },
    set: (ms) => {
      current = ms;
    },
  };
}

export interface TestParentline extends Parentline {
  clock: TestClock;
  /** POST /dev/chat/send as the given phone; returns the reply texts and the raw body. */
  say(address: string, text: string, id?: string): Promise<{ texts: string[]; body: SendBody }>;
  json(method: string, path: string, body?: unknown, token?: string): Promise<Response>;
}

export interface SendBody {
  replies: { text: string; kind: string; options?: { id: string; label: string }[] }[];
  duplicate: boolean;
}

export async function createTestParentline(
  env: Environment = {},
  options: {
    logger?: Logger;
    channelRegistry?: ChannelRegistry;
    timers?: Timers;
    /** Another test Parentline's database, shared (a workerd test has only one). */
    db?: Parentline["db"];
  } = {},
): Promise<TestParentline> {
  const clock = testClock();
  const config = parseConfig({
    NODE_ENV: "test",
    DATABASE_PATH: ":memory:",
    LOG_LEVEL: "silent",
    ...env,
  });
  const parentline = await buildParentline(config, {
    db: options.db ?? openTestDatabase(),
    now: clock.now,
    logger: options.logger ?? createLogger("silent"),
    ...(options.channelRegistry ? { channelRegistry: options.channelRegistry } : {}),
    ...(options.timers ? { timers: options.timers } : {}),
  });
  const json = async (method: string, path: string, body?: unknown, token?: string) =>
    parentline.app.request(path, {
      method,
      headers: {
        ...(body === undefined ? {} : { "content-type": "application/json" }),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  return {
    ...parentline,
    clock,
    json,
    async say(address, text, id) {
      const response = await json("POST", "/dev/chat/send", {
        address,
        text,
        ...(id ? { id } : {}),
      });
      if (response.status !== 200)
        throw new Error(`send failed: ${response.status} ${await response.text()}`);
      const body = (await response.json()) as SendBody;
      return { texts: body.replies.map((reply) => reply.text), body };
    },
  };
}

/** Demo staff phones (db/seed.ts: office staff are accounts, transport, front, then the admin). */
export const STAFF = {
  /** Ms Priya Rao, class teacher of Greenfield 5A. */
  rao: "+14155550184",
  accounts: "+14155550187",
  transport: "+14155550188",
  frontOffice: "+14155550189",
  admin: "+14155550190",
  riversideAdmin: "+12125550190",
} as const;

/**
 * A verified one-child parent makes a request from the menu: topic, message, Send. Returns what
 * the bot said to "Send".
 */
export async function makeRequest(
  app: TestParentline,
  phone: string,
  request: { category?: string; text: string },
): Promise<string[]> {
  await app.say(phone, "menu");
  await app.say(phone, "New request");
  await app.say(phone, request.category ?? "Academics");
  await app.say(phone, request.text);
  return (await app.say(phone, "Send")).texts;
}

/** The 6-digit code in a one-time-code message. */
export function codeIn(texts: string[]): string {
  const code = texts.join("\n").match(/code is (\d{6})/)?.[1];
  if (!code) throw new Error(`no code in: ${texts.join(" | ")}`);
  return code;
}

/** Verifies a demo parent through the simulator; returns the code that worked. */
export async function verifyParent(app: TestParentline, phone: string): Promise<void> {
  const first = await app.say(phone, "hi");
  const verified = await app.say(phone, codeIn(first.texts));
  if (!verified.texts.some((text) => text.includes("verified"))) {
    throw new Error(`verification failed: ${verified.texts.join(" | ")}`);
  }
}

/** Signs a staff member in through the API and returns the access token. */
export async function signInStaff(app: TestParentline, phone: string): Promise<string> {
  return (await signInStaffWithTokens(app, phone)).accessToken;
}

/** Signs a staff member in through the API and returns the whole token response. */
export async function signInStaffWithTokens(
  app: TestParentline,
  phone: string,
): Promise<{ accessToken: string; refreshToken: string }> {
  const requested = await app.json("POST", "/v1/auth/otp/request", { phone });
  if (requested.status !== 202) throw new Error(`code request failed: ${requested.status}`);
  await app.dispatcher.dispatchDue();
  const history = (await (
    await app.json("GET", `/dev/chat/history?address=${encodeURIComponent(phone)}`)
  ).json()) as {
    messages: { text: string }[];
  };
  const code = codeIn(history.messages.map((m) => m.text).slice(-1));
  const verified = await app.json("POST", "/v1/auth/otp/verify", { phone, code });
  if (verified.status !== 200)
    throw new Error(`verify failed: ${verified.status} ${await verified.text()}`);
  return (await verified.json()) as { accessToken: string; refreshToken: string };
}
