// English texts of the parent conversation.
import type { ParentCatalog } from "./catalog";
import type { AnnouncementsSetting } from "./parent.types";
import { joinNames, numbered } from "./words";

const categories: Record<string, string> = {
  academics: "Academics",
  attendance: "Attendance & leave",
  fees: "Fees",
  transport: "Transport",
  other: "Other",
};

const statuses: Record<string, string> = {
  open: "open",
  in_progress: "in progress",
  waiting_for_parent: "answered",
  resolved: "resolved",
  closed: "closed",
};

const channelNames: Record<string, string> = {
  "whatsapp-cloud": "WhatsApp",
  "twilio-whatsapp": "WhatsApp",
  "whatsapp-web": "WhatsApp",
  telegram: "Telegram",
  sms: "SMS",
  simulator: "Chat simulator",
};
const channelName = (channel: string) => channelNames[channel] ?? channel;

const announcementWords: Record<AnnouncementsSetting, string> = {
  instant: "instant (each one as it's sent)",
  digest: "once a day (one message with the day's announcements)",
  off: "off (urgent messages still come)",
};

const announcementOptions: Record<AnnouncementsSetting, string> = {
  instant: "Instant",
  digest: "Once a day (digest)",
  off: "Off",
};

const announcementsChanged: Record<AnnouncementsSetting, string> = {
  instant: "Done: you'll get each announcement as soon as it's sent.",
  digest: "Done: you'll get announcements once a day, in one message.",
  off: "Done: announcements are off; urgent messages and attendance notices still come through.",
};

export const en: ParentCatalog = {
  languageName: "English",
  greeting: ({ name, school }) => `Hello ${name}, welcome to ${school}'s parent line.`,
  menuPrompt: () => "How can I help?",
  menuNewRequest: () => "New request",
  menuMyRequests: () => "My requests",
  menuAnnouncements: () => "Announcements",
  menuTalkToPerson: () => "Talk to a person",
  menuLanguage: () => "Language",
  menuSettings: () => "Settings",
  menuHelp: () => "Help",
  help: ({ officePhone }) =>
    `Reply with the number of an option. Type "menu" or 0 at any time to go back to the menu; what you were writing is not sent. For anything urgent, call the office on ${officePhone}.`,
  sharePhone: () => "Share my phone number",
  askPhone: () =>
    "To keep your child's information safe we need to check who you are. Please type the phone number the school has on file for you, or your child's admission number.",
  notRegistered: ({ officePhone }) =>
    `This number isn't registered with the school. Please contact the office${officePhone ? ` on ${officePhone}` : ""} to update your details. If the school has another number for you, or you know your child's admission number, type it here.`,
  codeSent: ({ maskedPhone }) =>
    `We sent a 6-digit code to ${maskedPhone}. Please type it here. (Type "resend" for a new code.)`,
  codeRateLimited: ({ retryAt, officePhone }) =>
    `We've sent several codes already. For your security, please try again after ${retryAt}.${officePhone ? ` If it's urgent, call the office on ${officePhone}.` : ""}`,
  codeWrong: ({ triesLeft }) =>
    `That code isn't right. You have ${triesLeft} ${triesLeft === 1 ? "try" : "tries"} left.`,
  codeExpected: ({ maskedPhone }) =>
    `Please type the 6-digit code we sent to ${maskedPhone}, or "resend" for a new one. No code was used up.`,
  schoolHelp: ({ school, officePhone }) =>
    `This is ${school || "the school"}'s parent line. For help, call the office${officePhone ? ` on ${officePhone}` : ""}. Write anything here to start.`,
  codeDead: () =>
    'That code no longer works: it expired after 10 minutes or was tried 5 times. Type "resend" and we\'ll send a new one now.',
  verified: ({ name }) => `Thanks, ${name}, you're verified.`,
  pickChild: () => "Which child is this about?",
  pickCategory: () => "What is it about?",
  categoryLabel: (category) => categories[category] ?? category,
  statusLabel: (status) => statuses[status] ?? status,
  writeMessage: ({ child, category }) =>
    `Please write your message about ${category}${child ? ` for ${child}` : ""}. One message is enough; include any dates or details.`,
  confirmSummary: ({ child, category, text }) =>
    `Please check your request:\n${child ? `Child: ${child}\n` : ""}Topic: ${category}\nMessage: ${text}`,
  attachmentOnly: () => "(a photo or file, no text)",
  confirmSend: () => "Send",
  confirmCancel: () => "Don't send",
  assignee: (a) => {
    if (a.role === "school") return "the school office";
    if (a.role === "class_teacher") return `${a.name}, class teacher of ${a.className}`;
    if (a.role === "office") return `${a.name}, the ${a.office} office`;
    if (a.role === "admin") return `${a.name}, school admin`;
    return a.name;
  },
  ticketCreated: ({ reference, assignee }) =>
    `Thank you. Your request ${reference} has been sent to ${assignee}. You'll get the reply here.`,
  refusedOpenTickets: ({ limit, references, officePhone }) =>
    `You already have ${limit} open requests (${references.join(", ")}), the most at once. You can make a new one as soon as one of them is answered. If it's urgent, please call the office on ${officePhone}.`,
  refusedCooldown: ({ minutesLeft, until, officePhone }) =>
    `You've just sent us a request, so new ones wait ${minutesLeft} ${minutesLeft === 1 ? "minute" : "minutes"}: you can make another from ${until}. If it's urgent, please call the office on ${officePhone}.`,
  refusedWeekly: ({ limit, nextDate, officePhone }) =>
    `You've made ${limit} requests this week, which is the most we can take from one family. You can make a new one from ${nextDate}. If it's urgent, please call the office on ${officePhone}.`,
  keptInRequest: ({ reference }) =>
    `I've added what you wrote to ${reference}, so the school sees it.`,
  willKeepIn: ({ reference }) =>
    `If you write your message now, I'll add it to ${reference} so the school sees it.`,
  noOpenRequests: () => "You have no open requests.",
  openRequests: ({ lines }) => `Your open requests:\n${lines.join("\n")}`,
  whichRequest: () => "Is this about one of your open requests, or something new?",
  addedToRequest: ({ reference, assignee }) =>
    `Thank you, I've added that to ${reference} for ${assignee}.`,
  talkToPersonPrompt: () =>
    "Of course. In a few words, what would you like to talk about? Someone from the front office will get back to you as soon as they can.",
  urgentCreated: ({ reference, assignee }) =>
    `Thank you. ${assignee} has your request ${reference} and will get back to you as soon as possible.`,
  noAnnouncements: () => "There are no announcements for you yet.",
  announcements: ({ lines }) => `Latest announcements:\n${lines.join("\n")}`,
  languagePrompt: () => "Which language would you like?",
  languageChanged: () => "Done, I'll write in English from now on.",
  channelName,
  settingsSummary: ({ announcements, channels }) =>
    [
      "Your settings:",
      `Announcements: ${announcementWords[announcements]}`,
      ...(channels.length > 0
        ? [`Messages come by: ${channels.map(channelName).join(", then ")}`]
        : []),
      ...(channels.length === 1
        ? ["To get messages on another app too, write to us from it and verify."]
        : []),
      "What would you like to change?",
    ].join("\n"),
  settingsAnnouncementsOption: () => "Announcements",
  settingsChannelOption: () => "Channel order",
  settingsBackOption: () => "Back to menu",
  announcementsPrompt: () =>
    "How would you like to get announcements? Urgent messages and attendance notices always come through.",
  announcementsOption: (mode) => announcementOptions[mode],
  announcementsChanged: ({ announcements }) => announcementsChanged[announcements],
  channelPrompt: () => "Which channel first? The others keep their order after it.",
  channelOrderChanged: ({ channels }) =>
    `Done: we'll reach you by ${channels.map(channelName).join(", then ")}.`,
  idleReset: () =>
    "It's been a while, so I've set aside what we were doing. Here is the menu again.",
  ticketResolved: ({ reference, by }) =>
    `${by} has marked ${reference} as resolved. How did we do? Reply with a number from 1 (poor) to 5 (excellent). If it isn't sorted, choose "Reopen".`,
  reopenOption: () => "Reopen",
  ratingCommentKept: ({ reference, by }) =>
    `Thank you, I've added that to ${reference} for ${by}. Reply with a number from 1 to 5 to rate it, or choose "Reopen".`,
  ratingThanks: ({ rating }) => `Thank you for rating us ${rating} out of 5.`,
  reopened: ({ reference }) => `I've reopened ${reference}; the school will get back to you.`,
  reopenRefusedLimit: ({ limit, officePhone }) =>
    `This request has already been reopened ${limit} ${limit === 1 ? "time" : "times"}, so I can't reopen it again. Please make a new request from the menu and mention it, or call the office on ${officePhone}.`,
  reopenRefusedWindow: ({ days, officePhone }) =>
    `This request was resolved more than ${days} days ago, so I can't reopen it. Please make a new request from the menu and mention it, or call the office on ${officePhone}.`,
  floodPaused: ({ until, officePhone }) =>
    `We've received a lot of messages from you in a few minutes, so I'll pause here until ${until}; the school can see everything you sent. If it's urgent, please call ${officePhone ? `the office on ${officePhone}` : "the school office"}.`,
  youreWelcome: () => 'You\'re welcome! Write here any time, or type "menu" for the options.',
  notUnderstood: () => "Sorry, I didn't catch that. Please choose one of the options.",
  cancelled: () => "Okay, nothing was sent.",
  somethingWentWrong: ({ officePhone }) =>
    `Sorry, something went wrong on our side. Please try again in a moment${officePhone ? `, or call the office on ${officePhone}` : ""}.`,
  announcementsStopped: () =>
    'Done: announcements are off. Urgent messages, attendance notices and replies to your requests still come. To turn announcements on again, type "settings".',
  optedOut: () =>
    "You're unsubscribed and will get no more messages here. Reply START to subscribe again.",
  optedIn: () => "You're subscribed again. Reply HELP for help, or STOP to unsubscribe.",
  conversationRestarted: () =>
    "Sorry, we had to restart our conversation. If you were in the middle of something, please start it again.",
  announcementAbout: ({ children, text }) =>
    children.length > 0 ? `About ${joinNames(children, "and")}: ${text}` : text,
  digest: ({ school, items }) =>
    items.length === 1
      ? `Today's announcement from ${school}:\n${items[0]}`
      : `Today's ${items.length} announcements from ${school}:\n${numbered(items)}`,
  codeMessage: () =>
    "Your Parentline code is {code}. It expires in 10 minutes. Never share it with anyone.",
};
