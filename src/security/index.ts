export {
  createSecrets,
  digestsEqual,
  generateCode,
  type KeyPurpose,
  randomToken,
  type Secrets,
  secretsMatch,
  sha256Hex,
} from "./secrets";
