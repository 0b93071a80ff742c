// Sliding-window rate limits for the sign-in endpoints, per client IP and per phone. Kept in this
// process's memory: right for the single Node process; on Workers it would need a shared store.
import type { Context, MiddlewareHandler } from "hono";
import type { AppEnv } from "./app-env";
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

export const SIGN_IN_LIMITS = {
  perIp: { max: 30, windowMs: 10 * 60_000 },
  perPhone: { max: 10, windowMs: 10 * 60_000 },
} as const;

/** The sign-in counters, shared by every way in (the API and the staff desk's forms). */
export class SignInLimits {
  private readonly byIp: SlidingWindowLimiter;
  private readonly byPhone: SlidingWindowLimiter;

  constructor(
    private readonly now: () => number,
    limits: { perIp?: WindowLimit; perPhone?: WindowLimit } = {},
  ) {
    this.byIp = new SlidingWindowLimiter(limits.perIp ?? SIGN_IN_LIMITS.perIp, now);
    this.byPhone = new SlidingWindowLimiter(limits.perPhone ?? SIGN_IN_LIMITS.perPhone, now);
  }

  /** Counts one attempt; when it is one too many, how long to wait and what was counted. */
  hit(ip: string, rawPhone: unknown): { retryAfterSeconds: number; what: string } | null {
    const now = this.now();
    const wait = (retryAt: number) => Math.max(1, Math.ceil((retryAt - now) / 1000));
    const ipRetry = this.byIp.hit(ip);
    if (ipRetry !== null) return { retryAfterSeconds: wait(ipRetry), what: "from this address" };
    const phone = typeof rawPhone === "string" ? rawPhone.replace(/[^\d+]/g, "") : "";
    if (phone) {
      const phoneRetry = this.byPhone.hit(phone);
      if (phoneRetry !== null)
        return { retryAfterSeconds: wait(phoneRetry), what: "for this phone" };
    }
    return null;
  }
}

export interface SignInLimitOptions {
  now: () => number;
  /** The caller's address; behind a proxy, the first X-Forwarded-For entry if trusted. */
  clientIp: (c: Context<AppEnv>) => string;
  perIp?: WindowLimit;
  perPhone?: WindowLimit;
  /** Counters shared with another way in; new ones otherwise. */
  limits?: SignInLimits;
}

/** Middleware for POST /v1/auth/otp/*: counts by IP, and by the phone in the JSON body. */
export function signInRateLimit(options: SignInLimitOptions): MiddlewareHandler<AppEnv> {
  const limits =
    options.limits ??
    new SignInLimits(options.now, {
      ...(options.perIp ? { perIp: options.perIp } : {}),
      ...(options.perPhone ? { perPhone: options.perPhone } : {}),
    });
  return async (c, next) => {
    // The body is read again by the validator: Hono caches it.
    const body = (await c.req.json().catch(() => null)) as { phone?: unknown } | null;
    const refusal = limits.hit(options.clientIp(c), body?.phone);
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
