// The whole Parentline domain as one drizzle sqlite-core schema, shared by better-sqlite3 (Node) and D1 (Workers).
// Times are integer milliseconds since the epoch; every row that belongs to a school carries school_id.
import { sql } from "drizzle-orm";
import {
  type AnySQLiteColumn,
  index,
  integer,
  primaryKey,
  sqliteTable,
  text,
  uniqueIndex,
} from "drizzle-orm/sqlite-core";
import { ticketStatuses } from "../src/domain/lifecycle";
import { officeFunctions, ticketCategories } from "../src/domain/routing";
import { ticketPriorities } from "../src/domain/sla";

const createdAt = () =>
  integer("created_at", { mode: "number" })
    .notNull()
    .default(sql`(cast(unixepoch('subsec') * 1000 as integer))`);

export const schools = sqliteTable("schools", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  slug: text("slug").notNull().unique(),
  name: text("name").notNull(),
  timezone: text("timezone").notNull().default("UTC"),
  /** Telephone line parents are told to call when the bot cannot help. */
  officePhone: text("office_phone").notNull(),
  /** Per-school settings (guardrail limits, categories, quiet hours) as JSON; defaults live in src/domain. */
  settings: text("settings", { mode: "json" })
    .$type<Record<string, unknown>>()
    .notNull()
    .default({}),
  /** Last ticket number handed out; references are T-<number>, unique per school. */
  lastTicketNumber: integer("last_ticket_number").notNull().default(1000),
  /**
   * The time zone and working hours (settings.sla) the school's stored report durations were
   * counted in; when either differs, reports count them again (src/services/report-durations.ts).
   */
  reportDurationsBasis: text("report_durations_basis"),
  createdAt: createdAt(),
});

export const classes = sqliteTable(
  "classes",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    schoolId: integer("school_id")
      .notNull()
      .references(() => schools.id),
    grade: integer("grade").notNull(),
    section: text("section").notNull(),
    /** Display name, e.g. "5A". */
    name: text("name").notNull(),
  },
  (t) => [uniqueIndex("classes_school_name").on(t.schoolId, t.name)],
);

export const staffRoles = ["teacher", "office", "admin"] as const;
export type StaffRole = (typeof staffRoles)[number];

export const staff = sqliteTable(
  "staff",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    schoolId: integer("school_id")
      .notNull()
      .references(() => schools.id),
    /** Courtesy title used when telling parents who has their ticket ("Ms Rao"). */
    title: text("title").notNull().default(""),
    firstName: text("first_name").notNull(),
    lastName: text("last_name").notNull(),
    phone: text("phone").notNull(),
    role: text("role", { enum: staffRoles }).notNull(),
    officeFunction: text("office_function", { enum: officeFunctions }),
    active: integer("active", { mode: "boolean" }).notNull().default(true),
    /** How ticket alerts reach the member's staff chat (mode, quiet hours) as JSON; defaults in src/domain. */
    alertPreferences: text("alert_preferences", { mode: "json" })
      .$type<Record<string, unknown>>()
      .notNull()
      .default({}),
    /** When the member's last morning summary was queued: one per school day. */
    summarySentAt: integer("summary_sent_at"),
    /** When an admin's last weekly report was queued: one per school week. */
    weeklyReportSentAt: integer("weekly_report_sent_at"),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("staff_school_phone").on(t.schoolId, t.phone),
    index("staff_phone").on(t.phone),
  ],
);

export const classTeachers = sqliteTable(
  "class_teachers",
  {
    classId: integer("class_id")
      .notNull()
      .references(() => classes.id),
    staffId: integer("staff_id")
      .notNull()
      .references(() => staff.id),
    schoolId: integer("school_id")
      .notNull()
      .references(() => schools.id),
    /** The form/class teacher, as opposed to a subject teacher of that class. */
    isClassTeacher: integer("is_class_teacher", { mode: "boolean" }).notNull().default(false),
    subject: text("subject"),
  },
  (t) => [
    primaryKey({ columns: [t.classId, t.staffId] }),
    index("class_teachers_staff").on(t.staffId),
  ],
);

export const students = sqliteTable(
  "students",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    schoolId: integer("school_id")
      .notNull()
      .references(() => schools.id),
    classId: integer("class_id")
      .notNull()
      .references(() => classes.id),
    admissionNo: text("admission_no").notNull(),
    firstName: text("first_name").notNull(),
    lastName: text("last_name").notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("students_school_admission").on(t.schoolId, t.admissionNo),
    index("students_class").on(t.classId),
  ],
);

export const guardians = sqliteTable(
  "guardians",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    schoolId: integer("school_id")
      .notNull()
      .references(() => schools.id),
    firstName: text("first_name").notNull(),
    lastName: text("last_name").notNull(),
    /** E.164; the number a one-time code may be sent to. */
    phone: text("phone").notNull(),
    language: text("language").notNull().default("en"),
    /** Set when staff (or the flooding guardrail) flag the guardian; their tickets go to the admin. */
    flaggedAt: integer("flagged_at"),
    flagReason: text("flag_reason"),
    /** Notification preferences (channel order, announcements instant/digest/off) as JSON. */
    preferences: text("preferences", { mode: "json" })
      .$type<Record<string, unknown>>()
      .notNull()
      .default({}),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("guardians_school_phone").on(t.schoolId, t.phone),
    index("guardians_phone").on(t.phone),
  ],
);

export const guardianStudents = sqliteTable(
  "guardian_students",
  {
    guardianId: integer("guardian_id")
      .notNull()
      .references(() => guardians.id),
    studentId: integer("student_id")
      .notNull()
      .references(() => students.id),
    schoolId: integer("school_id")
      .notNull()
      .references(() => schools.id),
    relationship: text("relationship").notNull().default("guardian"),
  },
  (t) => [
    primaryKey({ columns: [t.guardianId, t.studentId] }),
    index("guardian_students_student").on(t.studentId),
  ],
);

/** A chat address (channel + address) and who it belongs to once verified by one-time code. */
export const channelIdentities = sqliteTable(
  "channel_identities",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    channel: text("channel").notNull(),
    address: text("address").notNull(),
    schoolId: integer("school_id").references(() => schools.id),
    guardianId: integer("guardian_id").references(() => guardians.id),
    staffId: integer("staff_id").references(() => staff.id),
    verifiedAt: integer("verified_at"),
    /** After this instant the link no longer counts and the person verifies again. */
    expiresAt: integer("expires_at"),
    /** Set by STOP or a provider's "blocked"; nothing but the opt-out confirmation is sent while set. */
    optedOutAt: integer("opted_out_at"),
    lastInboundAt: integer("last_inbound_at"),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("channel_identities_address").on(t.channel, t.address),
    index("channel_identities_guardian").on(t.guardianId),
    // A staff member's chat, looked up for every ticket alert; parents' rows stay out of it.
    index("channel_identities_staff")
      .on(t.staffId, t.verifiedAt)
      .where(sql`${t.staffId} is not null`),
  ],
);

/** One conversation per chat address: the persisted XState snapshot and its optimistic version. */
export const conversations = sqliteTable(
  "conversations",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    channel: text("channel").notNull(),
    address: text("address").notNull(),
    machine: text("machine").notNull(),
    machineVersion: integer("machine_version").notNull(),
    snapshot: text("snapshot", { mode: "json" }).$type<unknown>().notNull(),
    version: integer("version").notNull().default(0),
    createdAt: createdAt(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [uniqueIndex("conversations_address").on(t.channel, t.address)],
);

/** Dedupe keys of inbound provider messages: a replayed webhook finds its key here and changes nothing. */
export const inboundMessages = sqliteTable(
  "inbound_messages",
  {
    channel: text("channel").notNull(),
    providerMessageId: text("provider_message_id").notNull(),
    address: text("address").notNull(),
    receivedAt: integer("received_at").notNull(),
    /**
     * Counts toward the flooding guardrail. A message that arrives during a flood pause is kept
     * (for dedupe, and as the mark of a pause) but does not count, so it cannot extend the pause.
     */
    counted: integer("counted", { mode: "boolean" }).notNull().default(true),
  },
  (t) => [
    primaryKey({ columns: [t.channel, t.providerMessageId] }),
    // The flooding guardrail counts one address's recent messages on every message.
    index("inbound_messages_address_time").on(t.channel, t.address, t.receivedAt),
    // Pruning deletes each channel's keys older than its provider's redelivery window.
    index("inbound_messages_channel_time").on(t.channel, t.receivedAt),
  ],
);

export const otpPurposes = ["guardian", "staff"] as const;
export type OtpPurpose = (typeof otpPurposes)[number];

/** One-time codes, stored only as a keyed hash. */
export const otpCodes = sqliteTable(
  "otp_codes",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    schoolId: integer("school_id")
      .notNull()
      .references(() => schools.id),
    purpose: text("purpose", { enum: otpPurposes }).notNull(),
    phone: text("phone").notNull(),
    guardianId: integer("guardian_id").references(() => guardians.id),
    staffId: integer("staff_id").references(() => staff.id),
    /** The conversation that asked for it (parent codes are bound to it); null for staff sign-in. */
    conversationKey: text("conversation_key"),
    /**
     * Who asked for it: the conversation for a code asked in a chat, the client address (an IPv6
     * address's /64) for the staff API. Send caps count per phone and per requester.
     */
    requestedBy: text("requested_by"),
    codeHash: text("code_hash").notNull(),
    attempts: integer("attempts").notNull().default(0),
    expiresAt: integer("expires_at").notNull(),
    consumedAt: integer("consumed_at"),
    createdAt: createdAt(),
  },
  (t) => [index("otp_codes_phone").on(t.phone, t.createdAt)],
);

/** Staff refresh tokens: opaque, stored hashed, rotated on every use; a family is revoked on reuse. */
export const refreshTokens = sqliteTable(
  "refresh_tokens",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    schoolId: integer("school_id")
      .notNull()
      .references(() => schools.id),
    staffId: integer("staff_id")
      .notNull()
      .references(() => staff.id),
    familyId: text("family_id").notNull(),
    tokenHash: text("token_hash").notNull().unique(),
    expiresAt: integer("expires_at").notNull(),
    usedAt: integer("used_at"),
    revokedAt: integer("revoked_at"),
    createdAt: createdAt(),
  },
  (t) => [index("refresh_tokens_family").on(t.familyId)],
);

/** A ticket answered or resolved whose working-hours duration for reports is not stored yet. */
export const durationsMissing = sql`(first_response_at is not null and first_response_working_ms is null) or (resolved_at is not null and resolution_working_ms is null)`;

export const tickets = sqliteTable(
  "tickets",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    schoolId: integer("school_id")
      .notNull()
      .references(() => schools.id),
    /** Per-school number; parents see it as T-<number>. */
    number: integer("number").notNull(),
    guardianId: integer("guardian_id")
      .notNull()
      .references(() => guardians.id),
    studentId: integer("student_id").references(() => students.id),
    category: text("category", { enum: ticketCategories }).notNull(),
    priority: text("priority", { enum: ticketPriorities }).notNull().default("normal"),
    status: text("status", { enum: ticketStatuses }).notNull().default("open"),
    assigneeStaffId: integer("assignee_staff_id").references(() => staff.id),
    routingReason: text("routing_reason").notNull(),
    /** Where staff replies go: the channel and address the parent used. */
    channel: text("channel").notNull(),
    address: text("address").notNull(),
    createdAt: createdAt(),
    updatedAt: integer("updated_at").notNull(),
    firstResponseAt: integer("first_response_at"),
    /** When the first staff answer is due under the school's SLA (src/domain/sla.ts), set at creation. */
    firstResponseDueAt: integer("first_response_due_at"),
    resolvedAt: integer("resolved_at"),
    /**
     * Creation to first answer and to resolution in the school's working hours (ms), stored for
     * reports; null until reports count them, and set back to null when resolved_at changes.
     */
    firstResponseWorkingMs: integer("first_response_working_ms"),
    resolutionWorkingMs: integer("resolution_working_ms"),
    reopenCount: integer("reopen_count").notNull().default(0),
    /** The parent's 1-5 rating once resolved, and what they wrote at the rating prompt. */
    rating: integer("rating"),
    /** When staff were last alerted about this ticket in their chat (follow-ups: one per 10 minutes). */
    lastAlertAt: integer("last_alert_at"),
    /** Parent messages since that alert that were not alerted yet; the next alert counts them. */
    unalertedMessages: integer("unalerted_messages").notNull().default(0),
    /** When the assignee was reminded that the first answer is nearly due (once). */
    slaRemindedAt: integer("sla_reminded_at"),
    /** When office and admin were told the first answer is overdue (once). */
    slaBreachToldAt: integer("sla_breach_told_at"),
    ratingComment: text("rating_comment"),
  },
  (t) => [
    uniqueIndex("tickets_school_number").on(t.schoolId, t.number),
    index("tickets_guardian_status").on(t.guardianId, t.status),
    index("tickets_school_assignee").on(t.schoolId, t.assigneeStaffId, t.status),
    index("tickets_school_created").on(t.schoolId, t.createdAt),
    // The list's other sorts: recently updated first, and urgent first then oldest.
    index("tickets_school_updated").on(t.schoolId, t.updatedAt),
    index("tickets_school_priority_created").on(t.schoolId, t.priority, t.createdAt),
    // The SLA job's look for tickets still waiting for their first answer; answered ones leave it.
    index("tickets_awaiting_first_response")
      .on(t.firstResponseDueAt)
      .where(sql`${t.firstResponseAt} is null and ${t.resolvedAt} is null`),
    // Follow-ups held back by the one-alert-per-10-minutes rule, waiting to be counted in an alert.
    index("tickets_unalerted").on(t.lastAlertAt).where(sql`${t.unalertedMessages} > 0`),
    // Reports read a period's tickets whole: every column they read is here, so a year of a
    // large school's tickets is read from the index rather than the wide ticket rows.
    index("tickets_report").on(
      t.schoolId,
      t.createdAt,
      t.category,
      t.assigneeStaffId,
      t.studentId,
      t.firstResponseAt,
      t.firstResponseDueAt,
      t.resolvedAt,
      t.reopenCount,
      t.rating,
      t.number,
      t.firstResponseWorkingMs,
      t.resolutionWorkingMs,
    ),
    // Tickets whose report durations are still to be counted: empty once reports have run.
    index("tickets_durations_missing").on(t.schoolId).where(durationsMissing),
  ],
);

export const messageAuthors = ["parent", "staff", "system"] as const;

export const ticketMessages = sqliteTable(
  "ticket_messages",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    schoolId: integer("school_id")
      .notNull()
      .references(() => schools.id),
    ticketId: integer("ticket_id")
      .notNull()
      .references((): AnySQLiteColumn => tickets.id),
    authorType: text("author_type", { enum: messageAuthors }).notNull(),
    authorStaffId: integer("author_staff_id").references(() => staff.id),
    body: text("body").notNull(),
    /** Internal notes are for staff only and are never sent. */
    internal: integer("internal", { mode: "boolean" }).notNull().default(false),
    attachments: text("attachments", { mode: "json" })
      .$type<{ url: string; contentType?: string }[]>()
      .notNull()
      .default([]),
    createdAt: createdAt(),
  },
  (t) => [index("ticket_messages_ticket").on(t.ticketId, t.id)],
);

/** A school's ready-made answers; {parent} and {child} are filled in when one is used. */
export const cannedReplies = sqliteTable(
  "canned_replies",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    schoolId: integer("school_id")
      .notNull()
      .references(() => schools.id),
    title: text("title").notNull(),
    body: text("body").notNull(),
    createdByStaffId: integer("created_by_staff_id").references(() => staff.id),
    createdAt: createdAt(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [uniqueIndex("canned_replies_school_title").on(t.schoolId, t.title)],
);

export const announcements = sqliteTable(
  "announcements",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    schoolId: integer("school_id")
      .notNull()
      .references(() => schools.id),
    authorStaffId: integer("author_staff_id")
      .notNull()
      .references(() => staff.id),
    /** The audience as chosen (school, grades, classes, admission numbers) as JSON. */
    audience: text("audience", { mode: "json" }).$type<Record<string, unknown>>().notNull(),
    body: text("body").notNull(),
    /** A photo or document sent with the text: a public https URL the school hosts. */
    attachment: text("attachment", { mode: "json" }).$type<{ url: string; contentType?: string }>(),
    urgent: integer("urgent", { mode: "boolean" }).notNull().default(false),
    scheduledAt: integer("scheduled_at"),
    status: text("status", { enum: ["scheduled", "sending", "sent", "cancelled"] })
      .notNull()
      .default("scheduled"),
    /**
     * The chat message that asked for it ("channel:provider id"), when one did: the same message
     * delivered again (a provider's retry after a crash) finds the announcement instead of making
     * a second.
     */
    sourceKey: text("source_key"),
    createdAt: createdAt(),
  },
  (t) => [
    index("announcements_school").on(t.schoolId, t.createdAt),
    uniqueIndex("announcements_source_key").on(t.sourceKey),
    // The scheduler's look for announcements whose time has come.
    index("announcements_due").on(t.status, t.scheduledAt),
  ],
);

export const announcementRecipients = sqliteTable(
  "announcement_recipients",
  {
    announcementId: integer("announcement_id")
      .notNull()
      .references(() => announcements.id),
    guardianId: integer("guardian_id")
      .notNull()
      .references(() => guardians.id),
    schoolId: integer("school_id")
      .notNull()
      .references(() => schools.id),
    /** The message that carries it to the guardian: their own, or the daily digest that listed it. */
    outboxId: integer("outbox_id"),
    /**
     * Why the guardian could not be reached (no_channel, opted_out, announcements_off); null when a
     * message was queued or the announcement waits for the guardian's digest.
     */
    skippedReason: text("skipped_reason"),
    /** The channel chosen for the guardian when the announcement went out (counts by channel). */
    channel: text("channel"),
    /** Set when the guardian takes announcements as a daily digest: held since then, until it goes. */
    digestHeldAt: integer("digest_held_at"),
    /** The text as this guardian would have got it (naming their children), kept for the digest. */
    heldText: text("held_text"),
  },
  (t) => [
    primaryKey({ columns: [t.announcementId, t.guardianId] }),
    // The digest job's look for what still waits; rows leave the index once their digest is queued.
    index("announcement_recipients_held")
      .on(t.schoolId, t.guardianId)
      .where(
        sql`${t.digestHeldAt} is not null and ${t.outboxId} is null and ${t.skippedReason} is null`,
      ),
  ],
);

export const outboxStatuses = [
  "pending",
  "sending",
  "sent",
  "delivered",
  "read",
  /** The provider accepted it but could not deliver it (Twilio undelivered, Meta failed). */
  "undelivered",
  "failed",
  "dead",
] as const;
export type OutboxStatus = (typeof outboxStatuses)[number];
export const outboxKinds = [
  "reply",
  "otp",
  "staff_reply",
  "announcement",
  "alert",
  /** The confirmation of STOP/START: the one message an opted-out address still receives. */
  "opt_out",
  /** A notice about one child from the school's other systems (attendance, fees, scores). */
  "school_event",
] as const;
export type OutboxKind = (typeof outboxKinds)[number];

/** Every outgoing message is a row here before it is a network call. */
export const outbox = sqliteTable(
  "outbox",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    schoolId: integer("school_id").references(() => schools.id),
    channel: text("channel").notNull(),
    address: text("address").notNull(),
    kind: text("kind", { enum: outboxKinds }).notNull(),
    /** The text to send; for a one-time code it holds a {code} placeholder, never the code. */
    body: text("body").notNull(),
    options: text("options", { mode: "json" }).$type<{ id: string; label: string }[]>(),
    /** Someone's own words the body quotes as written: SMS leaves them out of its GSM-7 rendering. */
    quoted: text("quoted", { mode: "json" }).$type<string[]>(),
    /** Photos or documents sent with the text (public https URLs), as channels render them. */
    media: text("media", { mode: "json" }).$type<{ url: string; contentType?: string }[]>(),
    /** Encrypted values for the body's placeholders (the code); erased once sent. */
    sealed: text("sealed"),
    status: text("status", { enum: outboxStatuses }).notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: integer("next_attempt_at").notNull(),
    /**
     * Put back unsent until next_attempt_at by the pace or a provider's rate limit, rather than
     * scheduled for then: the row keeps its place in its chat's line, and later rows to the chat wait
     * behind it, also for a dispatcher started after it was put back. Cleared when it is claimed.
     */
    putBack: integer("put_back", { mode: "boolean" }).notNull().default(false),
    leaseOwner: text("lease_owner"),
    leaseExpiresAt: integer("lease_expires_at"),
    providerMessageId: text("provider_message_id"),
    lastError: text("last_error"),
    /** What an SMS row costs in segments as sent (GSM-7 or UCS-2); null on other channels. */
    segments: integer("segments"),
    ticketId: integer("ticket_id").references(() => tickets.id),
    /** The staff reply this row carries; a fallback copy keeps it, so a reply's latest row is its state. */
    ticketMessageId: integer("ticket_message_id").references(() => ticketMessages.id),
    announcementId: integer("announcement_id").references(() => announcements.id),
    createdAt: createdAt(),
    sentAt: integer("sent_at"),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [
    // The dispatcher walks each status in id order and stops after one batch, however many rows
    // wait (a broadcast's 50,000): by (status, next_attempt_at) it had to read and sort them all.
    index("outbox_status_order").on(t.status, t.id),
    // "Behind an earlier message" looks for unsent rows to one address; only those are indexed,
    // so the check does not read a parent's whole history (1,000 sent rows: ~30 ms a batch).
    index("outbox_unsent_by_address")
      .on(t.channel, t.address, t.id)
      .where(sql`${t.status} in ('pending', 'sending')`),
    // Receipts look rows up by the provider's id, which a row only has once sent: rows waiting to
    // go stay out of this index.
    index("outbox_provider_id")
      .on(t.channel, t.providerMessageId)
      .where(sql`${t.providerMessageId} is not null`),
    // The ticket alerts a staff chat was sent, newest last: a plain text answers the latest.
    index("outbox_ticket_alerts")
      .on(t.channel, t.address, t.id)
      .where(sql`${t.kind} = 'alert' and ${t.ticketId} is not null`),
    // An announcement's counts and progress; only announcement rows pay for this index.
    index("outbox_announcement")
      .on(t.announcementId, t.address)
      .where(sql`${t.announcementId} is not null`),
    // A ticket's replies and their delivery states; only rows about a ticket pay for this index.
    index("outbox_ticket").on(t.ticketId, t.id).where(sql`${t.ticketId} is not null`),
  ],
);

export const auditLog = sqliteTable(
  "audit_log",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    schoolId: integer("school_id")
      .notNull()
      .references(() => schools.id),
    actorType: text("actor_type", { enum: ["staff", "guardian", "system"] }).notNull(),
    actorId: integer("actor_id"),
    action: text("action").notNull(),
    entity: text("entity").notNull(),
    entityId: text("entity_id").notNull(),
    before: text("before", { mode: "json" }).$type<unknown>(),
    after: text("after", { mode: "json" }).$type<unknown>(),
    createdAt: createdAt(),
  },
  (t) => [index("audit_school_created").on(t.schoolId, t.createdAt)],
);

export const staffEventTypes = ["ticket.created", "message.added", "ticket.updated"] as const;

/**
 * What staff streams (GET /v1/events) deliver: written by the commit that made the change, with
 * the ticket's assignee, category and class at that moment so each listener's view is decided
 * without another query, and ids that a reconnecting stream resumes after.
 */
export const staffEvents = sqliteTable(
  "staff_events",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    schoolId: integer("school_id")
      .notNull()
      .references(() => schools.id),
    type: text("type", { enum: staffEventTypes }).notNull(),
    ticketId: integer("ticket_id")
      .notNull()
      .references(() => tickets.id),
    assigneeStaffId: integer("assignee_staff_id"),
    category: text("category", { enum: ticketCategories }).notNull(),
    classId: integer("class_id"),
    payload: text("payload", { mode: "json" }).$type<Record<string, unknown>>().notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    index("staff_events_school").on(t.schoolId, t.id),
    // A ticket's history of changes (the desk's thread shows status moves).
    index("staff_events_ticket").on(t.ticketId, t.id),
  ],
);

/** When a staff member last opened a ticket in the desk: newer activity is unread to them. */
export const ticketReads = sqliteTable(
  "ticket_reads",
  {
    staffId: integer("staff_id")
      .notNull()
      .references(() => staff.id),
    ticketId: integer("ticket_id")
      .notNull()
      .references(() => tickets.id),
    readAt: integer("read_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.staffId, t.ticketId] })],
);

/** How each periodic job last ran (GET /v1/jobs): one row per job, kept across restarts. */
export const jobRuns = sqliteTable("job_runs", {
  name: text("name").primaryKey(),
  intervalMs: integer("interval_ms").notNull(),
  lastStartedAt: integer("last_started_at"),
  lastDurationMs: integer("last_duration_ms"),
  lastResult: text("last_result", { enum: ["ok", "failed"] }),
  /** The failed run's error message, for operators. */
  lastError: text("last_error"),
  nextRunAt: integer("next_run_at"),
});

/**
 * Keys the school's other systems (attendance, fees, grades) send events with: shown once, stored
 * as a keyed hash, found by their public prefix, revocable.
 */
export const apiKeys = sqliteTable(
  "api_keys",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    schoolId: integer("school_id")
      .notNull()
      .references(() => schools.id),
    name: text("name").notNull(),
    /** The key's first characters, shown in lists so staff can tell keys apart and spot leaks. */
    prefix: text("prefix").notNull(),
    keyHash: text("key_hash").notNull(),
    /** What the key may do; only "events" exists. */
    scope: text("scope", { enum: ["events"] })
      .notNull()
      .default("events"),
    createdByStaffId: integer("created_by_staff_id").references(() => staff.id),
    lastUsedAt: integer("last_used_at"),
    revokedAt: integer("revoked_at"),
    createdAt: createdAt(),
  },
  (t) => [index("api_keys_prefix").on(t.prefix), index("api_keys_school").on(t.schoolId)],
);

export const schoolEventTypes = ["attendance.marked", "fee.reminder", "scores.published"] as const;
export type SchoolEventType = (typeof schoolEventTypes)[number];

/**
 * An event a school's system sent (or an admin uploaded as CSV), kept under its Idempotency-Key
 * with the answer given: a replay gets the same answer and sends nothing again.
 */
export const schoolEvents = sqliteTable(
  "school_events",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    schoolId: integer("school_id")
      .notNull()
      .references(() => schools.id),
    type: text("type", { enum: schoolEventTypes }).notNull(),
    apiKeyId: integer("api_key_id").references(() => apiKeys.id),
    /** The admin who uploaded it as CSV; null when a system sent it. */
    staffId: integer("staff_id").references(() => staff.id),
    idempotencyKey: text("idempotency_key").notNull(),
    /** SHA-256 of the request body: the same key with another body is refused. */
    requestHash: text("request_hash").notNull(),
    payload: text("payload", { mode: "json" }).$type<Record<string, unknown>>().notNull(),
    response: text("response", { mode: "json" }).$type<Record<string, unknown>>().notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("school_events_idempotency").on(t.schoolId, t.idempotencyKey)],
);

/**
 * One guardian's notice about one child: what a parent's answer is matched to (an answer to an
 * attendance notice becomes an Attendance ticket on that child).
 */
export const schoolEventNotices = sqliteTable(
  "school_event_notices",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    schoolId: integer("school_id")
      .notNull()
      .references(() => schools.id),
    eventId: integer("event_id")
      .notNull()
      .references(() => schoolEvents.id),
    type: text("type", { enum: schoolEventTypes }).notNull(),
    guardianId: integer("guardian_id")
      .notNull()
      .references(() => guardians.id),
    studentId: integer("student_id")
      .notNull()
      .references(() => students.id),
    channel: text("channel").notNull(),
    address: text("address").notNull(),
    /** The ticket the guardian's answer became. */
    answerTicketId: integer("answer_ticket_id").references(() => tickets.id),
    createdAt: createdAt(),
  },
  (t) => [
    // Every parent message looks for a recent unanswered notice to its address; answered ones
    // leave the index.
    index("school_event_notices_unanswered")
      .on(t.channel, t.address, t.createdAt)
      .where(sql`${t.answerTicketId} is null`),
    // The same for a guardian answering from another of their verified chats.
    index("school_event_notices_guardian_unanswered")
      .on(t.guardianId, t.createdAt)
      .where(sql`${t.answerTicketId} is null`),
  ],
);
