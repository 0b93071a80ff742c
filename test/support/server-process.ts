// Runs the real Node entry (src/main.ts through tsx) as a child process on a free port, for
// end-to-end tests that need a real server: real sockets, real signals, a real SQLite file.
import { type ChildProcess, spawn } from "node:child_process";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { isAbsolute, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { CONFIG_VARIABLES } from "../../src/config/config";

/** The project root, found from this file rather than hard-coded. */
const PROJECT_ROOT = fileURLToPath(new URL("../../", import.meta.url));
/** tsx's loader by absolute URL, so the server can run in any working directory. */
const TSX_LOADER = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;
/** What a child process needs from the test's own environment to run at all. */
const INHERITED = ["PATH", "HOME", "TMPDIR", "TZ", "LANG", "SYSTEMROOT"];

const READY_TIMEOUT_MS = 20_000;
const READY_POLL_MS = 100;
const STOP_TIMEOUT_MS = 10_000;

export interface StartServerOptions {
  databasePath: string;
  /** Variables for the server, over the defaults (PORT, DATABASE_PATH, NODE_ENV, LOG_LEVEL). */
  env?: Record<string, string>;
  /** The script to run, relative to the project root; it must serve GET /health. */
  entry?: string;
  /** The server's working directory (where it would read a `.env`); the project root by default. */
  cwd?: string;
}

export interface ServerProcess {
  baseUrl: string;
  /** The server's process id (to signal it directly, e.g. to start a profile). */
  pid: number;
  /** Sends the signal (SIGTERM by default) and resolves with the exit code once the process exits. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  /** SIGKILLs the process and resolves once it has exited. */
  kill(): Promise<void>;
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string;
}

const running = new Set<ChildProcess>();

// Last line of defence: if the test worker exits without calling stopAllServers, take the children
// with it rather than leaving servers holding ports and database files.
process.once("exit", () => {
  for (const child of running) child.kill("SIGKILL");
});

/** Asks the OS for a free port: listen on port 0, read the port, close. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.unref();
    probe.on("error", reject);
    probe.listen(0, () => {
      const address = probe.address();
      if (address === null || typeof address === "string") {
        probe.close();
        reject(new Error("could not read the probe port"));
        return;
      }
      probe.close((error) => (error ? reject(error) : resolve(address.port)));
    });
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

/**
 * The server's whole environment, spelled out: the developer's shell and `.env` never reach it.
 * Every variable Parentline reads is present, empty (= its default) unless the test sets it, so
 * the entry's `.env` loader (which fills only variables the environment lacks) has nothing to fill.
 */
export function serverEnvironment(
  port: number,
  databasePath: string,
  env: Record<string, string> = {},
): Record<string, string> {
  const inherited = INHERITED.flatMap((name) => {
    const value = process.env[name];
    return value === undefined ? [] : [[name, value] as const];
  });
  return {
    ...Object.fromEntries(inherited),
    ...Object.fromEntries(CONFIG_VARIABLES.map((name) => [name, ""])),
    PORT: String(port),
    DATABASE_PATH: databasePath,
    NODE_ENV: "development",
    LOG_LEVEL: "warn",
    ...env,
  };
}

/** Runs a one-off entry (a CLI such as src/db-backup.ts) to its end, on the same explicit environment. */
export async function runEntry({
  entry,
  args = [],
  databasePath,
  env,
  cwd = PROJECT_ROOT,
}: {
  entry: string;
  args?: string[];
  databasePath: string;
  env?: Record<string, string>;
  cwd?: string;
}): Promise<{ code: number | null; output: string }> {
  const child = spawn(
    process.execPath,
    ["--import", TSX_LOADER, join(PROJECT_ROOT, entry), ...args],
    {
      cwd,
      env: serverEnvironment(0, databasePath, env),
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let output = "";
  child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
    output += chunk;
  });
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
    output += chunk;
  });
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", resolve);
  });
  return { code, output };
}

/** Resolves with the exit code (null when killed by a signal) once the child has exited. */
function exited(child: ChildProcess): Promise<number | null> {
  if (hasExited(child)) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once("exit", (code) => resolve(code)));
}

export async function startServer({
  databasePath,
  env,
  entry = "src/main.ts",
  cwd = PROJECT_ROOT,
}: StartServerOptions): Promise<ServerProcess> {
  const port = await freePort();
  const baseUrl = `http://localhost:${port}`;
  const script = isAbsolute(entry) ? entry : join(PROJECT_ROOT, entry);
  const child = spawn(process.execPath, ["--import", TSX_LOADER, script], {
    cwd,
    env: serverEnvironment(port, databasePath, env),
    stdio: ["ignore", "pipe", "pipe"],
  });
  running.add(child);
  child.once("exit", () => running.delete(child));

  let collected = "";
  child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
    collected += chunk;
  });
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
    collected += chunk;
  });
  let spawnError: Error | undefined;
  child.once("error", (error) => {
    spawnError = error;
  });
  const exit = exited(child);

  const kill = async () => {
    if (child.pid === undefined) return; // never spawned: nothing to wait for
    if (!hasExited(child)) child.kill("SIGKILL");
    await exit;
  };

  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    if (spawnError || hasExited(child)) {
      await kill();
      throw new Error(
        `server exited before it was ready (code ${child.exitCode}, signal ${child.signalCode}${
          spawnError ? `, ${spawnError.message}` : ""
        }):\n${collected}`,
      );
    }
    try {
      const response = await fetch(`${baseUrl}/health`, {
        signal: AbortSignal.timeout(1_000),
      });
      await response.body?.cancel();
      if (response.status === 200) break;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      await kill();
      throw new Error(
        `server did not answer GET /health with 200 within ${READY_TIMEOUT_MS} ms:\n${collected}`,
      );
    }
    await sleep(READY_POLL_MS);
  }

  return {
    baseUrl,
    pid: child.pid ?? 0,
    output: () => collected,
    kill,
    async stop(signal = "SIGTERM") {
      if (hasExited(child)) return child.exitCode;
      child.kill(signal);
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          child.kill("SIGKILL");
          reject(
            new Error(
              `server did not exit within ${STOP_TIMEOUT_MS} ms of ${signal}; killed:\n${collected}`,
            ),
          );
        }, STOP_TIMEOUT_MS);
      });
      try {
        return await Promise.race([exit, timeout]);
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

/** SIGKILLs every server this module started that is still running; for afterAll. */
export async function stopAllServers(): Promise<void> {
  await Promise.all(
    [...running]
      .filter((child) => child.pid !== undefined)
      .map((child) => {
        const gone = exited(child);
        if (!hasExited(child)) child.kill("SIGKILL");
        return gone;
      }),
  );
  running.clear();
}
