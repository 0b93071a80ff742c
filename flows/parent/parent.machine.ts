// The parent conversation: verify by one-time code, then menu → child → topic → message → confirm
// → ticket, and the parent's own settings (announcements, channel order). Pure: every effect is a
// named actor the runtime provides; replies leave as "say" events.
import { assign, emit, enqueueActions, fromPromise, setup, stateIn } from "xstate";
import { catalogFor, catalogs, type ParentCatalog } from "./catalog";
import { childNamedIn, isGreeting, isThanks, matchOption } from "./options";
import type {
  AnnouncementLine,
  CheckCodeResult,
  CreateTicketResult,
  FollowUp,
  IdentifyResult,
  OpenTicketSummary,
  Option,
  ParentEvent,
  ParentInput,
  ParentSettings,
  ReopenResult,
  RequestCheck,
  SayEvent,
  SendCodeResult,
  SettingsChange,
  TicketDraft,
  TicketRefusal,
  VerifiedGuardian,
} from "./parent.types";

/**
 * Persisted with every snapshot; a change of states or context shape bumps the version. New
 * states and events alone do not: every snapshot of this version still restores (the settings
 * states came so, their choices travel in `offered` like every other question's). `restores`
 * lists the older versions whose snapshots this one reads as they are: version 3 adds only
 * optional context (`language`, `schoolName`, `maskedPhone`) and states, so a version 2
 * conversation resumes where it was.
 */
export const PARENT_MACHINE = { name: "parent", version: 3, restores: [2] } as const;

export const CATEGORIES = ["academics", "attendance", "fees", "transport", "other"] as const;

export interface ParentContext extends ParentInput {
  guardian: VerifiedGuardian | null;
  /** The phone on the school's record that codes go to (never the address unless it is on file). */
  phoneOnFile: string | null;
  officePhone: string | undefined;
  /**
   * A new conversation opened with HELP: once the school is known, the answer is its help line
   * (carriers require HELP to name a contact) before verification goes on. Absent in old snapshots.
   */
  helpAsked?: boolean;
  /** The language chosen before verification ("hola", "español"); the guardian's wins after. */
  language?: string;
  /** The school of the phone on file, for HELP before verification. */
  schoolName?: string;
  /** Where the last code went, masked, to say again without sending another. */
  maskedPhone?: string;
  /** The options offered by the last question, so a reply of "2" or a label can be matched. */
  offered: Option[];
  /** Tickets staff resolved, waiting to be put to the parent for a rating (oldest first). */
  resolutions: { reference: string; by: string }[];
  draft: {
    studentId: number | null;
    category: string | null;
    text: string | null;
    media: { url: string }[];
    urgent: boolean;
  };
}

const notProvided = (name: string) => async (): Promise<never> => {
  throw new Error(`actor ${name} was not provided by the runtime`);
};

const emptyDraft: ParentContext["draft"] = {
  studentId: null,
  category: null,
  text: null,
  media: [],
  urgent: false,
};

const t = (context: ParentContext): ParentCatalog =>
  catalogFor(context.guardian?.language ?? context.language);

/** A word that picks a language before verification: "hola", "español", "english". */
const LANGUAGE_WORDS: Record<string, string> = {
  hola: "es",
  español: "es",
  espanol: "es",
  spanish: "es",
  english: "en",
  inglés: "en",
  ingles: "en",
};
const languageWordIn = (event: ParentEvent) =>
  LANGUAGE_WORDS[
    textOf(event)
      .toLowerCase()
      .replace(/[.!¡¿?]+/g, "")
  ];

/** Only something shaped like a code counts as a try: 4 to 8 digits, spaces or dashes between. */
const looksLikeCode = (event: ParentEvent) => /^\d[\d\s-]{2,10}\d$/.test(textOf(event));

const menuOptions = (c: ParentCatalog): Option[] => [
  { id: "new", label: c.menuNewRequest() },
  { id: "mine", label: c.menuMyRequests() },
  { id: "announcements", label: c.menuAnnouncements() },
  { id: "talk", label: c.menuTalkToPerson() },
  { id: "language", label: c.menuLanguage() },
  { id: "settings", label: c.menuSettings() },
  { id: "help", label: c.menuHelp() },
];

const ANNOUNCEMENT_MODES = ["instant", "digest", "off"] as const;

/** The settings in plain words and what can be changed (the channel only with two to order). */
const settingsSummary = (c: ParentCatalog, settings: ParentSettings) => ({
  text: c.settingsSummary(settings),
  options: [
    { id: "announcements", label: c.settingsAnnouncementsOption() },
    ...(settings.channels.length > 1 ? [{ id: "channels", label: c.settingsChannelOption() }] : []),
    { id: "menu", label: c.settingsBackOption() },
  ],
});

const languageOptions = (): Option[] =>
  Object.entries(catalogs).map(([code, catalog]) => ({
    id: `lang:${code}`,
    label: catalog.languageName,
  }));

/** A guard: the parent chose the offered option with this id (by number, id or label). */
const chose =
  (id: string) =>
  ({ context, event }: { context: ParentContext; event: ParentEvent }) =>
    matchOption(textOf(event), context.offered)?.id === id;

const choseOptionStartingWith =
  (prefix: string) =>
  ({ context, event }: { context: ParentContext; event: ParentEvent }) =>
    matchOption(textOf(event), context.offered)?.id.startsWith(prefix) ?? false;

const chosenId = (context: ParentContext, event: ParentEvent) =>
  matchOption(textOf(event), context.offered)?.id ?? "";

const mediaOf = (event: ParentEvent) => (event.type === "message" ? (event.media ?? []) : []);

/** The apology every failed effect ends in; the conversation then waits again. */
const saySorry = {
  type: "say",
  params: ({ context }: { context: ParentContext }) => ({
    text: t(context).somethingWentWrong({
      officePhone: context.guardian?.officePhone ?? context.officePhone,
    }),
  }),
} as const;

const childName = (context: ParentContext) =>
  context.guardian?.children.find((child) => child.id === context.draft.studentId)?.name;

const officePhoneOf = (result: IdentifyResult) =>
  result.status === "linked" ? result.guardian.officePhone : result.officePhone;

const hasDraft = (context: ParentContext) =>
  context.draft.text !== null || context.draft.category !== null || context.draft.media.length > 0;

const officeOf = (context: ParentContext) =>
  context.guardian?.officePhone ?? context.officePhone ?? "";

const textOf = (event: ParentEvent) => (event.type === "message" ? event.text.trim() : "");

export const parentMachine = setup({
  types: {
    context: {} as ParentContext,
    events: {} as ParentEvent,
    input: {} as ParentInput,
    emitted: {} as SayEvent,
  },
  actors: {
    identify: fromPromise<
      IdentifyResult,
      { channel: string; address: string; sharedPhone?: string }
    >(notProvided("identify")),
    findPhoneOnFile: fromPromise<IdentifyResult, { text: string }>(notProvided("findPhoneOnFile")),
    sendCode: fromPromise<SendCodeResult, { phone: string; language?: string }>(
      notProvided("sendCode"),
    ),
    /** `language`: chosen before verification; the guardian's record takes it. */
    checkCode: fromPromise<CheckCodeResult, { phone: string; code: string; language?: string }>(
      notProvided("checkCode"),
    ),
    createTicket: fromPromise<CreateTicketResult, TicketDraft>(notProvided("createTicket")),
    /** Would a new request of this kind be taken now (asked before the text is). */
    checkNewRequest: fromPromise<
      RequestCheck,
      { guardianId: number; schoolId: number; category: string; urgent: boolean; language?: string }
    >(notProvided("checkNewRequest")),
    listOpenTickets: fromPromise<OpenTicketSummary[], { guardianId: number }>(
      notProvided("listOpenTickets"),
    ),
    addToTicket: fromPromise<{ reference: string; assignee: string }, FollowUp>(
      notProvided("addToTicket"),
    ),
    listAnnouncements: fromPromise<AnnouncementLine[], { guardianId: number }>(
      notProvided("listAnnouncements"),
    ),
    rateTicket: fromPromise<
      { rating: number },
      { guardianId: number; reference: string; rating: number }
    >(notProvided("rateTicket")),
    reopenTicket: fromPromise<ReopenResult, { guardianId: number; reference: string }>(
      notProvided("reopenTicket"),
    ),
    commentOnRating: fromPromise<
      { reference: string },
      { guardianId: number; reference: string; text: string }
    >(notProvided("commentOnRating")),
    setLanguage: fromPromise<{ language: string }, { guardianId: number; language: string }>(
      notProvided("setLanguage"),
    ),
    loadSettings: fromPromise<ParentSettings, { guardianId: number; schoolId: number }>(
      notProvided("loadSettings"),
    ),
    /** Makes the change and returns the settings after it. */
    changeSettings: fromPromise<
      ParentSettings,
      { guardianId: number; schoolId: number; change: SettingsChange }
    >(notProvided("changeSettings")),
  },
  actions: {
    /**
     * The phone the school has for this person was found: codes go there. A conversation that
     * opened with HELP now hears the school's help line (carriers require HELP to name a contact).
     */
    rememberPhoneOnFile: enqueueActions(({ context, enqueue }, result: IdentifyResult) => {
      const officePhone = officePhoneOf(result);
      const schoolName = result.status === "on_file" ? result.schoolName : undefined;
      enqueue.assign({
        phoneOnFile: result.status === "on_file" ? result.phone : null,
        officePhone,
        schoolName,
      });
      if (context.helpAsked) {
        const text = t(context).schoolHelp({
          school: schoolName ?? "",
          officePhone: officePhone ?? "",
        });
        enqueue(emit({ type: "say", text }));
      }
    }),
    /** Restates where the code went and what to do, without sending another. */
    sayCodePrompt: enqueueActions(({ enqueue, context }) => {
      const text = t(context).codeExpected({ maskedPhone: context.maskedPhone ?? "" });
      enqueue(emit({ type: "say", text }));
    }),
    rememberLanguageWord: assign({
      language: ({ context, event }) => languageWordIn(event) ?? context.language,
    }),
    /** Says one text (from the catalog) and remembers the options it offered. */
    say: enqueueActions(({ enqueue }, params: { text: string; options?: Option[] }) => {
      // An empty text says nothing, so a transition can speak only under a condition.
      if (!params.text) return;
      enqueue.assign({ offered: params.options ?? [] });
      enqueue(
        emit({
          type: "say",
          text: params.text,
          ...(params.options ? { options: params.options } : {}),
        }),
      );
    }),
    /** Says a text that asks nothing, leaving the options on offer as they were. */
    sayAside: enqueueActions(({ enqueue }, params: { text: string }) => {
      enqueue(emit({ type: "say", text: params.text }));
    }),
    sayMenu: enqueueActions(({ enqueue, context }) => {
      // A resolved ticket is put to the parent first; the menu follows that.
      if (context.resolutions.length > 0) return;
      const options = menuOptions(t(context));
      enqueue.assign({ offered: options });
      enqueue(emit({ type: "say", text: t(context).menuPrompt(), options }));
    }),
    /** An answer that matched none of the options: say so and offer them again. */
    sayNotUnderstood: enqueueActions(({ enqueue, context }) => {
      enqueue(emit({ type: "say", text: t(context).notUnderstood(), options: context.offered }));
    }),
    clearDraft: assign({ draft: () => ({ ...emptyDraft }) }),
    rememberResolution: assign({
      resolutions: ({ context, event }) =>
        event.type === "ticket.resolved"
          ? [...context.resolutions, { reference: event.reference, by: event.by }]
          : context.resolutions,
    }),
    forgetResolution: assign({ resolutions: ({ context }) => context.resolutions.slice(1) }),
  },
  guards: {
    hasSeveralChildren: ({ context }) => (context.guardian?.children.length ?? 0) > 1,
    hasDraftText: ({ context }) => Boolean(context.draft.text),
    hasResolution: ({ context }) => context.resolutions.length > 0,
    isVerified: ({ context }) => context.guardian !== null,
    helpAsked: ({ context }) => context.helpAsked === true,
  },
}).createMachine({
  id: PARENT_MACHINE.name,
  context: ({ input }) => ({
    ...input,
    guardian: null,
    phoneOnFile: null,
    officePhone: undefined,
    offered: [],
    resolutions: [],
    draft: { ...emptyDraft },
  }),
  on: {
    // Until the parent is verified again, a resolution waits to be put to them at the menu.
    "ticket.resolved": { actions: "rememberResolution" },
    // After a long silence, half-finished work is dropped and the parent starts from the menu.
    idle: [
      // Nothing was half-finished: carry on as if no time had passed.
      { guard: stateIn({ verified: "menu" }) },
      { guard: stateIn("new") },
      {
        guard: "isVerified",
        target: ".verified.menu",
        reenter: true,
        actions: [
          "clearDraft",
          { type: "say", params: ({ context }) => ({ text: t(context).idleReset() }) },
        ],
      },
      { target: ".new" },
    ],
  },
  initial: "new",
  states: {
    /** A conversation that has not heard anything yet. */
    new: {
      tags: ["waiting"],
      on: {
        message: { target: "identifying", actions: "rememberLanguageWord" },
        "command.menu": "identifying",
        "command.settings": "identifying",
        "command.unsubscribe": "identifying",
        "command.help": { target: "identifying", actions: assign({ helpAsked: true }) },
      },
    },

    identifying: {
      invoke: {
        src: "identify",
        input: ({ context, event }) => ({
          channel: context.channel,
          address: context.address,
          ...(event.type === "message" && event.sharedPhone
            ? { sharedPhone: event.sharedPhone }
            : {}),
        }),
        onDone: [
          {
            guard: ({ event }) => event.output.status === "linked",
            target: "verified.menu",
            actions: [
              assign({
                guardian: ({ event }) =>
                  event.output.status === "linked" ? event.output.guardian : null,
              }),
              {
                type: "say",
                params: ({ context }) => ({
                  text: t(context).greeting({
                    name: context.guardian?.firstName ?? "",
                    school: context.guardian?.schoolName ?? "",
                  }),
                }),
              },
            ],
          },
          {
            // HELP from a number on file: the school's name and office phone, and no code yet.
            guard: ({ context, event }) =>
              event.output.status === "on_file" && context.helpAsked === true,
            target: "heardHelp",
            actions: { type: "rememberPhoneOnFile", params: ({ event }) => event.output },
          },
          {
            guard: ({ event }) => event.output.status === "on_file",
            target: "sendingCode",
            actions: { type: "rememberPhoneOnFile", params: ({ event }) => event.output },
          },
          {
            target: "askingPhone",
            actions: [
              assign({ officePhone: ({ event }) => officePhoneOf(event.output) }),
              {
                type: "say",
                // A phone we don't know hears so at once (with how to go on); a chat with no
                // phone number (Telegram) is asked for the number on file, with a button to
                // share it where the channel has one.
                params: ({ context, event }) =>
                  event.output.status === "unknown" && event.output.addressIsPhone
                    ? { text: t(context).notRegistered({ officePhone: context.officePhone }) }
                    : {
                        text: t(context).askPhone(),
                        options: [
                          { id: "share_phone", label: t(context).sharePhone(), request: "phone" },
                        ],
                      },
              },
            ],
          },
        ],
        onError: { target: "new", actions: saySorry },
      },
    },

    /** A number on file asked for HELP first: its next message starts verification. */
    heardHelp: {
      tags: ["waiting"],
      entry: assign({ helpAsked: false }),
      on: {
        message: { target: "sendingCode", actions: "rememberLanguageWord" },
        "command.menu": "sendingCode",
        "command.settings": "sendingCode",
        "command.unsubscribe": "sendingCode",
        "command.help": {
          actions: {
            type: "say",
            params: ({ context }) => ({
              text: t(context).schoolHelp({
                school: context.schoolName ?? "",
                officePhone: context.officePhone ?? "",
              }),
            }),
          },
        },
      },
    },

    /** The address is not on file: ask for the number the school has. */
    askingPhone: {
      tags: ["waiting"],
      on: {
        message: "findingPhone",
        "command.menu": "identifying",
        "command.settings": "identifying",
        "command.unsubscribe": "identifying",
        "command.help": "identifying",
      },
    },

    findingPhone: {
      invoke: {
        src: "findPhoneOnFile",
        input: ({ event }) => ({ text: textOf(event) }),
        onDone: [
          {
            guard: ({ event }) => event.output.status === "on_file",
            target: "sendingCode",
            actions: { type: "rememberPhoneOnFile", params: ({ event }) => event.output },
          },
          {
            target: "askingPhone",
            actions: {
              type: "say",
              params: ({ context, event }) => ({
                text: t(context).notRegistered({
                  officePhone: officePhoneOf(event.output) ?? context.officePhone,
                }),
              }),
            },
          },
        ],
        onError: { target: "askingPhone", actions: saySorry },
      },
    },

    sendingCode: {
      invoke: {
        src: "sendCode",
        input: ({ context }) => ({
          phone: context.phoneOnFile ?? "",
          ...(context.language ? { language: context.language } : {}),
        }),
        onDone: [
          {
            guard: ({ event }) => event.output.status === "sent",
            target: "awaitingCode",
            actions: [
              assign({
                maskedPhone: ({ event }) =>
                  event.output.status === "sent" ? event.output.maskedPhone : undefined,
              }),
              {
                type: "say",
                params: ({ context, event }) => ({
                  text: t(context).codeSent({
                    maskedPhone: event.output.status === "sent" ? event.output.maskedPhone : "",
                  }),
                }),
              },
            ],
          },
          {
            target: "awaitingCode",
            actions: {
              type: "say",
              params: ({ context, event }) => ({
                text: t(context).codeRateLimited({
                  officePhone: context.officePhone ?? "",
                  retryAt: event.output.status === "rate_limited" ? event.output.retryAt : "",
                }),
              }),
            },
          },
        ],
        onError: { target: "awaitingCode", actions: saySorry },
      },
    },

    awaitingCode: {
      tags: ["waiting"],
      on: {
        message: [
          {
            guard: ({ event }) => /^(resend|new code|code|reenviar)$/i.test(textOf(event)),
            target: "sendingCode",
          },
          // "español" or "hola" here switches the language and says it again; no code is sent.
          {
            guard: ({ event }) => languageWordIn(event) !== undefined,
            actions: ["rememberLanguageWord", "sayCodePrompt"],
          },
          { guard: ({ event }) => looksLikeCode(event), target: "checkingCode" },
          // Anything else is no try: say what is expected.
          { actions: "sayCodePrompt" },
        ],
        // Commands here send no code: they say where the code went and what to do.
        "command.menu": { actions: "sayCodePrompt" },
        "command.settings": { actions: "sayCodePrompt" },
        "command.unsubscribe": { actions: "sayCodePrompt" },
        "command.help": {
          actions: [
            {
              type: "say",
              params: ({ context }) => ({
                text: t(context).schoolHelp({
                  school: context.schoolName ?? "",
                  officePhone: context.officePhone ?? "",
                }),
              }),
            },
            "sayCodePrompt",
          ],
        },
      },
    },

    checkingCode: {
      invoke: {
        src: "checkCode",
        input: ({ context, event }) => ({
          phone: context.phoneOnFile ?? "",
          code: textOf(event).replace(/[\s-]+/g, ""),
          ...(context.language ? { language: context.language } : {}),
        }),
        onDone: [
          {
            guard: ({ event }) => event.output.status === "verified",
            target: "verified.menu",
            actions: [
              assign({
                guardian: ({ event }) =>
                  event.output.status === "verified" ? event.output.guardian : null,
                phoneOnFile: null,
              }),
              {
                type: "say",
                params: ({ context }) => ({
                  text: t(context).verified({ name: context.guardian?.firstName ?? "" }),
                }),
              },
            ],
          },
          {
            guard: ({ event }) => event.output.status === "wrong",
            target: "awaitingCode",
            actions: {
              type: "say",
              params: ({ context, event }) => ({
                text: t(context).codeWrong({
                  triesLeft: event.output.status === "wrong" ? event.output.triesLeft : 0,
                }),
              }),
            },
          },
          {
            target: "awaitingCode",
            actions: { type: "say", params: ({ context }) => ({ text: t(context).codeDead() }) },
          },
        ],
        onError: { target: "awaitingCode", actions: saySorry },
      },
    },

    verified: {
      on: {
        "ticket.resolved": [
          {
            guard: stateIn({ verified: "menu" }),
            target: ".askingRating",
            actions: "rememberResolution",
          },
          { actions: "rememberResolution" },
        ],
        "command.menu": {
          target: ".menu",
          actions: [
            {
              type: "say",
              params: ({ context }) => ({
                // Said whenever something being written is dropped, so the parent knows.
                text: hasDraft(context) ? t(context).cancelled() : "",
              }),
            },
            "clearDraft",
          ],
        },
        // Like "menu", it drops what was being written; a pending rating is asked after it.
        "command.settings": { target: ".loadingSettings", actions: "clearDraft" },
        "command.unsubscribe": { target: ".stoppingAnnouncements", actions: "clearDraft" },
        "command.help": {
          target: ".menu",
          actions: [
            "clearDraft",
            {
              type: "say",
              params: ({ context }) => ({
                text: t(context).help({ officePhone: context.guardian?.officePhone ?? "" }),
              }),
            },
          ],
        },
      },
      initial: "menu",
      states: {
        menu: {
          tags: ["waiting"],
          entry: "sayMenu",
          always: { guard: "hasResolution", target: "askingRating" },
          on: {
            message: [
              { guard: chose("new"), target: "startingRequest" },
              { guard: chose("mine"), target: "listingRequests" },
              { guard: chose("announcements"), target: "listingAnnouncements" },
              {
                guard: chose("talk"),
                target: "talkingToPerson",
                actions: {
                  type: "say",
                  params: ({ context }) => ({ text: t(context).talkToPersonPrompt() }),
                },
              },
              {
                guard: chose("language"),
                target: "choosingLanguage",
                actions: {
                  type: "say",
                  params: ({ context }) => ({
                    text: t(context).languagePrompt(),
                    options: languageOptions(),
                  }),
                },
              },
              { guard: chose("settings"), target: "loadingSettings" },
              // A greeting shows the menu again; thanks is acknowledged. Neither is a request.
              { guard: ({ event }) => isGreeting(textOf(event)), target: "menu", reenter: true },
              {
                guard: ({ event }) => isThanks(textOf(event)),
                actions: {
                  type: "sayAside",
                  params: ({ context }) => ({ text: t(context).youreWelcome() }),
                },
              },
              {
                guard: chose("help"),
                target: "menu",
                reenter: true,
                actions: {
                  type: "say",
                  params: ({ context }) => ({
                    text: t(context).help({ officePhone: context.guardian?.officePhone ?? "" }),
                  }),
                },
              },
              {
                // A parent who just starts writing is either following up on an open request or
                // starting a new one: keep what they wrote and find out which.
                target: "checkingOpenRequests",
                actions: assign({
                  draft: ({ event }) => ({
                    ...emptyDraft,
                    text: textOf(event) || null,
                    media: mediaOf(event),
                  }),
                }),
              },
            ],
          },
        },

        askingRating: {
          tags: ["waiting"],
          entry: {
            type: "say",
            params: ({ context }) => ({
              text: t(context).ticketResolved(context.resolutions[0] ?? { reference: "", by: "" }),
              options: [
                ...[1, 2, 3, 4, 5].map((n) => ({ id: `rate:${n}`, label: String(n) })),
                { id: "reopen", label: t(context).reopenOption() },
              ],
            }),
          },
          on: {
            // "menu" skips the rating question, so it can never trap the parent.
            "command.menu": { target: "menu", actions: "forgetResolution" },
            message: [
              { guard: choseOptionStartingWith("rate:"), target: "rating" },
              { guard: chose("reopen"), target: "reopening" },
              // Words rather than a number are what the parent thinks of the outcome: kept.
              { guard: ({ event }) => textOf(event) !== "", target: "keepingRatingComment" },
              { actions: "sayNotUnderstood" },
            ],
          },
        },

        keepingRatingComment: {
          invoke: {
            src: "commentOnRating",
            input: ({ context, event }) => ({
              guardianId: context.guardian?.guardianId ?? 0,
              reference: context.resolutions[0]?.reference ?? "",
              text: textOf(event),
            }),
            onDone: {
              target: "awaitingRating",
              actions: {
                type: "sayAside",
                params: ({ context }) => ({
                  text: t(context).ratingCommentKept(
                    context.resolutions[0] ?? { reference: "", by: "" },
                  ),
                }),
              },
            },
            onError: { target: "menu", actions: ["forgetResolution", saySorry] },
          },
        },

        /** The rating question again, after a comment, without saying it all again. */
        awaitingRating: {
          tags: ["waiting"],
          on: {
            "command.menu": { target: "menu", actions: "forgetResolution" },
            message: [
              { guard: choseOptionStartingWith("rate:"), target: "rating" },
              { guard: chose("reopen"), target: "reopening" },
              { guard: ({ event }) => textOf(event) !== "", target: "keepingRatingComment" },
              { actions: "sayNotUnderstood" },
            ],
          },
        },

        rating: {
          invoke: {
            src: "rateTicket",
            input: ({ context, event }) => ({
              guardianId: context.guardian?.guardianId ?? 0,
              reference: context.resolutions[0]?.reference ?? "",
              rating: Number(chosenId(context, event).slice("rate:".length)),
            }),
            onDone: {
              target: "menu",
              actions: [
                {
                  type: "say",
                  params: ({ context, event }) => ({
                    text: t(context).ratingThanks({ rating: event.output.rating }),
                  }),
                },
                "forgetResolution",
              ],
            },
            onError: { target: "menu", actions: ["forgetResolution", saySorry] },
          },
        },

        reopening: {
          invoke: {
            src: "reopenTicket",
            input: ({ context }) => ({
              guardianId: context.guardian?.guardianId ?? 0,
              reference: context.resolutions[0]?.reference ?? "",
            }),
            onDone: {
              target: "menu",
              actions: [
                {
                  type: "say",
                  params: ({ context, event }) => ({
                    text:
                      event.output.status === "reopened"
                        ? t(context).reopened({ reference: event.output.reference })
                        : event.output.rule === "reopen_limit"
                          ? t(context).reopenRefusedLimit({
                              limit: event.output.limit,
                              officePhone: officeOf(context),
                            })
                          : t(context).reopenRefusedWindow({
                              days: event.output.limit,
                              officePhone: officeOf(context),
                            }),
                  }),
                },
                "forgetResolution",
              ],
            },
            onError: { target: "menu", actions: ["forgetResolution", saySorry] },
          },
        },

        checkingOpenRequests: {
          invoke: {
            src: "listOpenTickets",
            input: ({ context }) => ({ guardianId: context.guardian?.guardianId ?? 0 }),
            onDone: [
              { guard: ({ event }) => event.output.length === 0, target: "startingRequest" },
              {
                target: "choosingRequest",
                actions: {
                  type: "say",
                  params: ({ context, event }) => ({
                    text: t(context).whichRequest(),
                    options: [
                      ...event.output.map((ticket) => ({
                        id: `ticket:${ticket.reference}`,
                        label: `${ticket.reference}: ${t(context).categoryLabel(ticket.category)}${ticket.childName ? ` (${ticket.childName})` : ""}`,
                      })),
                      { id: "new", label: t(context).menuNewRequest() },
                    ],
                  }),
                },
              },
            ],
            onError: { target: "menu", actions: ["clearDraft", saySorry] },
          },
        },

        choosingRequest: {
          tags: ["waiting"],
          on: {
            message: [
              { guard: chose("new"), target: "startingRequest" },
              { guard: choseOptionStartingWith("ticket:"), target: "addingToRequest" },
              { actions: "sayNotUnderstood" },
            ],
          },
        },

        addingToRequest: {
          invoke: {
            src: "addToTicket",
            input: ({ context, event }) => ({
              guardianId: context.guardian?.guardianId ?? 0,
              reference: chosenId(context, event).slice("ticket:".length),
              text: context.draft.text ?? "",
              media: context.draft.media,
            }),
            onDone: {
              target: "menu",
              actions: [
                {
                  type: "say",
                  params: ({ context, event }) => ({
                    text: t(context).addedToRequest(event.output),
                  }),
                },
                "clearDraft",
              ],
            },
            onError: { target: "menu", actions: ["clearDraft", saySorry] },
          },
        },

        talkingToPerson: {
          tags: ["waiting"],
          on: {
            message: {
              target: "creatingTicket",
              actions: assign({
                draft: ({ context, event }) => ({
                  ...emptyDraft,
                  studentId:
                    context.guardian?.children.length === 1
                      ? (context.guardian.children[0]?.id ?? null)
                      : null,
                  category: "other",
                  text: textOf(event) || t(context).attachmentOnly(),
                  media: mediaOf(event),
                  urgent: true,
                }),
              }),
            },
          },
        },

        listingAnnouncements: {
          invoke: {
            src: "listAnnouncements",
            input: ({ context }) => ({ guardianId: context.guardian?.guardianId ?? 0 }),
            onDone: {
              target: "menu",
              actions: {
                type: "say",
                params: ({ context, event }) => ({
                  text:
                    event.output.length === 0
                      ? t(context).noAnnouncements()
                      : t(context).announcements({
                          lines: event.output.map((line) => `${line.date}: ${line.text}`),
                        }),
                }),
              },
            },
            onError: { target: "menu", actions: saySorry },
          },
        },

        choosingLanguage: {
          tags: ["waiting"],
          on: {
            message: [
              { guard: choseOptionStartingWith("lang:"), target: "settingLanguage" },
              { actions: "sayNotUnderstood" },
            ],
          },
        },

        settingLanguage: {
          invoke: {
            src: "setLanguage",
            input: ({ context, event }) => ({
              guardianId: context.guardian?.guardianId ?? 0,
              language: chosenId(context, event).slice("lang:".length),
            }),
            onDone: {
              target: "menu",
              actions: [
                assign({
                  guardian: ({ context, event }) =>
                    context.guardian && { ...context.guardian, language: event.output.language },
                }),
                { type: "say", params: ({ context }) => ({ text: t(context).languageChanged() }) },
              ],
            },
            onError: { target: "menu", actions: saySorry },
          },
        },

        loadingSettings: {
          invoke: {
            src: "loadSettings",
            input: ({ context }) => ({
              guardianId: context.guardian?.guardianId ?? 0,
              schoolId: context.guardian?.schoolId ?? 0,
            }),
            onDone: {
              target: "inSettings",
              actions: {
                type: "say",
                params: ({ context, event }) => settingsSummary(t(context), event.output),
              },
            },
            onError: { target: "menu", actions: saySorry },
          },
        },

        inSettings: {
          tags: ["waiting"],
          on: {
            message: [
              {
                guard: chose("announcements"),
                target: "choosingAnnouncements",
                actions: {
                  type: "say",
                  params: ({ context }) => ({
                    text: t(context).announcementsPrompt(),
                    options: ANNOUNCEMENT_MODES.map((mode) => ({
                      id: `announcements:${mode}`,
                      label: t(context).announcementsOption(mode),
                    })),
                  }),
                },
              },
              // The channels to offer are read again, as they are now.
              { guard: chose("channels"), target: "loadingChannels" },
              { guard: chose("menu"), target: "menu" },
              { actions: "sayNotUnderstood" },
            ],
          },
        },

        choosingAnnouncements: {
          tags: ["waiting"],
          on: {
            message: [
              { guard: choseOptionStartingWith("announcements:"), target: "savingAnnouncements" },
              { actions: "sayNotUnderstood" },
            ],
          },
        },

        savingAnnouncements: {
          invoke: {
            src: "changeSettings",
            input: ({ context, event }) => ({
              guardianId: context.guardian?.guardianId ?? 0,
              schoolId: context.guardian?.schoolId ?? 0,
              change: {
                announcements:
                  ANNOUNCEMENT_MODES.find(
                    (mode) => chosenId(context, event) === `announcements:${mode}`,
                  ) ?? "instant",
              },
            }),
            onDone: {
              target: "menu",
              actions: {
                type: "say",
                params: ({ context, event }) => ({
                  text: t(context).announcementsChanged(event.output),
                }),
              },
            },
            onError: { target: "menu", actions: saySorry },
          },
        },

        /** STOP on a chat app: announcements off, everything else still comes. */
        stoppingAnnouncements: {
          invoke: {
            src: "changeSettings",
            input: ({ context }) => ({
              guardianId: context.guardian?.guardianId ?? 0,
              schoolId: context.guardian?.schoolId ?? 0,
              change: { announcements: "off" as const },
            }),
            onDone: {
              target: "menu",
              actions: {
                type: "say",
                params: ({ context }) => ({ text: t(context).announcementsStopped() }),
              },
            },
            onError: { target: "menu", actions: saySorry },
          },
        },

        loadingChannels: {
          invoke: {
            src: "loadSettings",
            input: ({ context }) => ({
              guardianId: context.guardian?.guardianId ?? 0,
              schoolId: context.guardian?.schoolId ?? 0,
            }),
            onDone: [
              {
                // Nothing to order (a channel expired meanwhile): the settings as they are now.
                guard: ({ event }) => event.output.channels.length < 2,
                target: "inSettings",
                actions: {
                  type: "say",
                  params: ({ context, event }) => settingsSummary(t(context), event.output),
                },
              },
              {
                target: "choosingChannel",
                actions: {
                  type: "say",
                  params: ({ context, event }) => ({
                    text: t(context).channelPrompt(),
                    options: event.output.channels.map((channel) => ({
                      id: `channel:${channel}`,
                      label: t(context).channelName(channel),
                    })),
                  }),
                },
              },
            ],
            onError: { target: "menu", actions: saySorry },
          },
        },

        choosingChannel: {
          tags: ["waiting"],
          on: {
            message: [
              { guard: choseOptionStartingWith("channel:"), target: "savingChannel" },
              { actions: "sayNotUnderstood" },
            ],
          },
        },

        savingChannel: {
          invoke: {
            src: "changeSettings",
            input: ({ context, event }) => ({
              guardianId: context.guardian?.guardianId ?? 0,
              schoolId: context.guardian?.schoolId ?? 0,
              change: { firstChannel: chosenId(context, event).slice("channel:".length) },
            }),
            onDone: {
              target: "menu",
              actions: {
                type: "say",
                params: ({ context, event }) => ({
                  text: t(context).channelOrderChanged(event.output),
                }),
              },
            },
            onError: { target: "menu", actions: saySorry },
          },
        },

        listingRequests: {
          invoke: {
            src: "listOpenTickets",
            input: ({ context }) => ({ guardianId: context.guardian?.guardianId ?? 0 }),
            onDone: {
              target: "menu",
              actions: {
                type: "say",
                params: ({ context, event }) => ({
                  text:
                    event.output.length === 0
                      ? t(context).noOpenRequests()
                      : t(context).openRequests({
                          lines: event.output.map(
                            (ticket) =>
                              `${ticket.reference} (${t(context).statusLabel(ticket.status)})${ticket.lastReply ? `: "${ticket.lastReply}"` : ""}`,
                          ),
                        }),
                }),
              },
            },
            onError: { target: "menu", actions: saySorry },
          },
        },

        startingRequest: {
          always: [
            {
              // A message that names one of the children ("Leo was sick today") answers which.
              guard: ({ context }) =>
                (context.guardian?.children.length ?? 0) > 1 &&
                context.draft.studentId === null &&
                childNamedIn(context.draft.text ?? "", context.guardian?.children ?? []) !== null,
              target: "pickingCategory",
              actions: [
                assign({
                  draft: ({ context }) => ({
                    ...context.draft,
                    studentId:
                      childNamedIn(context.draft.text ?? "", context.guardian?.children ?? [])
                        ?.id ?? null,
                  }),
                }),
                { type: "say", params: ({ context }) => categoryQuestion(t(context)) },
              ],
            },
            {
              guard: "hasSeveralChildren",
              target: "pickingChild",
              actions: {
                type: "say",
                params: ({ context }) => ({
                  text: t(context).pickChild(),
                  options: (context.guardian?.children ?? []).map((child) => ({
                    id: `child:${child.id}`,
                    label: `${child.name} (${child.className})`,
                  })),
                }),
              },
            },
            {
              target: "pickingCategory",
              actions: [
                assign({
                  draft: ({ context }) => ({
                    ...context.draft,
                    studentId: context.guardian?.children[0]?.id ?? null,
                  }),
                }),
                { type: "say", params: ({ context }) => categoryQuestion(t(context)) },
              ],
            },
          ],
        },

        pickingChild: {
          tags: ["waiting"],
          on: {
            message: [
              {
                guard: ({ context, event }) => matchOption(textOf(event), context.offered) !== null,
                target: "pickingCategory",
                actions: [
                  assign({
                    draft: ({ context, event }) => ({
                      ...context.draft,
                      studentId: Number(
                        matchOption(textOf(event), context.offered)?.id.slice("child:".length),
                      ),
                    }),
                  }),
                  { type: "say", params: ({ context }) => categoryQuestion(t(context)) },
                ],
              },
              { actions: "sayNotUnderstood" },
            ],
          },
        },

        pickingCategory: {
          tags: ["waiting"],
          on: {
            message: [
              {
                guard: ({ context, event }) => matchOption(textOf(event), context.offered) !== null,
                target: "checkingLimits",
                actions: assign({
                  draft: ({ context, event }) => ({
                    ...context.draft,
                    category: matchOption(textOf(event), context.offered)?.id ?? null,
                  }),
                }),
              },
              { actions: "sayNotUnderstood" },
            ],
          },
        },

        /** Guardrails are checked before the text is asked for, never after it is written. */
        checkingLimits: {
          invoke: {
            src: "checkNewRequest",
            input: ({ context }) => ({
              guardianId: context.guardian?.guardianId ?? 0,
              schoolId: context.guardian?.schoolId ?? 0,
              category: context.draft.category ?? "other",
              urgent: context.draft.urgent,
              language: context.guardian?.language,
            }),
            onDone: [
              { guard: ({ event }) => event.output.allowed, target: "checkingDraft" },
              {
                target: "checkingDraft",
                actions: {
                  type: "say",
                  params: ({ context, event }) => ({
                    text: event.output.allowed
                      ? ""
                      : [
                          refusalText(t(context), event.output.refusal, officeOf(context)),
                          event.output.keepIn && !context.draft.text
                            ? t(context).willKeepIn({ reference: event.output.keepIn })
                            : "",
                        ]
                          .filter(Boolean)
                          .join(" "),
                  }),
                },
              },
            ],
            // The check only warns early; the ticket's own check still holds.
            onError: { target: "checkingDraft" },
          },
        },

        checkingDraft: {
          always: [
            { guard: "hasDraftText", target: "confirming" },
            {
              target: "writing",
              actions: {
                type: "say",
                params: ({ context }) => ({
                  text: t(context).writeMessage({
                    child: childName(context),
                    category: t(context).categoryLabel(context.draft.category ?? "other"),
                  }),
                }),
              },
            },
          ],
        },

        writing: {
          tags: ["waiting"],
          on: {
            message: {
              target: "confirming",
              actions: assign({
                draft: ({ context, event }) => ({
                  ...context.draft,
                  text: textOf(event) || t(context).attachmentOnly(),
                  media: [...context.draft.media, ...mediaOf(event)],
                }),
              }),
            },
          },
        },

        confirming: {
          tags: ["waiting"],
          entry: {
            type: "say",
            params: ({ context }) => ({
              text: t(context).confirmSummary({
                child: childName(context),
                category: t(context).categoryLabel(context.draft.category ?? "other"),
                text: context.draft.text ?? "",
              }),
              options: [
                { id: "send", label: t(context).confirmSend() },
                { id: "cancel", label: t(context).confirmCancel() },
              ],
            }),
          },
          on: {
            message: [
              {
                guard: ({ context, event }) =>
                  matchOption(textOf(event), context.offered)?.id === "send",
                target: "creatingTicket",
              },
              {
                guard: ({ context, event }) =>
                  matchOption(textOf(event), context.offered)?.id === "cancel",
                target: "menu",
                actions: [
                  "clearDraft",
                  { type: "say", params: ({ context }) => ({ text: t(context).cancelled() }) },
                ],
              },
              { actions: "sayNotUnderstood" },
            ],
          },
        },

        creatingTicket: {
          invoke: {
            src: "createTicket",
            input: ({ context }) => ({
              guardianId: context.guardian?.guardianId ?? 0,
              schoolId: context.guardian?.schoolId ?? 0,
              studentId: context.draft.studentId,
              category: context.draft.category ?? "other",
              text: context.draft.text ?? "",
              media: context.draft.media,
              urgent: context.draft.urgent,
              language: context.guardian?.language,
            }),
            onDone: {
              target: "menu",
              actions: [
                {
                  type: "say",
                  params: ({ context, event }) => ({
                    text:
                      event.output.status === "created"
                        ? (context.draft.urgent
                            ? t(context).urgentCreated
                            : t(context).ticketCreated)({
                            reference: event.output.reference,
                            assignee: event.output.assignee,
                          })
                        : [
                            refusalText(t(context), event.output.refusal, officeOf(context)),
                            event.output.keptIn
                              ? t(context).keptInRequest({ reference: event.output.keptIn })
                              : "",
                          ]
                            .filter(Boolean)
                            .join(" "),
                  }),
                },
                "clearDraft",
              ],
            },
            onError: { target: "menu", actions: ["clearDraft", saySorry] },
          },
        },
      },
    },
  },
});

function refusalText(c: ParentCatalog, refusal: TicketRefusal, officePhone: string): string {
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

function categoryQuestion(c: ParentCatalog) {
  return {
    text: c.pickCategory(),
    options: CATEGORIES.map((category) => ({ id: category, label: c.categoryLabel(category) })),
  };
}

export type ParentMachine = typeof parentMachine;
