// The words of an announcement as a guardian gets it (pure), in the guardian's language: which of
// their children it is about, and the daily digest that gathers the ones they chose to receive
// once a day.
import { catalogFor } from "../../flows/parent";

/** "About Asha and Ravi: Picnic on Friday" ("Sobre Asha y Ravi: …" in Spanish). */
export function announcementTextFor(
  children: readonly string[],
  text: string,
  language?: string,
): string {
  return catalogFor(language).announcementAbout({ children, text });
}

/** One message listing the day's held announcements, oldest first. */
export function digestText(
  schoolName: string,
  items: readonly string[],
  language?: string,
): string {
  return catalogFor(language).digest({ school: schoolName, items });
}
