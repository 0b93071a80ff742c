// On SMS a carrier reads STOP, CANCEL, END, QUIT or UNSUBSCRIBE as an opt-out before we see it:
// nothing the staff chat says may ask staff to type one, as a quoted word or as an option label.
import { describe, expect, it } from "vitest";
import { en } from "../../flows/staff/catalog";
import { carrierKeywordIn } from "../../src/conversations/carrier-keywords";
import {
  followUpAlert,
  morningSummary,
  newTicketAlert,
  slaBreachNotice,
  slaReminder,
} from "../../src/domain";

const ticket = {
  reference: "T-1001",
  guardianName: "Michael Barnes",
  child: "Chloe (5A)",
  category: "academics",
};
const line = { ...ticket, waitingMs: 3_600_000, awaitingAnswer: true };

/** Every word the text asks to be typed: quoted words, and "type X". */
const askedToType = (text: string) => [
  ...[...text.matchAll(/"([^"]+)"/g)].map((match) => match[1] ?? ""),
  ...[...text.matchAll(/\btype (\w+)/gi)].map((match) => match[1] ?? ""),
];

describe("no carrier opt-out word asked of staff", () => {
  const labels = [
    en.menuAnnounce(),
    en.menuRecent(),
    en.menuStats(),
    en.menuHelp(),
    en.menuParent(),
    en.confirmSend(),
    en.confirmUrgent(),
    en.confirmSchedule(),
    en.confirmCancel(),
    en.audienceSchool(),
    en.audienceGrade(),
    en.audienceClass(),
    en.audienceClasses(),
    en.audienceStudents(),
  ];
  const texts = [
    en.help(),
    en.codeSent({ maskedPhone: "+1•••••0184" }),
    en.codeDead(),
    en.askAttachment(),
    en.attachmentNotUnderstood(),
    en.unknownCommand(),
    en.notUnderstood(),
    en.ticketReplied({ reference: "T-1001", guardian: "Michael Barnes", lastAlert: true }),
    en.ticketUsage({ action: "reply" }),
    en.ticketUsage({ action: "note" }),
    en.ticketUsage({ action: "resolve" }),
    en.ticketUsage({ action: "take" }),
    newTicketAlert(ticket, "Homework?"),
    followUpAlert(ticket, "And?", 3),
    slaReminder(ticket, "Tue 9:00 AM"),
    slaBreachNotice(ticket, "Tue 9:00 AM", "Ms Rao"),
    morningSummary("Ms Rao", [line]),
  ];

  it.each(labels)("option label %j is not an opt-out word", (label) => {
    expect(carrierKeywordIn(label)).toBeNull();
  });

  it("no text asks for one", () => {
    for (const text of texts)
      for (const word of askedToType(text))
        expect([text, carrierKeywordIn(word)]).toEqual([text, null]);
  });
});
