// A .env file (a copy of .env.example) fills in what the environment leaves unset: a variable set in
// the environment wins, as with `node --env-file`. Parsed by Node's own dotenv reader.
import { existsSync, readFileSync } from "node:fs";
import { parseEnv } from "node:util";

/** Adds the file's variables that `env` lacks; false when there is no file. */
export function loadEnvFile(path: string, env: Record<string, string | undefined>): boolean {
  if (!existsSync(path)) return false;
  for (const [name, value] of Object.entries(parseEnv(readFileSync(path, "utf8")))) {
    if (env[name] === undefined) env[name] = value;
  }
  return true;
}
