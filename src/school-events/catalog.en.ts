// School-event notices in English.
import type { SchoolEventCatalog } from "./catalog-contract";

export const en: SchoolEventCatalog = {
  absent: ({ school, child, date, period }) =>
    `${school}: ${child} was marked absent on ${date} (${period}). If this is unexpected, reply here and the school will look into it.`,
  late: ({ school, child, date, period }) =>
    `${school}: ${child} was marked late on ${date} (${period}). Reply here if you want to tell the school why.`,
  feeReminder: ({ school, child, amount, dueDate }) =>
    `${school}: a reminder that ${amount} for ${child} is due by ${dueDate}. Questions? Reply MENU and make a new request.`,
  scoresPublished: ({ school, child, title, url }) =>
    `${school}: new results for ${child}, ${title}: ${url}`,
  answerTaken: ({ child, reference, assignee }) =>
    `Thank you. We've passed your answer about ${child}'s attendance to ${assignee} (${reference}). You'll get the reply here.`,
};
