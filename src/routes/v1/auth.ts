// /v1/auth: staff sign-in by one-time code.
import { createRoute, OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../../http/app-env";
import { ApiError } from "../../http/errors";
import { validationHook } from "../../http/validation";
import type { ServiceDeps } from "../../services/deps";
import { staffDisplayName } from "../../services/directory";
import {
  ACCESS_TOKEN_TTL_SECONDS,
  issueAccessToken,
  requestStaffCode,
  verifyStaffCode,
} from "../../services/staff-auth";
import { CodeRequested, errorResponses, PhoneBody, TokenSchema, VerifyBody } from "./schemas";

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

export function authRoutes(deps: ServiceDeps) {
  return new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
    .openapi(requestCode, async (c) => {
      await requestStaffCode(deps, c.req.valid("json").phone);
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
      const member = await verifyStaffCode(deps, phone, code);
      if (!member)
        throw new ApiError(401, "invalid_code", "The code is wrong, expired or already used");
      return c.json(
        {
          accessToken: await issueAccessToken(deps, member),
          tokenType: "Bearer" as const,
          expiresIn: ACCESS_TOKEN_TTL_SECONDS,
          staff: {
            id: member.id,
            schoolId: member.schoolId,
            name: staffDisplayName(member),
            role: member.role,
            officeFunction: member.officeFunction,
          },
        },
        200,
      );
    });
}
