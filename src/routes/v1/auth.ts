// /v1/auth: staff sign-in by one-time code.
import { createRoute, OpenAPIHono } from "@hono/zod-openapi";
import type { schema } from "../../../db";
import type { AppEnv } from "../../http/app-env";
import { ApiError } from "../../http/errors";
import { validationHook } from "../../http/validation";
import type { ServiceDeps } from "../../services/deps";
import { staffDisplayName } from "../../services/directory";
import {
  issueRefreshToken,
  revokeRefreshToken,
  rotateRefreshToken,
} from "../../services/refresh-tokens";
import {
  ACCESS_TOKEN_TTL_SECONDS,
  issueAccessToken,
  requestStaffCode,
  verifyStaffCode,
} from "../../services/staff-auth";
import {
  CodeRequested,
  errorResponses,
  PhoneBody,
  RefreshBody,
  TokenSchema,
  VerifyBody,
} from "./schemas";

const requestCode = createRoute({
  method: "post",
  path: "/otp/request",
  tags: ["Sign-in"],
  summary: "Send a sign-in code to a staff member's phone",
  description:
    "Always answers 202 with the same body, whether or not the phone belongs to staff, so it cannot be used to discover staff numbers.",
  request: { body: { content: { "application/json": { schema: PhoneBody } }, required: true } },
  responses: {
    202: {
      description: "A code is on its way if the phone belongs to staff",
      content: { "application/json": { schema: CodeRequested } },
    },
    ...errorResponses(400, 413, 422),
  },
});

const verifyCode = createRoute({
  method: "post",
  path: "/otp/verify",
  tags: ["Sign-in"],
  summary: "Exchange a sign-in code for an access token",
  request: { body: { content: { "application/json": { schema: VerifyBody } }, required: true } },
  responses: {
    200: { description: "Signed in", content: { "application/json": { schema: TokenSchema } } },
    ...errorResponses(400, 401, 413, 422),
  },
});

const refresh = createRoute({
  method: "post",
  path: "/refresh",
  tags: ["Sign-in"],
  summary: "Exchange a refresh token for a new access token and refresh token",
  request: { body: { content: { "application/json": { schema: RefreshBody } }, required: true } },
  responses: {
    200: {
      description: "A new pair; the presented refresh token is spent",
      content: { "application/json": { schema: TokenSchema } },
    },
    ...errorResponses(400, 401, 413, 422),
  },
});

const logout = createRoute({
  method: "post",
  path: "/logout",
  tags: ["Sign-in"],
  summary: "Sign out: the session's refresh tokens and its access tokens stop working at once",
  request: { body: { content: { "application/json": { schema: RefreshBody } }, required: true } },
  responses: {
    204: { description: "Signed out (also for a token that was unknown or already revoked)" },
    ...errorResponses(400, 413, 422),
  },
});

const refreshRefusals = {
  unknown: "The refresh token is not valid",
  expired: "The refresh token has expired; sign in again",
  revoked: "The refresh token was revoked; sign in again",
  reused:
    "The refresh token was already used, so every session from it has been signed out; sign in again",
} as const;

export function authRoutes(deps: ServiceDeps) {
  /** The body both sign-in and refresh answer with. */
  async function tokenPair(
    member: typeof schema.staff.$inferSelect,
    session: { refreshToken: string; sessionId: string },
  ) {
    return {
      accessToken: await issueAccessToken(deps, member, session.sessionId),
      tokenType: "Bearer" as const,
      expiresIn: ACCESS_TOKEN_TTL_SECONDS,
      refreshToken: session.refreshToken,
      staff: {
        id: member.id,
        schoolId: member.schoolId,
        name: staffDisplayName(member),
        role: member.role,
        officeFunction: member.officeFunction,
      },
    };
  }

  return new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
    .openapi(requestCode, async (c) => {
      await requestStaffCode(deps, c.req.valid("json").phone, c.get("clientAddress") ?? "unknown");
      return c.json(
        {
          status: "sent" as const,
          message:
            "If this number belongs to staff, a code is on its way. It expires in 10 minutes.",
        },
        202,
      );
    })
    .openapi(verifyCode, async (c) => {
      const { phone, code } = c.req.valid("json");
      const member = await verifyStaffCode(deps, phone, code, c.get("clientAddress") ?? "unknown");
      if (!member)
        throw new ApiError(401, "invalid_code", "The code is wrong, expired or already used");
      return c.json(await tokenPair(member, await issueRefreshToken(deps, member)), 200);
    })
    .openapi(refresh, async (c) => {
      const outcome = await rotateRefreshToken(deps, c.req.valid("json").refreshToken);
      if (!outcome.ok) {
        throw new ApiError(401, `refresh_${outcome.reason}`, refreshRefusals[outcome.reason]);
      }
      return c.json(await tokenPair(outcome.member, outcome), 200);
    })
    .openapi(logout, async (c) => {
      await revokeRefreshToken(deps, c.req.valid("json").refreshToken);
      return c.body(null, 204);
    });
}
