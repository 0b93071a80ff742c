// Every text the parent conversation says, per language. The machine never writes text inline.

export interface ParentCatalog {
  greeting(p: { name: string; school: string }): string;
  menuPrompt(): string;
  menuNewRequest(): string;
  menuMyRequests(): string;
  menuHelp(): string;
  help(p: { officePhone: string }): string;
  askPhone(): string;
  notRegistered(p: { officePhone?: string }): string;
  codeSent(p: { maskedPhone: string }): string;
  codeRateLimited(p: { retryAt: string }): string;
  codeWrong(p: { triesLeft: number }): string;
  codeDead(): string;
  verified(p: { name: string }): string;
  pickChild(): string;
  pickCategory(): string;
  categoryLabel(category: string): string;
  writeMessage(p: { child?: string; category: string }): string;
  confirmSummary(p: { child?: string; category: string; text: string }): string;
  confirmSend(): string;
  confirmCancel(): string;
  ticketCreated(p: { reference: string; assignee: string }): string;
  refusedOpenTickets(p: { limit: number; references: string[] }): string;
  refusedCooldown(p: { minutesLeft: number }): string;
  refusedWeekly(p: { limit: number; nextDate: string; officePhone: string }): string;
  noOpenRequests(): string;
  openRequests(p: { lines: string[] }): string;
  notUnderstood(): string;
  cancelled(): string;
  somethingWentWrong(p: { officePhone?: string }): string;
  conversationRestarted(): string;
}

const categoryLabels: Record<string, string> = {
  academics: "Academics",
  attendance: "Attendance & leave",
  fees: "Fees",
  transport: "Transport",
  other: "Other",
};

export const en: ParentCatalog = {
  greeting: ({ name, school }) => `Hello ${name}, welcome to ${school}'s parent line.`,
  menuPrompt: () => "What would you like to do?",
  menuNewRequest: () => "New request",
  menuMyRequests: () => "My requests",
  menuHelp: () => "Help",
  help: ({ officePhone }) =>
    `Reply with a number or tap a button. Type "menu" at any time to start over, or "cancel" to drop what you were writing. For anything urgent, call the office on ${officePhone}.`,
  askPhone: () =>
    "To keep your child's information safe we need to check who you are. Please type the phone number the school has on file for you.",
  notRegistered: ({ officePhone }) =>
    `This number isn't registered with the school. Please contact the office${officePhone ? ` on ${officePhone}` : ""} to update your details. If the school has another number for you, type it here.`,
  codeSent: ({ maskedPhone }) =>
    `We sent a 6-digit code to ${maskedPhone}. Please type it here. (Type "resend" for a new code.)`,
  codeRateLimited: ({ retryAt }) =>
    `We've sent several codes already. For your security, please try again after ${retryAt}.`,
  codeWrong: ({ triesLeft }) =>
    `That code isn't right. You have ${triesLeft} ${triesLeft === 1 ? "try" : "tries"} left.`,
  codeDead: () => 'That code has expired or been used up. Type "resend" and we\'ll send a new one.',
  verified: ({ name }) => `Thank you, ${name}, you're verified.`,
  pickChild: () => "Which child is this about?",
  pickCategory: () => "What is it about?",
  categoryLabel: (category) => categoryLabels[category] ?? category,
  writeMessage: ({ child, category }) =>
    `Please write your message about ${category}${child ? ` for ${child}` : ""}. One message is enough; include any dates or details.`,
  confirmSummary: ({ child, category, text }) =>
    `Please check your request:\n${child ? `Child: ${child}\n` : ""}Topic: ${category}\nMessage: ${text}`,
  confirmSend: () => "Send",
  confirmCancel: () => "Cancel",
  ticketCreated: ({ reference, assignee }) =>
    `Thank you. Your request ${reference} has been sent to ${assignee}. You'll get the reply here.`,
  refusedOpenTickets: ({ limit, references }) =>
    `You already have ${limit} open requests (${references.join(", ")}). The school will answer them soon, and you can add to one of them any time: choose "My requests". Once one is answered, you can make a new request.`,
  refusedCooldown: ({ minutesLeft }) =>
    `You've just sent us a request, so please give the school a moment. You can make another one in ${minutesLeft} ${minutesLeft === 1 ? "minute" : "minutes"}.`,
  refusedWeekly: ({ limit, nextDate, officePhone }) =>
    `You've made ${limit} requests this week, which is the most we can take from one family. You can make a new one from ${nextDate}. If it's urgent, please call the office on ${officePhone}.`,
  noOpenRequests: () => "You have no open requests.",
  openRequests: ({ lines }) => `Your open requests:\n${lines.join("\n")}`,
  notUnderstood: () => "Sorry, I didn't catch that. Please choose one of the options.",
  cancelled: () => "Okay, nothing was sent.",
  somethingWentWrong: ({ officePhone }) =>
    `Sorry, something went wrong on our side. Please try again in a moment${officePhone ? `, or call the office on ${officePhone}` : ""}.`,
  conversationRestarted: () =>
    "We've updated this chat, so we're starting again from the beginning. Sorry for the interruption.",
};

export const catalogs: Record<string, ParentCatalog> = { en };

export function catalogFor(language: string | undefined): ParentCatalog {
  return (language && catalogs[language]) || en;
}
