// Staff sign-in by one-time code, and the short-lived access token (JWT) that follows.
import { eq } from "drizzle-orm";
import { sign, verify } from "hono/jwt";
import { schema } from "../../db";
import { staffCatalogFor } from "../../flows/staff";
import { normalizePhone } from "../domain";
import type { StaffSession } from "../http/app-env";
import { maskPhone } from "../logger";
import { UnitOfWork } from "../outbox/unit-of-work";
import type { ServiceDeps } from "./deps";
import { findActiveStaffByPhone } from "./directory";
import { checkCode, issueCode, phoneDestination } from "./one-time-codes";

export const ACCESS_TOKEN_TTL_SECONDS = 15 * 60;

/** The requester a sign-in code is counted against and bound to. */
const requesterOf = (clientAddress: string) => `address:${clientAddress}`;
const TOKEN_ISSUER = "parentline";

/**
 * Sends a sign-in code if the phone belongs to active staff. The caller answers the same either
 * way, so the endpoint cannot be used to discover staff numbers. `clientAddress` is who asked: the
 * send caps give each address its own share of a phone's codes.
 */
export async function requestStaffCode(
  deps: ServiceDeps,
  rawPhone: string,
  clientAddress: string,
): Promise<void> {
  const phone = normalizePhone(rawPhone, deps.config.defaultCountry);
  const member = phone ? await findActiveStaffByPhone(deps.db, phone) : null;
  if (!phone || !member) {
    deps.log.info(
      { phone: phone ? maskPhone(phone) : "invalid" },
      "staff code requested for an unknown phone",
    );
    return;
  }
  const destination = phoneDestination(deps.phoneChannels(), phone);
  if (!destination) {
    deps.log.warn({ staffId: member.id }, "no channel can deliver a staff sign-in code");
    return;
  }
  const uow = new UnitOfWork();
  const result = await issueCode(
    deps,
    uow,
    {
      purpose: "staff",
      phone,
      schoolId: member.schoolId,
      staffId: member.id,
      requestedBy: requesterOf(clientAddress),
    },
    destination,
    staffCatalogFor().codeMessage(),
  );
  if (result.status === "rate_limited") {
    deps.log.info({ staffId: member.id }, "staff code not sent: send limit reached");
    return;
  }
  await uow.commit(deps.db);
  deps.outboxQueued?.();
}

/**
 * The staff member the code proves, or null for a wrong, spent or expired code. A code works only
 * from the client address that asked for it.
 */
export async function verifyStaffCode(
  deps: ServiceDeps,
  rawPhone: string,
  code: string,
  clientAddress: string,
) {
  const phone = normalizePhone(rawPhone, deps.config.defaultCountry);
  if (!phone) return null;
  const uow = new UnitOfWork();
  const result = await checkCode(
    deps,
    uow,
    { purpose: "staff", phone, requestedBy: requesterOf(clientAddress) },
    code.trim(),
  );
  await uow.commit(deps.db);
  if (result.status !== "verified" || result.staffId === null) return null;
  const [member] = await deps.db
    .select()
    .from(schema.staff)
    .where(eq(schema.staff.id, result.staffId));
  return member?.active ? member : null;
}

/**
 * A short-lived access token for one session (`sid`: its refresh-token family). It names the member
 * and the session only: what they may do is read from the directory on every request.
 */
export async function issueAccessToken(
  deps: Pick<ServiceDeps, "secrets" | "now">,
  member: { id: number },
  sessionId: string,
): Promise<string> {
  const issuedAt = Math.floor(deps.now() / 1000);
  return sign(
    {
      iss: TOKEN_ISSUER,
      sub: String(member.id),
      sid: sessionId,
      iat: issuedAt,
      exp: issuedAt + ACCESS_TOKEN_TTL_SECONDS,
    },
    deps.secrets.key("jwt").toString("base64"),
    "HS256",
  );
}

/** The session a token carries, or null when it is forged, malformed, expired or has no session. */
export async function readAccessToken(
  deps: Pick<ServiceDeps, "secrets" | "now">,
  token: string,
): Promise<StaffSession | null> {
  try {
    // The signature and issuer are checked here; times against our own (injectable) clock below.
    const payload = await verify(token, deps.secrets.key("jwt").toString("base64"), {
      alg: "HS256",
      iss: TOKEN_ISSUER,
      exp: false,
      iat: false,
      nbf: false,
    });
    const nowSeconds = deps.now() / 1000;
    if (typeof payload.exp !== "number" || payload.exp <= nowSeconds) return null;
    const staffId = Number(payload.sub);
    const sessionId = payload.sid;
    if (!Number.isInteger(staffId) || typeof sessionId !== "string" || !sessionId) return null;
    return { staffId, sessionId, expiresAt: payload.exp * 1000 };
  } catch {
    return null;
  }
}
