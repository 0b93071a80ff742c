export { type Config, ConfigError, type Environment, parseConfig } from "./config";
export { loadEnvFile } from "./env-file";
