// The gateway's own SQLite file ({WHATSAPP_WEB_DATA_DIR}/gateway.sqlite, Node only): the relays
// still to reach the runtime, the ones the runtime refused as bad, and the sends /send made per
// outbox row. SQLite rather than an append-only file because a relay is removed from the middle
// of what is kept (a set-aside one) and sends are looked up by outbox row and pruned by age,
// which a log would have to compact by hand; better-sqlite3 is already how Node keeps data here.
// The tables are the gateway's, not Parentline's schema: they are created here, not by drizzle-kit.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import BetterSqlite3 from "better-sqlite3";

export const GATEWAY_STORE_FILE = "gateway.sqlite";

/** A relay waiting for the runtime to answer 2xx. */
export interface QueuedRelay {
  id: number;
  /** The signed body, as JSON. */
  body: string;
  receivedAt: number;
  attempts: number;
}

/** A relay the runtime said was itself bad (400, 413, 422), kept out of the queue. */
export interface SetAsideRelay {
  id: number;
  body: string;
  receivedAt: number;
  status: number;
  reason: string;
  setAsideAt: number;
}

export interface RememberedSend {
  providerMessageId: string;
  /** What was sent, so a reused outbox id (a reset runtime database) is not taken for it. */
  fingerprint: string;
}

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS relays (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    body TEXT NOT NULL,
    received_at INTEGER NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0
  );
  CREATE TABLE IF NOT EXISTS set_aside_relays (
    id INTEGER PRIMARY KEY,
    body TEXT NOT NULL,
    received_at INTEGER NOT NULL,
    status INTEGER NOT NULL,
    reason TEXT NOT NULL,
    set_aside_at INTEGER NOT NULL
  );
  CREATE TABLE IF NOT EXISTS sends (
    outbox_id INTEGER PRIMARY KEY,
    provider_message_id TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    sent_at INTEGER NOT NULL
  );
  CREATE INDEX IF NOT EXISTS sends_sent_at ON sends (sent_at);
`;

export function openGatewayStore(dataDir: string) {
  mkdirSync(dataDir, { recursive: true });
  const db = new BetterSqlite3(join(dataDir, GATEWAY_STORE_FILE));
  // WAL with NORMAL sync keeps every commit through a crash of the process (an OS crash can lose
  // the last ones), as Parentline's own database does.
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = NORMAL");
  db.pragma("busy_timeout = 5000");
  db.exec(SCHEMA);

  const insertRelay = db.prepare<[string, number], { id: number }>(
    "INSERT INTO relays (body, received_at) VALUES (?, ?) RETURNING id",
  );
  const firstRelay = db.prepare<[], QueuedRelay>(
    "SELECT id, body, received_at AS receivedAt, attempts FROM relays ORDER BY id LIMIT 1",
  );
  const countRelays = db.prepare<[], { count: number; oldest: number | null }>(
    "SELECT count(*) AS count, min(received_at) AS oldest FROM relays",
  );
  const deleteRelay = db.prepare<[number]>("DELETE FROM relays WHERE id = ?");
  const countAttempt = db.prepare<[number]>(
    "UPDATE relays SET attempts = attempts + 1 WHERE id = ?",
  );
  const insertSetAside = db.prepare<[number, string, number, number]>(
    `INSERT INTO set_aside_relays (id, body, received_at, status, reason, set_aside_at)
     SELECT id, body, received_at, ?, ?, ? FROM relays WHERE id = ?`,
  );
  const listSetAside = db.prepare<[], SetAsideRelay>(
    `SELECT id, body, received_at AS receivedAt, status, reason, set_aside_at AS setAsideAt
     FROM set_aside_relays ORDER BY id`,
  );
  const countSetAside = db.prepare<[], { count: number }>(
    "SELECT count(*) AS count FROM set_aside_relays",
  );
  const findSend = db.prepare<[number], RememberedSend>(
    `SELECT provider_message_id AS providerMessageId, fingerprint FROM sends WHERE outbox_id = ?`,
  );
  const upsertSend = db.prepare<[number, string, string, number]>(
    `INSERT INTO sends (outbox_id, provider_message_id, fingerprint, sent_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (outbox_id) DO UPDATE SET provider_message_id = excluded.provider_message_id,
       fingerprint = excluded.fingerprint, sent_at = excluded.sent_at`,
  );
  const pruneSends = db.prepare<[number]>("DELETE FROM sends WHERE sent_at < ?");
  const setAside = db.transaction((id: number, status: number, reason: string, at: number) => {
    insertSetAside.run(status, reason, at, id);
    deleteRelay.run(id);
  });

  return {
    /** Keeps a relay until the runtime takes it; its id orders it behind every earlier one. */
    enqueue: (body: string, receivedAt: number) => insertRelay.get(body, receivedAt)?.id ?? 0,
    /** The oldest relay still to go. */
    first: () => firstRelay.get(),
    /** The runtime answered 2xx: the relay is done. */
    delivered: (id: number) => void deleteRelay.run(id),
    countAttempt: (id: number) => void countAttempt.run(id),
    setAside: (id: number, status: number, reason: string, at: number) =>
      setAside(id, status, reason, at),
    pending: () => countRelays.get() ?? { count: 0, oldest: null },
    setAsideCount: () => countSetAside.get()?.count ?? 0,
    setAsideRelays: () => listSetAside.all(),
    findSend: (outboxId: number) => findSend.get(outboxId),
    rememberSend: (outboxId: number, send: RememberedSend, at: number) =>
      void upsertSend.run(outboxId, send.providerMessageId, send.fingerprint, at),
    /** Forgets sends made before `before`; answers how many. */
    forgetSendsBefore: (before: number) => pruneSends.run(before).changes,
    close: () => db.close(),
  };
}

export type GatewayStore = ReturnType<typeof openGatewayStore>;
