export {
  createSecrets,
  digestsEqual,
  generateCode,
  type KeyPurpose,
  randomToken,
  type Secrets,
} from "./secrets";
