export {
  createSecrets,
  digestsEqual,
  generateCode,
  type KeyPurpose,
  randomToken,
  type Secrets,
  secretsMatch,
} from "./secrets";
