// Every text the staff conversation says. The machine never writes text inline.
// How to add a language: copy catalog.en.ts, translate every entry, and add it to `catalogs`.
import { en } from "./catalog.en";
import type { Audience, DeliveryCounts, Reach, TicketAction, TicketLine } from "./staff.types";

export interface StaffCatalog {
  /** The one-time code's own message: `{code}` stands where the outbox puts the code. */
  codeMessage(): string;
  greeting(p: { name: string; school: string }): string;
  menuPrompt(): string;
  menuAnnounce(): string;
  menuRecent(): string;
  menuStats(): string;
  menuHelp(): string;
  menuParent(): string;
  help(): string;
  askPhone(): string;
  sharePhone(): string;
  /** A typed number that is no active staff member's. */
  notStaffPhone(): string;
  /** Staff commands from a phone that is no staff member's. */
  notStaff(): string;
  codeSent(p: { maskedPhone: string }): string;
  codeRateLimited(p: { retryAt: string }): string;
  codeWrong(p: { triesLeft: number }): string;
  codeDead(): string;
  verified(p: { name: string }): string;
  noParentRecord(): string;
  audiencePrompt(): string;
  audienceSchool(): string;
  audienceGrade(): string;
  audienceClass(): string;
  audienceClasses(): string;
  audienceStudents(): string;
  askGrade(): string;
  askClass(): string;
  askClasses(): string;
  askAdmissionNumbers(): string;
  audienceNotUnderstood(): string;
  askText(): string;
  emptyText(): string;
  askAttachment(): string;
  attachmentNotUnderstood(): string;
  audienceLabel(audience: Audience): string;
  preview(
    p: Reach & {
      audience: Audience;
      text: string;
      attachment: string | null;
      urgent: boolean;
      schedule: string | null;
    },
  ): string;
  confirmSend(): string;
  confirmUrgent(): string;
  confirmSchedule(): string;
  confirmCancel(): string;
  askSchedule(): string;
  created(p: { id: number; state: string; schedule: string | null }): string;
  cancelled(): string;
  notAllowed(p: { role: string; classes: string[] }): string;
  notFound(p: { message: string }): string;
  invalid(p: { message: string }): string;
  inactive(): string;
  noAnnouncements(): string;
  announcementList(p: { lines: string[] }): string;
  announcementLine(p: {
    id: number;
    date: string;
    audience: Audience;
    state: string;
    counts: DeliveryCounts;
  }): string;
  stats(p: {
    id: number;
    date: string;
    audience: Audience;
    state: string;
    text: string;
    counts: DeliveryCounts;
  }): string;
  askStatsId(): string;
  unknownCommand(): string;
  notUnderstood(): string;
  idleReset(): string;
  somethingWentWrong(): string;
  conversationRestarted(): string;
  /** A reply went to the parent; `lastAlert` when a plain text was taken as the answer. */
  ticketReplied(p: { reference: string; guardian: string; lastAlert: boolean }): string;
  ticketNoted(p: { reference: string }): string;
  ticketResolved(p: { reference: string }): string;
  ticketTaken(p: { reference: string }): string;
  ticketList(p: { items: TicketLine[] }): string;
  ticketNotVisible(p: { reference: string }): string;
  ticketNotNow(p: { reference: string; message: string }): string;
  ticketUsage(p: { action: TicketAction }): string;
}

export const catalogs: Record<string, StaffCatalog> = { en };

/** Staff conversations are in English for now; the parameter keeps the door open. */
export function staffCatalogFor(language?: string): StaffCatalog {
  return (language && catalogs[language]) || en;
}

export { en };
