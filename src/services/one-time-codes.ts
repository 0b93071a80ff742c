// One-time codes for parents and staff: random, stored only as a keyed hash, 10 minutes, single
// use, 5 tries, and a cap on how many are sent to one phone.
import { and, desc, eq, gt, isNull, sql } from "drizzle-orm";
import { schema } from "../../db";
import type { OtpPurpose } from "../../db/schema";
import { maskPhone } from "../logger";
import { planOutboxMessage } from "../outbox/enqueue";
import { digestsEqual, generateCode } from "../security";
import type { ServiceDeps } from "./deps";
import type { UnitOfWork } from "./unit-of-work";

const { otpCodes } = schema;

export const CODE_RULES = {
  ttlMs: 10 * 60_000,
  maxAttempts: 5,
  perWindow: 3,
  windowMs: 15 * 60_000,
  perDay: 10,
} as const;

export interface CodeSubject {
  purpose: OtpPurpose;
  phone: string;
  schoolId: number;
  guardianId?: number;
  staffId?: number;
  /** Binds a parent's code to the conversation that asked for it. */
  conversationKey?: string;
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

/** When the phone may receive another code, or null if it may now. */
async function nextAllowedSend(
  deps: ServiceDeps,
  phone: string,
  now: number,
): Promise<number | null> {
  const recent = await deps.db
    .select({ createdAt: otpCodes.createdAt })
    .from(otpCodes)
    .where(and(eq(otpCodes.phone, phone), gt(otpCodes.createdAt, now - 86_400_000)))
    .orderBy(desc(otpCodes.createdAt));
  const inWindow = recent.filter((code) => code.createdAt > now - CODE_RULES.windowMs);
  if (recent.length >= CODE_RULES.perDay) {
    return (recent[CODE_RULES.perDay - 1]?.createdAt ?? now) + 86_400_000;
  }
  if (inWindow.length >= CODE_RULES.perWindow) {
    return (inWindow[CODE_RULES.perWindow - 1]?.createdAt ?? now) + CODE_RULES.windowMs;
  }
  return null;
}

/** Plans a new code (and retires earlier live ones for the same subject) plus its message. */
export async function issueCode(
  deps: ServiceDeps,
  uow: UnitOfWork,
  subject: CodeSubject,
  destination: CodeDestination,
): Promise<IssueCodeResult> {
  const now = deps.now();
  const retryAt = await nextAllowedSend(deps, subject.phone, now);
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
    body: "Your Parentline code is {code}. It expires in 10 minutes. Never share it with anyone.",
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

function liveCodesOf(subject: Pick<CodeSubject, "purpose" | "phone" | "conversationKey">) {
  return and(
    eq(otpCodes.purpose, subject.purpose),
    eq(otpCodes.phone, subject.phone),
    subject.conversationKey === undefined
      ? isNull(otpCodes.conversationKey)
      : eq(otpCodes.conversationKey, subject.conversationKey),
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
  subject: Pick<CodeSubject, "purpose" | "phone" | "conversationKey">,
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
