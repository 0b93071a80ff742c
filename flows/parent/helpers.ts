// What the parent conversation's steps share: the catalog in the parent's language, how answers
// are matched against what was offered, and the texts several steps say.
import { catalogFor, catalogs, type ParentCatalog } from "./catalog";
import { CATEGORIES, type ParentContext } from "./context";
import { matchOption } from "./options";
import type {
  IdentifyResult,
  Option,
  ParentEvent,
  ParentSettings,
  TicketRefusal,
} from "./parent.types";

export const notProvided = (name: string) => async (): Promise<never> => {
  throw new Error(`actor ${name} was not provided by the runtime`);
};

export const emptyDraft: ParentContext["draft"] = {
  studentId: null,
  category: null,
  text: null,
  media: [],
  urgent: false,
};

export const t = (context: ParentContext): ParentCatalog =>
  catalogFor(context.guardian?.language ?? context.language);

/** A word that picks a language before verification: "hola", "español", "english". */
export const LANGUAGE_WORDS: Record<string, string> = {
  hola: "es",
  español: "es",
  espanol: "es",
  spanish: "es",
  english: "en",
  inglés: "en",
  ingles: "en",
};
export const languageWordIn = (event: ParentEvent) =>
  LANGUAGE_WORDS[
    textOf(event)
      .toLowerCase()
      .replace(/[.!¡¿?]+/g, "")
  ];

/** Only something shaped like a code counts as a try: 4 to 8 digits, spaces or dashes between. */
export const looksLikeCode = (event: ParentEvent) => /^\d[\d\s-]{2,10}\d$/.test(textOf(event));

export const menuOptions = (c: ParentCatalog): Option[] => [
  { id: "new", label: c.menuNewRequest() },
  { id: "mine", label: c.menuMyRequests() },
  { id: "announcements", label: c.menuAnnouncements() },
  { id: "talk", label: c.menuTalkToPerson() },
  { id: "language", label: c.menuLanguage() },
  { id: "settings", label: c.menuSettings() },
  { id: "help", label: c.menuHelp() },
];

export const ANNOUNCEMENT_MODES = ["instant", "digest", "off"] as const;

/** The settings in plain words and what can be changed (the channel only with two to order). */
export const settingsSummary = (c: ParentCatalog, settings: ParentSettings) => ({
  text: c.settingsSummary(settings),
  options: [
    { id: "announcements", label: c.settingsAnnouncementsOption() },
    ...(settings.channels.length > 1 ? [{ id: "channels", label: c.settingsChannelOption() }] : []),
    { id: "menu", label: c.settingsBackOption() },
  ],
});

export const languageOptions = (): Option[] =>
  Object.entries(catalogs).map(([code, catalog]) => ({
    id: `lang:${code}`,
    label: catalog.languageName,
  }));

/** A guard: the parent chose the offered option with this id (by number, id or label). */
export const chose =
  (id: string) =>
  ({ context, event }: { context: ParentContext; event: ParentEvent }) =>
    matchOption(textOf(event), context.offered)?.id === id;

export const choseOptionStartingWith =
  (prefix: string) =>
  ({ context, event }: { context: ParentContext; event: ParentEvent }) =>
    matchOption(textOf(event), context.offered)?.id.startsWith(prefix) ?? false;

export const chosenId = (context: ParentContext, event: ParentEvent) =>
  matchOption(textOf(event), context.offered)?.id ?? "";

export const mediaOf = (event: ParentEvent) =>
  event.type === "message" ? (event.media ?? []) : [];

/** The apology every failed effect ends in; the conversation then waits again. */
export const saySorry = {
  type: "say",
  params: ({ context }: { context: ParentContext }) => ({
    text: t(context).somethingWentWrong({
      officePhone: context.guardian?.officePhone ?? context.officePhone,
    }),
  }),
} as const;

export const childName = (context: ParentContext) =>
  context.guardian?.children.find((child) => child.id === context.draft.studentId)?.name;

export const officePhoneOf = (result: IdentifyResult) =>
  result.status === "linked" ? result.guardian.officePhone : result.officePhone;

export const hasDraft = (context: ParentContext) =>
  context.draft.text !== null || context.draft.category !== null || context.draft.media.length > 0;

export const officeOf = (context: ParentContext) =>
  context.guardian?.officePhone ?? context.officePhone ?? "";

export const textOf = (event: ParentEvent) => (event.type === "message" ? event.text.trim() : "");

export function refusalText(c: ParentCatalog, refusal: TicketRefusal, officePhone: string): string {
  switch (refusal.rule) {
    case "open_tickets":
      return c.refusedOpenTickets({
        limit: refusal.limit,
        references: refusal.openReferences,
        officePhone,
      });
    case "cooldown":
      return c.refusedCooldown({ ...refusal, officePhone });
    case "weekly":
      return c.refusedWeekly({ limit: refusal.limit, nextDate: refusal.nextDate, officePhone });
  }
}

export function categoryQuestion(c: ParentCatalog) {
  return {
    text: c.pickCategory(),
    options: CATEGORIES.map((category) => ({ id: category, label: c.categoryLabel(category) })),
  };
}
