// What every language of the school-event notices says: each catalog file is typed against it.

export interface SchoolEventCatalog {
  absent(p: { school: string; child: string; date: string; period: string }): string;
  late(p: { school: string; child: string; date: string; period: string }): string;
  feeReminder(p: { school: string; child: string; amount: string; dueDate: string }): string;
  scoresPublished(p: { school: string; child: string; title: string; url: string }): string;
  /** The answer to an attendance notice went to staff as a ticket on the child. */
  answerTaken(p: { child: string; reference: string; assignee: string }): string;
}
