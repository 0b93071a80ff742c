// Turns a failed zod validation into a 422 in the error envelope, with one detail per field.
import type { Context } from "hono";
import { errorResponse } from "./errors";

interface ValidationIssues {
  issues: readonly { path: readonly PropertyKey[]; message: string }[];
}

type ValidationResult = { success: true } | { success: false; error: ValidationIssues };

export function validationDetails(error: ValidationIssues) {
  return error.issues.map((issue) => ({
    path: issue.path.map(String).join("."),
    message: issue.message,
  }));
}

export const validationHook = (result: ValidationResult, c: Context) => {
  if (!result.success) {
    return errorResponse(
      c,
      422,
      "validation_failed",
      "The request is not valid",
      validationDetails(result.error),
    );
  }
  return undefined;
};
