// What the staff conversation exchanges with the runtime: its events, what it says, and the inputs
// and outputs of the effects (actors) the runtime provides. Shapes mirror src/ (announcement
// service, announce-command parser) structurally: flows/ imports nothing of ours.

export interface Option {
  id: string;
  label: string;
  /** "phone": Telegram's "share my phone number" button, only where the address is not a phone. */
  request?: "phone";
}

export interface VerifiedStaff {
  staffId: number;
  schoolId: number;
  /** How staff are named ("Ms Rao"). */
  displayName: string;
  schoolName: string;
  /** The school's IANA time zone: schedule times are read and shown in it. */
  timezone: string;
  role: string;
  /** Names of the classes the member teaches (a teacher's announcement scope). */
  classes: string[];
  /** The same phone is also a guardian's: the staff menu offers the parent menu. */
  alsoGuardian: boolean;
}

/** A photo or document at a public https link (the shape of src/contracts' Attachment). */
export interface AttachmentLink {
  url: string;
  contentType?: string;
}

export type StaffEvent =
  /**
   * Something staff wrote (or a button they tapped, as its label); `media` when the message
   * carried files (a Twilio MMS picture, by the URL Twilio keeps it at).
   */
  | { type: "message"; text: string; sharedPhone?: string; media?: AttachmentLink[] }
  /** "menu", "/staff" or "cancel"; `cancel` when they said cancel. */
  | { type: "command.menu"; cancel?: boolean }
  | { type: "command.help" }
  /** "/parent": over to the parent conversation (for a phone that is also a guardian's). */
  | { type: "command.parent" }
  /** "/announce …", the whole text as typed. */
  | { type: "command.announce"; text: string }
  | { type: "command.announcements" }
  /** "/stats 12": the id as typed (may be empty). */
  | { type: "command.stats"; id: string }
  /**
   * A ticket command: "T-1001 <answer>" or a reply to a ticket's alert (reply), "/note T-1001 …",
   * "/resolve T-1001", "/take T-1001". `reference` is empty when none was given.
   */
  | ({ type: "command.ticket" } & TicketCommand)
  /** "/tickets": my open tickets, oldest first. */
  | { type: "command.tickets" }
  /** Sent by the runtime before a message that follows a long silence. */
  | { type: "idle" };

export interface SayEvent {
  type: "say";
  text: string;
  options?: Option[];
  /** The member's own words the text quotes as written, in order (SMS leaves them as they are). */
  quoted?: string[];
}

export interface StaffInput {
  channel: string;
  address: string;
}

export type StaffIdentifyResult =
  | { status: "linked"; staff: VerifiedStaff }
  | { status: "on_file"; phone: string }
  /** `addressIsPhone`: the chat address is itself a phone number, and it is no staff member's. */
  | { status: "unknown"; addressIsPhone: boolean };

export type SendCodeResult =
  | { status: "sent"; maskedPhone: string }
  | { status: "rate_limited"; retryAt: string };

export type CheckCodeResult =
  | { status: "verified"; staff: VerifiedStaff }
  | { status: "wrong"; triesLeft: number }
  | { status: "dead" };

export type Audience =
  | { kind: "school" }
  | { kind: "grades"; grades: string[] }
  | { kind: "classes"; classes: string[] }
  | { kind: "students"; admissionNumbers: string[] };

export interface CommandError {
  code: string;
  message: string;
}

/** A schedule time as read: the instant, and how to show it in the school's time zone. */
export interface ScheduleTime {
  at: number;
  label: string;
}

export type ReadCommandResult =
  | { ok: true; form: "guided" }
  | {
      ok: true;
      form: "one-line";
      audience: Audience;
      text: string;
      urgent: boolean;
      schedule: ScheduleTime | null;
    }
  | { ok: false; error: CommandError };

export type ReadScheduleResult =
  | { ok: true; schedule: ScheduleTime }
  | { ok: false; error: CommandError };

/**
 * The announcement service said no. `not_allowed`: the member's role or scope does not reach the
 * audience; `not_found`: no such announcement; `invalid`: the request is wrong (unknown class).
 */
export interface Refusal {
  status: "refused";
  reason: "not_allowed" | "not_found" | "invalid" | "inactive";
  message: string;
}

export interface Reach {
  families: number;
  byChannel: Record<string, number>;
  unreachable: { noChannel: number; optedOut: number; off: number };
}

export type PreviewResult = ({ status: "ready" } & Reach) | Refusal;

export interface AnnouncementDraftInput {
  staffId: number;
  audience: Audience;
  text: string;
  attachment: AttachmentLink | null;
  urgent: boolean;
  scheduledAt: number | null;
}

export type CreateResult =
  | { status: "created"; id: number; state: "scheduled" | "sending" | "sent" }
  | Refusal;

export interface DeliveryCounts {
  sent: number;
  delivered: number;
  read: number;
  failed: number;
  pending: number;
}

export interface AnnouncementSummary {
  id: number;
  /** When it was created (or is scheduled for), in the school's time zone. */
  date: string;
  audience: Audience;
  text: string;
  /** scheduled, sending, sent or cancelled. */
  state: string;
  counts: DeliveryCounts;
}

export type ListResult = { status: "listed"; items: AnnouncementSummary[] } | Refusal;

export type StatsResult = ({ status: "found" } & AnnouncementSummary) | Refusal;

export type TicketAction = "reply" | "note" | "resolve" | "take";

export interface TicketCommand {
  action: TicketAction;
  reference: string;
  text: string;
}

/** What the ticket service is asked from the chat: a command, the list, or a plain text answer. */
export type TicketRequest =
  | ({ staffId: number } & TicketCommand)
  | { staffId: number; action: "list" }
  /** A plain text: it answers the ticket alerted last, if the alert came after their last message. */
  | { staffId: number; action: "answer-last-alert"; text: string };

/** One of my open tickets, as /tickets lists it. */
export interface TicketLine {
  reference: string;
  /** "Michael Barnes about Chloe (5A)". */
  about: string;
  category: string;
  /** "waiting 3 h" or "open 2 days". */
  wait: string;
}

export type TicketCommandResult =
  | { status: "replied"; reference: string; guardian: string; lastAlert: boolean }
  | { status: "noted"; reference: string }
  | { status: "resolved"; reference: string }
  | { status: "taken"; reference: string }
  | { status: "listed"; items: TicketLine[] }
  /** A plain text with no alert just before it: not an answer. */
  | { status: "no_alert" }
  /** The ticket doesn't exist or the member may not see it: nothing was done. */
  | { status: "not_visible"; reference: string }
  /** The ticket can't take this (already resolved, say): `message` says why. */
  | { status: "not_now"; reference: string; message: string }
  /** No reference, or no text where one is needed. */
  | { status: "usage"; action: TicketAction }
  | Refusal;
