// Sliding-window rate limits for the sign-in endpoints, per client address, per phone and address,
// and per phone. Kept in this process's memory: right for the single Node process; on Workers it
// would need a shared store.
import type { Context, MiddlewareHandler } from "hono";
import { normalizePhone } from "../domain";
import type { AppEnv } from "./app-env";
import { clientAddressKey } from "./client-address";
import { ApiError } from "./errors";

export interface WindowLimit {
  max: number;
  windowMs: number;
}

export class SlidingWindowLimiter {
  private readonly hits = new Map<string, number[]>();

  constructor(
    private readonly limit: WindowLimit,
    private readonly now: () => number,
  ) {}

  /** Records a hit for `key`; returns when to retry if it is one too many, else null. */
  hit(key: string): number | null {
    const now = this.now();
    const recent = (this.hits.get(key) ?? []).filter((at) => at > now - this.limit.windowMs);
    if (recent.length >= this.limit.max) {
      this.hits.set(key, recent);
      return (recent[0] ?? now) + this.limit.windowMs;
    }
    recent.push(now);
    this.hits.set(key, recent);
    if (this.hits.size > 50_000) this.sweep(now);
    return null;
  }

  private sweep(now: number) {
    for (const [key, times] of this.hits) {
      if (!times.some((at) => at > now - this.limit.windowMs)) this.hits.delete(key);
    }
  }
}

/**
 * A stranger hammering a phone from one address uses up only that address's allowance for it
 * (perPhoneFromAddress), and its refused attempts are not counted further; the phone's ceiling
 * (perPhone) is three times that, so its owner, from another address, still gets in. The ceiling
 * still bounds guessing at one phone's codes from many addresses.
 */
export const SIGN_IN_LIMITS = {
  perIp: { max: 30, windowMs: 10 * 60_000 },
  perPhoneFromAddress: { max: 10, windowMs: 10 * 60_000 },
  perPhone: { max: 30, windowMs: 10 * 60_000 },
} as const;

export interface SignInLimitsOptions {
  now: () => number;
  /** Country for phones written without +country: one phone is one key however it is written. */
  defaultCountry: string;
  perIp?: WindowLimit;
  perPhoneFromAddress?: WindowLimit;
  perPhone?: WindowLimit;
}

/** The sign-in counters, shared by every way in (the API and the staff desk's forms). */
export class SignInLimits {
  private readonly byIp: SlidingWindowLimiter;
  private readonly byPhoneFromAddress: SlidingWindowLimiter;
  private readonly byPhone: SlidingWindowLimiter;

  constructor(private readonly options: SignInLimitsOptions) {
    const limiter = (limit: WindowLimit) => new SlidingWindowLimiter(limit, options.now);
    this.byIp = limiter(options.perIp ?? SIGN_IN_LIMITS.perIp);
    this.byPhoneFromAddress = limiter(
      options.perPhoneFromAddress ?? SIGN_IN_LIMITS.perPhoneFromAddress,
    );
    this.byPhone = limiter(options.perPhone ?? SIGN_IN_LIMITS.perPhone);
  }

  /**
   * Counts one attempt from `address` (a clientAddressKey) for the phone as written; when it is one
   * too many, how long to wait and what was counted.
   */
  hit(address: string, rawPhone: unknown): { retryAfterSeconds: number; what: string } | null {
    const now = this.options.now();
    const wait = (retryAt: number) => Math.max(1, Math.ceil((retryAt - now) / 1000));
    const ipRetry = this.byIp.hit(address);
    if (ipRetry !== null) return { retryAfterSeconds: wait(ipRetry), what: "from this address" };
    const raw = typeof rawPhone === "string" ? rawPhone : "";
    const phone = normalizePhone(raw, this.options.defaultCountry) ?? raw.replace(/[^\d+]/g, "");
    if (!phone) return null;
    const pairRetry = this.byPhoneFromAddress.hit(`${phone} ${address}`);
    if (pairRetry !== null) return { retryAfterSeconds: wait(pairRetry), what: "for this phone" };
    const phoneRetry = this.byPhone.hit(phone);
    if (phoneRetry !== null) return { retryAfterSeconds: wait(phoneRetry), what: "for this phone" };
    return null;
  }
}

export interface SignInLimitOptions extends SignInLimitsOptions {
  /** The caller's address; behind a proxy, the first X-Forwarded-For entry if trusted. */
  clientIp: (c: Context<AppEnv>) => string;
  /** Counters shared with another way in; new ones otherwise. */
  limits?: SignInLimits;
}

/**
 * Middleware for POST /v1/auth/otp/*: counts by client address, by phone (normalized) from that
 * address, and by phone. Puts the client address on the context (`clientAddress`).
 */
export function signInRateLimit(options: SignInLimitOptions): MiddlewareHandler<AppEnv> {
  const limits = options.limits ?? new SignInLimits(options);
  return async (c, next) => {
    const address = clientAddressKey(options.clientIp(c));
    c.set("clientAddress", address);
    // The body is read again by the validator: Hono caches it.
    const body = (await c.req.json().catch(() => null)) as { phone?: unknown } | null;
    const refusal = limits.hit(address, body?.phone);
    if (refusal) {
      c.header("Retry-After", String(refusal.retryAfterSeconds));
      throw new ApiError(
        429,
        "rate_limited",
        `Too many sign-in attempts ${refusal.what}; try again in ${refusal.retryAfterSeconds} s`,
        { retryAfterSeconds: refusal.retryAfterSeconds },
      );
    }
    await next();
  };
}
