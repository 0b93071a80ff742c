// English texts of the staff conversation.
import type { StaffCatalog } from "./catalog";
import { familiesByChannel } from "./channel-names";
import type { Audience, DeliveryCounts, TicketAction } from "./staff.types";

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

function audienceLabel(audience: Audience): string {
  switch (audience.kind) {
    case "school":
      return "the whole school";
    case "grades":
      return `${audience.grades.length === 1 ? "grade" : "grades"} ${audience.grades.join(", ")}`;
    case "classes":
      return `${audience.classes.length === 1 ? "class" : "classes"} ${audience.classes.join(", ")}`;
    case "students":
      return `the families of ${plural(audience.admissionNumbers.length, "student", "students")} (${audience.admissionNumbers.join(", ")})`;
  }
}

const countsLine = (counts: DeliveryCounts) =>
  `sent ${counts.sent}, delivered ${counts.delivered}, read ${counts.read}, failed ${counts.failed}, pending ${counts.pending}`;

const ticketUsages: Record<TicketAction, string> = {
  reply:
    'To answer a ticket, type its reference and then your answer, like "T-1001 Thank you, I will call you today."',
  note: 'Type the ticket and the note, like "/note T-1001 Called the parent, waiting for the form."',
  resolve: 'Type the ticket to resolve, like "/resolve T-1001".',
  take: 'Type the ticket to take, like "/take T-1001".',
};

export const en: StaffCatalog = {
  greeting: ({ name, school }) => `Hello ${name}, this is ${school}'s staff line.`,
  menuPrompt: () => "What would you like to do?",
  menuAnnounce: () => "Announce",
  menuRecent: () => "Recent announcements",
  menuStats: () => "Stats",
  menuHelp: () => "Help",
  menuParent: () => "Parent menu",
  help: () =>
    [
      "Staff commands:",
      "/announce – write an announcement step by step",
      "/announce 5A: Picnic on Friday – to a class (or 5A, 5B for several)",
      "/announce grade 5: … – to a grade; /announce school: … – to everyone",
      "/announce students GF-2024-001, GF-2024-002: … – to the families of these students",
      "Add urgent before the colon (/announce school urgent: …) to send it at once, even in quiet hours.",
      "/announce 5A at 2026-12-01 07:00: … – schedule it (school time)",
      "/announcements – recent announcements; /stats 12 – how announcement 12 is doing",
      "Tickets:",
      "Reply to a ticket alert to answer the parent, or type T-1001 and your answer.",
      "/note T-1001 text – a note for staff only; /resolve T-1001; /take T-1001 – make it yours",
      "/tickets – your open tickets, oldest first",
      'Type "menu" to go back to the menu (what you were writing is dropped).',
    ].join("\n"),
  askPhone: () =>
    "This is the staff line. To check who you are, please type the phone number the school has on file for you.",
  sharePhone: () => "Share my phone number",
  notStaffPhone: () =>
    "That number isn't on the school's staff list. Please type the number the school has for you, or ask the school admin to add it.",
  notStaff: () => "Those commands are for school staff, and this number isn't on the staff list.",
  codeSent: ({ maskedPhone }) =>
    `We sent a 6-digit code to ${maskedPhone}. Please type it here. (Type "resend" for a new code.)`,
  codeRateLimited: ({ retryAt }) =>
    `We've sent several codes already. For your security, please try again after ${retryAt}.`,
  codeWrong: ({ triesLeft }) =>
    `That code isn't right. You have ${plural(triesLeft, "try", "tries")} left.`,
  codeDead: () => 'That code has expired or been used up. Type "resend" and we\'ll send a new one.',
  verified: ({ name }) => `Thank you, ${name}, you're verified as staff.`,
  noParentRecord: () => "This number isn't on the school's record as a parent's.",
  audiencePrompt: () =>
    "Who should receive it? Choose below, or type it: school, grade 5, 5A, or 5A, 5B.",
  audienceSchool: () => "Whole school",
  audienceGrade: () => "A grade",
  audienceClass: () => "A class",
  audienceClasses: () => "Several classes",
  audienceStudents: () => "Admission numbers",
  askGrade: () => "Which grade? (for example 5)",
  askClass: () => "Which class? (for example 5A)",
  askClasses: () => "Which classes? Separate them with commas (for example 5A, 5B).",
  askAdmissionNumbers: () =>
    "Type the students' admission numbers, separated by commas. Their families will receive it.",
  audienceNotUnderstood: () =>
    "Sorry, I couldn't tell who that is. Choose one of the options, or type school, grade 5, 5A, or 5A, 5B.",
  askText: () => "What should the announcement say? Write it in one message.",
  emptyText: () => "The announcement needs some text. What should it say?",
  askAttachment: () => "Add a photo or document? Send a link to it (https://…), or type skip.",
  attachmentNotUnderstood: () =>
    "That isn't a link I can send: it must start with https:// and be reachable on the internet. Send the link, or type skip.",
  audienceLabel,
  preview: ({ audience, text, attachment, urgent, schedule, families, byChannel, unreachable }) => {
    const channels = familiesByChannel(byChannel).map(([name, n]) => `${name}: ${n}`);
    const cannot = unreachable.noChannel + unreachable.optedOut + unreachable.off;
    return [
      `To ${audienceLabel(audience)}${urgent ? " (urgent)" : ""}${schedule ? `, at ${schedule}` : ""}:`,
      `"${text}"`,
      ...(attachment ? [`with attachment: ${attachment}`] : []),
      `It will reach ${plural(families - cannot, "family", "families")} of ${families}${channels.length ? ` (${channels.join(", ")})` : ""}.`,
      cannot > 0
        ? `${plural(cannot, "family", "families")} can't be reached: ${unreachable.noChannel} with no chat channel, ${unreachable.optedOut} opted out${unreachable.off ? `, ${unreachable.off} turned announcements off` : ""}.`
        : "Every family can be reached.",
      "Send it?",
    ].join("\n");
  },
  confirmSend: () => "Send",
  confirmUrgent: () => "Send as urgent",
  confirmSchedule: () => "Schedule",
  // Not "Cancel": on SMS a carrier reads that word as an opt-out, and staff type option labels.
  confirmCancel: () => "Don't send",
  askSchedule: () =>
    "When should it go? Type the school's local date and time, like 2026-12-01 07:00.",
  created: ({ id, state, schedule }) =>
    state === "scheduled"
      ? `Announcement #${id} is scheduled${schedule ? ` for ${schedule}` : ""}. Type "/stats ${id}" to follow it.`
      : `Announcement #${id} is on its way. Type "/stats ${id}" to see how it is doing.`,
  cancelled: () => "Okay, nothing was sent.",
  notAllowed: ({ role, classes }) =>
    role === "teacher"
      ? `Sorry, teachers can send announcements only to their own classes${classes.length ? ` (${classes.join(", ")})` : ""}. For a wider audience, please ask the school admin.`
      : "Sorry, your role can't send announcements. Please ask the school admin.",
  notFound: () => "I can't find that announcement. Type /announcements to see the recent ones.",
  invalid: ({ message }) => `That didn't work: ${message}`,
  inactive: () => "Your staff access isn't active any more. Please contact the school admin.",
  noAnnouncements: () => "There are no announcements yet.",
  announcementList: ({ lines }) => `Recent announcements:\n${lines.join("\n")}`,
  announcementLine: ({ id, date, audience, state, counts }) =>
    `#${id} ${date}, ${audienceLabel(audience)}: ${state} (${countsLine(counts)})`,
  stats: ({ id, date, audience, state, text, counts }) =>
    `Announcement #${id} (${date}, ${audienceLabel(audience)}, ${state}):\n"${text}"\n${countsLine(counts)}`,
  askStatsId: () => "Which announcement? Type its number (for example 12).",
  unknownCommand: () => 'I don\'t know that command. Type "help" for the staff commands.',
  notUnderstood: () => 'Sorry, I didn\'t catch that. Choose one of the options, or type "help".',
  idleReset: () =>
    "It's been a while, so I've set aside the announcement you were writing. Nothing was sent.",
  somethingWentWrong: () =>
    "Sorry, something went wrong on our side. Please try again in a moment.",
  ticketReplied: ({ reference, guardian, lastAlert }) =>
    lastAlert
      ? `Sent to ${guardian} on ${reference}, the ticket you were alerted about last. For another ticket, start with its reference, like "T-1234 your answer".`
      : `Sent to ${guardian} on ${reference}.`,
  ticketNoted: ({ reference }) => `Note added to ${reference}. Only staff see it.`,
  ticketResolved: ({ reference }) =>
    `${reference} is resolved. The parent is asked to rate it, or to reopen it.`,
  ticketTaken: ({ reference }) => `${reference} is yours now.`,
  ticketList: ({ items }) =>
    items.length === 0
      ? "You have no open tickets."
      : [
          `Your open tickets (${items.length}), oldest first:`,
          ...items.map(
            (item) => `${item.reference} ${item.about} · ${item.category} · ${item.wait}`,
          ),
        ].join("\n"),
  ticketNotVisible: ({ reference }) =>
    `You can't answer ${reference}: it isn't a ticket you can see. Nothing was sent.`,
  ticketNotNow: ({ reference, message }) => `${reference}: ${message}`,
  ticketUsage: ({ action }) => ticketUsages[action],
  conversationRestarted: () =>
    "Sorry, we had to restart our conversation. If you were in the middle of something, please start it again.",
  codeMessage: () =>
    "Your Parentline code is {code}. It expires in 10 minutes. Never share it with anyone.",
};
