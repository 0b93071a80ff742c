// Contracts shared by bots/, src/ and (as types) flows/: the vocabulary, the Channel interface, and
// the few helpers a channel needs (phone normalization, rendering, send errors, the error envelope,
// validation).

export { normalizePhone } from "../domain/phone";
export type { AppEnv } from "../http/app-env";
export { ApiError } from "../http/errors";
export { cspNonce } from "../http/security-headers";
export { validationHook } from "../http/validation";
export { secretsMatch } from "../security/secrets";
export type * from "./channel";
export type * from "./messages";
export * from "./part-progress";
export * from "./render";
export * from "./send-errors";
