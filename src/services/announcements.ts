// Announcements as a guardian sees them in the chat: the latest ones sent to them.
import { and, desc, eq } from "drizzle-orm";
import { type Database, schema } from "../../db";

const { announcements, announcementRecipients, schools } = schema;

export async function listLatestAnnouncements(db: Database, guardianId: number, limit = 3) {
  const rows = await db
    .select({
      body: announcements.body,
      createdAt: announcements.createdAt,
      timezone: schools.timezone,
    })
    .from(announcementRecipients)
    .innerJoin(announcements, eq(announcements.id, announcementRecipients.announcementId))
    .innerJoin(schools, eq(schools.id, announcements.schoolId))
    .where(and(eq(announcementRecipients.guardianId, guardianId), eq(announcements.status, "sent")))
    .orderBy(desc(announcements.createdAt))
    .limit(limit);
  return rows.map((row) => ({
    date: new Intl.DateTimeFormat("en-US", {
      timeZone: row.timezone,
      month: "short",
      day: "numeric",
    }).format(row.createdAt),
    text: row.body,
  }));
}
