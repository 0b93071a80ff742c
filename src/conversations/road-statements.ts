// The inbound road's statements, built once per database as drizzle prepared queries: every
// message runs each of them, and building a query cost more than running it (bench:flow profile).
import { and, count, eq, gt, sql } from "drizzle-orm";
import { type Database, schema } from "../../db";

const { conversations, inboundMessages, schools } = schema;
const p = (name: string) => sql.placeholder(name);

export function prepareRoadStatements(db: Database) {
  return {
    findInbound: db
      .select({ id: inboundMessages.providerMessageId })
      .from(inboundMessages)
      .where(
        and(
          eq(inboundMessages.channel, p("channel")),
          eq(inboundMessages.providerMessageId, p("id")),
        ),
      )
      .prepare(),
    findConversation: db
      .select()
      .from(conversations)
      .where(and(eq(conversations.channel, p("channel")), eq(conversations.address, p("address"))))
      .prepare(),
    countRecentInbound: db
      .select({ messages: count() })
      .from(inboundMessages)
      .where(
        and(
          eq(inboundMessages.channel, p("channel")),
          eq(inboundMessages.address, p("address")),
          gt(inboundMessages.receivedAt, p("since")),
        ),
      )
      .prepare(),
    schoolSettings: db
      .select({ settings: schools.settings })
      .from(schools)
      .where(eq(schools.id, p("schoolId")))
      .prepare(),
    insertInbound: db
      .insert(inboundMessages)
      .values({
        channel: p("channel"),
        address: p("address"),
        providerMessageId: p("id"),
        receivedAt: p("receivedAt"),
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
