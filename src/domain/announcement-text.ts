// The words of an announcement as a guardian gets it (pure): which of their children it is about,
// and the daily digest that gathers the ones they chose to receive once a day.

/** "Asha", "Asha and Ravi", "Asha, Ravi and Mia". */
export function joinNames(names: readonly string[]): string {
  if (names.length <= 1) return names[0] ?? "";
  return `${names.slice(0, -1).join(", ")} and ${names.at(-1)}`;
}

/** "About Asha and Ravi: Picnic on Friday". */
export function announcementTextFor(children: readonly string[], text: string): string {
  return children.length > 0 ? `About ${joinNames(children)}: ${text}` : text;
}

/** One message listing the day's held announcements, oldest first. */
export function digestText(schoolName: string, items: readonly string[]): string {
  if (items.length === 1) return `Today's announcement from ${schoolName}:\n${items[0]}`;
  const lines = items.map((item, index) => `${index + 1}. ${item}`);
  return `Today's ${items.length} announcements from ${schoolName}:\n${lines.join("\n")}`;
}
