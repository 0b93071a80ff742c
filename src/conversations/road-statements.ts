// The inbound road's statements, prepared once per database: every message runs them, and building
// a query cost more than running it (bench:flow profile). Reads are plain SQL so that one statement
// answers everything a step must know before it runs; writes stay drizzle builders (type-checked).
import { and, eq, sql } from "drizzle-orm";
import { type Database, schema } from "../../db";

const { conversations, inboundMessages } = schema;
const p = (name: string) => sql.placeholder(name);

/** A conversation row as the road needs it (no created_at); the snapshot is still JSON text. */
interface ConversationRow {
  id: number;
  machine: string;
  machineVersion: number;
  snapshot: string;
  version: number;
  updatedAt: number;
}

export interface StoredConversation extends Omit<ConversationRow, "snapshot"> {
  snapshot: unknown;
}

/** What a step reads before it runs, for one message. */
export interface StepReads {
  /** The message's (channel, provider id) was already received: a replay. */
  seen: boolean;
  /** Counted messages from the address received after `since` (the flooding guardrail's window). */
  recent: number;
  /** When the oldest of those was received (null when none): the window calms 5 minutes after. */
  oldestRecent: number | null;
  /** A message already arrived during the current pause: the pause has had its one answer. */
  pauseAnswered: boolean;
  /** A message arrived during a pause since `dayAgo`: a pause now is the second within a day. */
  pausedBefore: boolean;
  /** The address has opted out (STOP) on this channel. */
  optedOut: boolean;
  stored: StoredConversation | undefined;
}

interface StepReadsArgs {
  channel: string;
  address: string;
  id: string;
  /** The start of the flooding guardrail's window. */
  since: number;
  /** How far back an earlier pause makes a new one abuse. */
  dayAgo: number;
}

const conversationColumns = `c.id, c.machine, c.machine_version as machineVersion, c.snapshot,
  c.version, c.updated_at as updatedAt`;

const parseStored = (row: ConversationRow | undefined): StoredConversation | undefined =>
  row?.id == null ? undefined : { ...row, snapshot: JSON.parse(row.snapshot) };

export function prepareRoadStatements(db: Database) {
  const client = db.$client;
  // One row whatever exists: the dedupe probe, the flood count, the opt-out and the conversation
  // (if any) in a single statement instead of four, each on its index.
  const stepReads = client.prepare<
    StepReadsArgs,
    ConversationRow & {
      seen: number;
      recent: number;
      oldestRecent: number | null;
      pauseAnswered: number;
      pausedBefore: number;
      optedOut: number;
    }
  >(`select
      exists(select 1 from inbound_messages
        where channel = @channel and provider_message_id = @id) as seen,
      (select count(*) from inbound_messages
        where channel = @channel and address = @address and received_at > @since
          and counted) as recent,
      (select min(received_at) from inbound_messages
        where channel = @channel and address = @address and received_at > @since
          and counted) as oldestRecent,
      exists(select 1 from inbound_messages
        where channel = @channel and address = @address and not counted
          and received_at >= (select max(received_at) from inbound_messages
            where channel = @channel and address = @address and received_at > @since
              and counted)) as pauseAnswered,
      exists(select 1 from inbound_messages
        where channel = @channel and address = @address and received_at > @dayAgo
          and not counted) as pausedBefore,
      exists(select 1 from channel_identities
        where channel = @channel and address = @address and opted_out_at is not null) as optedOut,
      ${conversationColumns}
    from (select 1) left join conversations c on c.channel = @channel and c.address = @address`);
  const findConversation = client.prepare<{ channel: string; address: string }, ConversationRow>(
    `select ${conversationColumns} from conversations c
      where c.channel = @channel and c.address = @address`,
  );
  const schoolSettings = client.prepare<[number], { settings: string }>(
    "select settings from schools where id = ?",
  );
  const schoolContact = client.prepare<[number], { timezone: string; officePhone: string }>(
    "select timezone, office_phone as officePhone from schools where id = ?",
  );

  return {
    stepReads(args: StepReadsArgs): StepReads {
      const row = stepReads.get(args);
      return {
        seen: row?.seen === 1,
        recent: row?.recent ?? 0,
        oldestRecent: row?.oldestRecent ?? null,
        pauseAnswered: row?.pauseAnswered === 1,
        pausedBefore: row?.pausedBefore === 1,
        optedOut: row?.optedOut === 1,
        stored: parseStored(row),
      };
    },
    findConversation: (here: { channel: string; address: string }) =>
      parseStored(findConversation.get(here)),
    schoolSettings(schoolId: number): Record<string, unknown> {
      const row = schoolSettings.get(schoolId);
      return row ? (JSON.parse(row.settings) as Record<string, unknown>) : {};
    },
    /** The school's time zone and office phone, for a message the road writes itself. */
    schoolContact: (schoolId: number) => schoolContact.get(schoolId),
    insertInbound: db
      .insert(inboundMessages)
      .values({
        channel: p("channel"),
        address: p("address"),
        providerMessageId: p("id"),
        receivedAt: p("receivedAt"),
        counted: p("counted"),
      })
      .onConflictDoNothing()
      .prepare(),
    insertConversation: db
      .insert(conversations)
      .values({
        channel: p("channel"),
        address: p("address"),
        machine: p("machine"),
        machineVersion: p("machineVersion"),
        snapshot: p("snapshot"),
        createdAt: p("now"),
        updatedAt: p("now"),
      })
      .onConflictDoNothing()
      .prepare(),
    /** Guarded on the version read: a racing step that wrote first makes this change nothing. */
    updateConversation: db
      .update(conversations)
      .set({
        machine: sql`${p("machine")}`,
        machineVersion: sql`${p("machineVersion")}`,
        snapshot: sql`${p("snapshot")}`,
        version: sql`${conversations.version} + 1`,
        updatedAt: sql`${p("now")}`,
      })
      .where(and(eq(conversations.id, p("id")), eq(conversations.version, p("version"))))
      .prepare(),
  };
}

export type RoadStatements = ReturnType<typeof prepareRoadStatements>;
