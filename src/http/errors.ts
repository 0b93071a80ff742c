// The HTTP error envelope { error: { code, message, details? } } and the app's one error handler.
import type { Context, ErrorHandler, NotFoundHandler } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { AppEnv } from "./app-env";

export interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
}

/** An expected refusal with a status, a machine-readable code and optional details. */
export class ApiError extends HTTPException {
  constructor(
    status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(status, { message });
    this.name = "ApiError";
  }
}

export const notFound = (what: string) => new ApiError(404, "not_found", `${what} not found`);

/** A CSV upload that cannot be read at all (422): the missing columns, or the line it broke on. */
export const unreadableCsv = (
  what: string,
  failure: { error: string; missing?: string[] | undefined; line?: number | undefined },
) =>
  new ApiError(
    422,
    "validation_failed",
    `${what} cannot be read: ${failure.error}`,
    failure.missing
      ? { missingColumns: failure.missing }
      : failure.line
        ? { line: failure.line }
        : undefined,
  );

const codeForStatus: Record<number, string> = {
  400: "bad_request",
  401: "unauthorized",
  403: "forbidden",
  404: "not_found",
  405: "method_not_allowed",
  409: "conflict",
  413: "payload_too_large",
  415: "unsupported_media_type",
  422: "validation_failed",
  429: "rate_limited",
};

export function errorResponse(
  c: Context,
  status: ContentfulStatusCode,
  code: string,
  message: string,
  details?: unknown,
) {
  const body: ErrorBody = {
    error: { code, message, ...(details === undefined ? {} : { details }) },
  };
  return c.json(body, status);
}

export const handleError: ErrorHandler<AppEnv> = (err, c) => {
  if (err instanceof ApiError) {
    return errorResponse(c, err.status as ContentfulStatusCode, err.code, err.message, err.details);
  }
  if (err instanceof HTTPException) {
    const status = err.status as ContentfulStatusCode;
    // Hono's own refusals (malformed JSON, body limit) carry a message fit for the client.
    return errorResponse(
      c,
      status,
      codeForStatus[status] ?? "error",
      err.message || "Request refused",
    );
  }
  c.get("log")?.error({ err, requestId: c.get("requestId") }, "unhandled error");
  return errorResponse(c, 500, "internal", "Something went wrong on our side. Please try again.");
};

export const handleNotFound: NotFoundHandler<AppEnv> = (c) =>
  errorResponse(c, 404, "not_found", `No route for ${c.req.method} ${c.req.path}`);
