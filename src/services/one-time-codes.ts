// One-time codes for parents and staff: random, stored only as a keyed hash, 10 minutes, single
// use, 5 tries, and caps on how many are sent to one phone: per requester, and in all.
import { and, desc, eq, gt, isNull, sql } from "drizzle-orm";
import { schema } from "../../db";
import type { OtpPurpose } from "../../db/schema";
import { maskPhone } from "../logger";
import { planOutboxMessage } from "../outbox/enqueue";
import type { UnitOfWork } from "../outbox/unit-of-work";
import { digestsEqual, generateCode } from "../security";
import type { ServiceDeps } from "./deps";

const { otpCodes } = schema;

/**
 * Codes go only to phones the school has on file, so SMS pumping is bounded by the phones on file
 * times `perPhone`. Within that, each requester (a chat, or a client address of the staff API) has
 * its own smaller allowance for a phone, and what it is refused does not count: a stranger asking
 * for someone's phone from one chat or address uses up only its own share, and the owner, asking
 * from their own, still gets a code.
 */
export const CODE_RULES = {
  ttlMs: 10 * 60_000,
  maxAttempts: 5,
  windowMs: 15 * 60_000,
  perRequester: { perWindow: 3, perDay: 10 },
  perPhone: { perWindow: 10, perDay: 30 },
} as const;

export interface CodeSubject {
  purpose: OtpPurpose;
  phone: string;
  schoolId: number;
  guardianId?: number;
  staffId?: number;
  /** Binds a parent's code to the conversation that asked for it. */
  conversationKey?: string;
  /**
   * Who asked, when not a conversation: the staff API's client address. It binds the code as
   * conversationKey does, so another address's requests and wrong tries leave it alone.
   */
  requestedBy?: string;
}

export type IssueCodeResult = { status: "sent" } | { status: "rate_limited"; retryAt: number };

/** Where the code message goes: normally an SMS to the phone on file. */
export interface CodeDestination {
  channel: string;
  address: string;
}

/**
 * Where a code for `phone` goes: SMS where it is on, otherwise the channel the request came from
 * if that channel reaches phones by number. Never the requesting chat itself when that chat is not
 * the phone on file: that would hand the code to whoever typed someone else's number.
 */
export function phoneDestination(
  phoneChannels: readonly string[],
  phone: string,
  requestedVia?: string,
): CodeDestination | null {
  const channel = phoneChannels.includes("sms")
    ? "sms"
    : requestedVia && phoneChannels.includes(requestedVia)
      ? requestedVia
      : phoneChannels[0];
  return channel ? { channel, address: phone } : null;
}

const hashCode = (deps: Pick<ServiceDeps, "secrets">, subject: CodeSubject, code: string) =>
  deps.secrets.hash("otp-hash", `${subject.purpose}:${subject.phone}:${code}`);

/** When a cap of `perWindow` codes in the window and `perDay` a day lets another go, or null now. */
function capRetry(
  sentAt: number[],
  cap: { perWindow: number; perDay: number },
  now: number,
): number | null {
  const inWindow = sentAt.filter((at) => at > now - CODE_RULES.windowMs);
  const retries = [
    sentAt.length >= cap.perDay ? (sentAt[cap.perDay - 1] ?? now) + 86_400_000 : null,
    inWindow.length >= cap.perWindow
      ? (inWindow[cap.perWindow - 1] ?? now) + CODE_RULES.windowMs
      : null,
  ].filter((at): at is number => at !== null);
  return retries.length > 0 ? Math.max(...retries) : null;
}

/** When this requester may have another code sent to the phone, or null if it may now. */
async function nextAllowedSend(
  deps: ServiceDeps,
  phone: string,
  requester: string | null,
  now: number,
): Promise<number | null> {
  const recent = await deps.db
    .select({ createdAt: otpCodes.createdAt, requestedBy: otpCodes.requestedBy })
    .from(otpCodes)
    .where(and(eq(otpCodes.phone, phone), gt(otpCodes.createdAt, now - 86_400_000)))
    .orderBy(desc(otpCodes.createdAt));
  const own = recent.filter((code) => code.requestedBy === requester);
  const retries = [
    capRetry(
      own.map((code) => code.createdAt),
      CODE_RULES.perRequester,
      now,
    ),
    capRetry(
      recent.map((code) => code.createdAt),
      CODE_RULES.perPhone,
      now,
    ),
  ].filter((at): at is number => at !== null);
  return retries.length > 0 ? Math.max(...retries) : null;
}

/**
 * Plans a new code (and retires earlier live ones for the same subject) plus its message, whose
 * `body` (in the recipient's language) carries `{code}` where the outbox puts the code.
 */
export async function issueCode(
  deps: ServiceDeps,
  uow: UnitOfWork,
  subject: CodeSubject,
  destination: CodeDestination,
  body: string,
): Promise<IssueCodeResult> {
  const now = deps.now();
  const requester = subject.conversationKey ?? subject.requestedBy ?? null;
  const retryAt = await nextAllowedSend(deps, subject.phone, requester, now);
  if (retryAt !== null) return { status: "rate_limited", retryAt };

  const code = generateCode();
  uow.plan(
    deps.db
      .update(otpCodes)
      .set({ consumedAt: now })
      .where(and(liveCodesOf(subject), isNull(otpCodes.consumedAt))),
  );
  uow.plan(
    deps.db.insert(otpCodes).values({
      schoolId: subject.schoolId,
      purpose: subject.purpose,
      phone: subject.phone,
      guardianId: subject.guardianId ?? null,
      staffId: subject.staffId ?? null,
      conversationKey: subject.conversationKey ?? null,
      requestedBy: requester,
      codeHash: hashCode(deps, subject, code),
      expiresAt: now + CODE_RULES.ttlMs,
      createdAt: now,
    }),
  );
  planOutboxMessage(deps, uow, {
    schoolId: subject.schoolId,
    channel: destination.channel,
    address: destination.address,
    kind: "otp",
    body,
    secretValues: { code },
  });
  deps.log.info(
    { purpose: subject.purpose, phone: maskPhone(subject.phone), channel: destination.channel },
    "one-time code issued",
  );
  return { status: "sent" };
}

export type CheckCodeResult =
  | { status: "verified"; guardianId: number | null; staffId: number | null; schoolId: number }
  | { status: "wrong"; triesLeft: number }
  | { status: "dead" };

type BoundSubject = Pick<CodeSubject, "purpose" | "phone" | "conversationKey" | "requestedBy">;

function liveCodesOf(subject: BoundSubject) {
  return and(
    eq(otpCodes.purpose, subject.purpose),
    eq(otpCodes.phone, subject.phone),
    subject.conversationKey === undefined
      ? isNull(otpCodes.conversationKey)
      : eq(otpCodes.conversationKey, subject.conversationKey),
    subject.requestedBy === undefined ? undefined : eq(otpCodes.requestedBy, subject.requestedBy),
  );
}

/**
 * Checks a typed code against the subject's latest code. A wrong try is counted; the fifth kills the
 * code. The counting and consuming writes are guarded on the attempts seen, so two checks racing
 * on one code cannot both succeed or both spend the same try.
 */
export async function checkCode(
  deps: ServiceDeps,
  uow: UnitOfWork,
  subject: BoundSubject,
  typed: string,
): Promise<CheckCodeResult> {
  const now = deps.now();
  const [latest] = await deps.db
    .select()
    .from(otpCodes)
    .where(liveCodesOf(subject))
    .orderBy(desc(otpCodes.createdAt), desc(otpCodes.id))
    .limit(1);
  if (
    !latest ||
    latest.consumedAt !== null ||
    latest.expiresAt <= now ||
    latest.attempts >= CODE_RULES.maxAttempts
  ) {
    return { status: "dead" };
  }
  const sameAttempts = and(
    eq(otpCodes.id, latest.id),
    eq(otpCodes.attempts, latest.attempts),
    isNull(otpCodes.consumedAt),
  );
  const candidate = /^\d{6}$/.test(typed)
    ? hashCode(deps, { ...subject, schoolId: latest.schoolId }, typed)
    : "";
  if (candidate && digestsEqual(candidate, latest.codeHash)) {
    uow.plan(deps.db.update(otpCodes).set({ consumedAt: now }).where(sameAttempts), {
      guard: "otp-attempts",
    });
    return {
      status: "verified",
      guardianId: latest.guardianId,
      staffId: latest.staffId,
      schoolId: latest.schoolId,
    };
  }
  uow.plan(
    deps.db
      .update(otpCodes)
      .set({ attempts: sql`${otpCodes.attempts} + 1` })
      .where(sameAttempts),
    { guard: "otp-attempts" },
  );
  const triesLeft = CODE_RULES.maxAttempts - latest.attempts - 1;
  return triesLeft > 0 ? { status: "wrong", triesLeft } : { status: "dead" };
}
