// Every text the parent conversation says, per language. The machine never writes text inline.
// How to add a language: copy catalog.en.ts, translate every entry, and add it to `catalogs`.

import { en } from "./catalog.en";
import { es } from "./catalog.es";
import type { AnnouncementsSetting, Assignee } from "./parent.types";

export interface ParentCatalog {
  /** The language's own name, as offered in the language menu. */
  languageName: string;
  greeting(p: { name: string; school: string }): string;
  menuPrompt(): string;
  menuNewRequest(): string;
  menuMyRequests(): string;
  menuAnnouncements(): string;
  menuTalkToPerson(): string;
  menuLanguage(): string;
  menuSettings(): string;
  menuHelp(): string;
  help(p: { officePhone: string }): string;
  askPhone(): string;
  /** The label of the button that shares the person's phone number (Telegram). */
  sharePhone(): string;
  notRegistered(p: { officePhone?: string }): string;
  codeSent(p: { maskedPhone: string }): string;
  /** Said at the code step for anything that is not a code: no try is counted, no code sent. */
  codeExpected(p: { maskedPhone: string }): string;
  /** HELP before verification: the school's name and office phone (carriers require a contact). */
  schoolHelp(p: { school: string; officePhone: string }): string;
  codeRateLimited(p: { retryAt: string; officePhone: string }): string;
  codeWrong(p: { triesLeft: number }): string;
  codeDead(): string;
  verified(p: { name: string }): string;
  pickChild(): string;
  pickCategory(): string;
  categoryLabel(category: string): string;
  statusLabel(status: string): string;
  writeMessage(p: { child?: string; category: string }): string;
  confirmSummary(p: { child?: string; category: string; text: string }): string;
  /** Stands in for the text of a message that was only an attachment. */
  attachmentOnly(): string;
  confirmSend(): string;
  confirmCancel(): string;
  /** Who has a request ("Ms Rao, class teacher of 3B"), put into the texts below. */
  assignee(a: Assignee): string;
  ticketCreated(p: { reference: string; assignee: string }): string;
  // Every refusal names the rule, when it lifts and the office's phone.
  refusedOpenTickets(p: { limit: number; references: string[]; officePhone: string }): string;
  /** `until`: the time of day (and zone) the next request is possible. */
  refusedCooldown(p: { minutesLeft: number; until: string; officePhone: string }): string;
  refusedWeekly(p: { limit: number; nextDate: string; officePhone: string }): string;
  /** A refused request's text was added to this ticket rather than thrown away. */
  keptInRequest(p: { reference: string }): string;
  /** Said before the text is asked for, when a new request would be refused. */
  willKeepIn(p: { reference: string }): string;
  noOpenRequests(): string;
  openRequests(p: { lines: string[] }): string;
  whichRequest(): string;
  addedToRequest(p: { reference: string; assignee: string }): string;
  talkToPersonPrompt(): string;
  urgentCreated(p: { reference: string; assignee: string }): string;
  noAnnouncements(): string;
  announcements(p: { lines: string[] }): string;
  languagePrompt(): string;
  languageChanged(): string;
  /** A channel's name as parents know it ("WhatsApp" for every WhatsApp channel). */
  channelName(channel: string): string;
  /**
   * The parent's settings in plain words, ending with what they can change. `channels` are
   * channel names in the order messages try them; with one, how to add another.
   */
  settingsSummary(p: { announcements: AnnouncementsSetting; channels: string[] }): string;
  settingsAnnouncementsOption(): string;
  settingsChannelOption(): string;
  settingsBackOption(): string;
  /** Asks how announcements should come; says urgent messages always come through. */
  announcementsPrompt(): string;
  /** The label of each choice of how announcements come. */
  announcementsOption(mode: AnnouncementsSetting): string;
  announcementsChanged(p: { announcements: AnnouncementsSetting }): string;
  channelPrompt(): string;
  channelOrderChanged(p: { channels: string[] }): string;
  idleReset(): string;
  ticketResolved(p: { reference: string; by: string }): string;
  reopenOption(): string;
  /** Words at the rating prompt were kept for staff; the rating question still stands. */
  ratingCommentKept(p: { reference: string; by: string }): string;
  ratingThanks(p: { rating: number }): string;
  reopened(p: { reference: string }): string;
  reopenRefusedLimit(p: { limit: number; officePhone: string }): string;
  reopenRefusedWindow(p: { days: number; officePhone: string }): string;
  /** `until`: when the pause lifts; `officePhone` may be empty (a school not known yet). */
  floodPaused(p: { until: string; officePhone: string }): string;
  notUnderstood(): string;
  /** The answer to "thanks" at the menu. */
  youreWelcome(): string;
  cancelled(): string;
  somethingWentWrong(p: { officePhone?: string }): string;
  /** The answer to STOP where it is no carrier keyword (chat apps): announcements are off. */
  announcementsStopped(): string;
  /** The answer to STOP (carrier keywords): the last message the address gets until START. */
  optedOut(): string;
  /** The answer to START after STOP. */
  optedIn(): string;
  conversationRestarted(): string;
  /** An announcement as a guardian gets it, naming which of their children it is about. */
  announcementAbout(p: { children: readonly string[]; text: string }): string;
  /** One message gathering the day's held announcements, oldest first. */
  digest(p: { school: string; items: readonly string[] }): string;
  /** The one-time code's own message: `{code}` stands where the outbox puts the code. */
  codeMessage(): string;
}

export const catalogs: Record<string, ParentCatalog> = { en, es };

export function catalogFor(language: string | undefined): ParentCatalog {
  return (language && catalogs[language]) || en;
}

export { en, es };
