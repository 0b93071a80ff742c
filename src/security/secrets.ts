// Keys derived from APP_SECRET (one per purpose, via HKDF), keyed hashes, constant-time compare,
// and sealing of short secrets (a one-time code waiting in the outbox) with AES-256-GCM.
import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  hkdfSync,
  randomBytes,
  randomInt,
  timingSafeEqual,
} from "node:crypto";

export type KeyPurpose = "otp-hash" | "token-hash" | "jwt" | "outbox-seal";

export interface Secrets {
  /** HMAC-SHA256 of `value` under the purpose's key, hex. */
  hash(purpose: "otp-hash" | "token-hash", value: string): string;
  /** The raw key for a purpose (the JWT signer takes it as a string). */
  key(purpose: KeyPurpose): Buffer;
  seal(plaintext: string): string;
  unseal(sealed: string): string;
}

export function createSecrets(appSecret: string): Secrets {
  const keys = new Map<KeyPurpose, Buffer>();
  const key = (purpose: KeyPurpose) => {
    let derived = keys.get(purpose);
    if (!derived) {
      derived = Buffer.from(hkdfSync("sha256", appSecret, "parentline", purpose, 32));
      keys.set(purpose, derived);
    }
    return derived;
  };
  return {
    key,
    hash: (purpose, value) => createHmac("sha256", key(purpose)).update(value).digest("hex"),
    seal(plaintext) {
      const iv = randomBytes(12);
      const cipher = createCipheriv("aes-256-gcm", key("outbox-seal"), iv);
      const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
      return [iv, cipher.getAuthTag(), body].map((part) => part.toString("base64url")).join(".");
    },
    unseal(sealed) {
      const [iv, tag, body] = sealed.split(".").map((part) => Buffer.from(part, "base64url"));
      if (!iv || !tag || !body) throw new Error("malformed sealed value");
      const decipher = createDecipheriv("aes-256-gcm", key("outbox-seal"), iv);
      decipher.setAuthTag(tag);
      return Buffer.concat([decipher.update(body), decipher.final()]).toString("utf8");
    },
  };
}

/** Compares two hex digests without leaking where they differ. */
export function digestsEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, "hex");
  const right = Buffer.from(b, "hex");
  return left.length === right.length && timingSafeEqual(left, right);
}

/** Compares two secrets without leaking, through timing, where they differ or how long they are. */
export function secretsMatch(given: string, expected: string): boolean {
  const digest = (value: string) => createHash("sha256").update(value).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

/** A uniformly random 6-digit code from the OS's CSPRNG. */
export function generateCode(): string {
  return randomInt(0, 1_000_000).toString().padStart(6, "0");
}

/** The SHA-256 of a text, in hex: a fingerprint, not a secret. */
export function sha256Hex(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString("base64url");
}
