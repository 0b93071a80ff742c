export { type Config, ConfigError, type Environment, parseConfig } from "./config";
