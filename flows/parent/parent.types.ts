// What the parent conversation exchanges with the runtime: its events, what it says, and the
// inputs and outputs of the effects (actors) the runtime provides.

export interface Option {
  id: string;
  label: string;
  /**
   * The option asks the person to share something the channel can send for them: "phone" is
   * Telegram's "share my phone number" button. Only offered where the address is not a phone.
   */
  request?: "phone";
}

export interface Child {
  id: number;
  name: string;
  className: string;
}

export interface VerifiedGuardian {
  guardianId: number;
  schoolId: number;
  firstName: string;
  schoolName: string;
  officePhone: string;
  language: string;
  children: Child[];
}

export type ParentEvent =
  /** Something the parent wrote (or a button they tapped, as its label). */
  | { type: "message"; text: string; sharedPhone?: string; media?: { url: string }[] }
  /** "menu" / "cancel" at any step; `cancel` when the parent said cancel rather than menu. */
  | { type: "command.menu"; cancel?: boolean }
  | { type: "command.help" }
  /** "settings" at any step: the parent's notification settings (verification first). */
  | { type: "command.settings" }
  /** STOP or UNSUBSCRIBE on a chat app: announcements off (verification first). */
  | { type: "command.unsubscribe" }
  /** Sent by the runtime before a message that follows a long silence. */
  | { type: "idle" }
  /** Staff resolved one of the parent's tickets: ask for a rating, offer to reopen. */
  | { type: "ticket.resolved"; reference: string; by: string };

/** What the machine says; the runtime writes each to the outbox. */
export interface SayEvent {
  type: "say";
  text: string;
  options?: Option[];
  /** Someone's own words the text quotes as written, in order (SMS leaves them as they are). */
  quoted?: string[];
}

export interface ParentInput {
  channel: string;
  address: string;
}

export type IdentifyResult =
  | { status: "linked"; guardian: VerifiedGuardian }
  | { status: "on_file"; phone: string; officePhone: string; schoolName?: string }
  /** `addressIsPhone`: the chat address itself is a phone number that is not on file. */
  | { status: "unknown"; officePhone?: string; addressIsPhone?: boolean };

export type SendCodeResult =
  | { status: "sent"; maskedPhone: string }
  | { status: "rate_limited"; retryAt: string };

export type CheckCodeResult =
  | { status: "verified"; guardian: VerifiedGuardian }
  | { status: "wrong"; triesLeft: number }
  | { status: "dead" };

export interface TicketDraft {
  guardianId: number;
  schoolId: number;
  studentId: number | null;
  category: string;
  text: string;
  media: { url: string }[];
  /** "Talk to a person": an urgent ticket to the front office. */
  urgent?: boolean;
  /** The parent's language, for the dates of a refusal. */
  language?: string;
}

export interface FollowUp {
  guardianId: number;
  reference: string;
  text: string;
  media: { url: string }[];
}

export interface AnnouncementLine {
  date: string;
  text: string;
}

/** A refused request says which guardrail, with what the parent needs to hear. */
export type TicketRefusal =
  | { rule: "open_tickets"; limit: number; openReferences: string[] }
  | { rule: "cooldown"; minutesLeft: number; until: string }
  | { rule: "weekly"; limit: number; nextDate: string };

/** Who has a request, as facts: the catalog says them in the parent's language. */
export type Assignee =
  | { role: "class_teacher"; name: string; className: string }
  | { role: "office"; name: string; office: "accounts" | "transport" | "front" }
  | { role: "admin"; name: string }
  | { role: "staff"; name: string }
  /** Nobody in particular: the school's office as a whole. */
  | { role: "school" };

export type CreateTicketResult =
  | { status: "created"; reference: string; assignee: Assignee }
  /** Refused; what the parent wrote was added to `keptIn` (a ticket staff see) instead. */
  | { status: "refused"; refusal: TicketRefusal; keptIn: string | null };

/** Would a new request of this kind be taken now; if not, where its text would be kept. */
export type RequestCheck =
  | { allowed: true }
  | { allowed: false; refusal: TicketRefusal; keepIn: string | null };

export interface OpenTicketSummary {
  reference: string;
  status: string;
  category: string;
  childName?: string;
  lastReply?: string;
}

export type ReopenResult =
  | { status: "reopened"; reference: string }
  | { status: "refused"; rule: "reopen_limit" | "reopen_window"; limit: number };

/** How announcements reach the parent: each at once, one message a day, or not at all. */
export type AnnouncementsSetting = "instant" | "digest" | "off";

/** The parent's notification settings as the settings menu shows them. */
export interface ParentSettings {
  announcements: AnnouncementsSetting;
  /** The channels they can be reached on, in the order messages try them (channel names). */
  channels: string[];
}

/** One change from the settings menu: how announcements come, or which channel comes first. */
export type SettingsChange = { announcements: AnnouncementsSetting } | { firstChannel: string };
