// The parent conversation's named effects, actions and guards (XState setup): every step file
// builds its states from this, and the runtime provides the effects with .provide().
import { assign, emit, enqueueActions, fromPromise, setup } from "xstate";
import type { ParentContext } from "./context";
import { emptyDraft, languageWordIn, menuOptions, notProvided, officePhoneOf, t } from "./helpers";
import type {
  AnnouncementLine,
  Assignee,
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
} from "./parent.types";

export const parentSetup = setup({
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
    addToTicket: fromPromise<{ reference: string; assignee: Assignee }, FollowUp>(
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
    /** This address is already linked to a verified guardian. */
    rememberLinkedGuardian: assign((_, result: IdentifyResult) =>
      result.status === "linked" ? { guardian: result.guardian } : {},
    ),
    /** No phone on file was found: the office's phone, if the answer knows it, is what we offer. */
    rememberOfficePhone: assign(({ context }, result: IdentifyResult) => ({
      officePhone: officePhoneOf(result) ?? context.officePhone,
    })),
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
    /** The code went out: the prompts say where. */
    rememberMaskedPhone: assign((_, result: SendCodeResult) =>
      result.status === "sent" ? { maskedPhone: result.maskedPhone } : {},
    ),
    /** The code was right: who it verified, and no phone kept for codes any more. */
    rememberVerifiedGuardian: assign((_, result: CheckCodeResult) =>
      result.status === "verified" ? { guardian: result.guardian, phoneOnFile: null } : {},
    ),
    /** Restates where the code went and what to do, without sending another. */
    sayCodePrompt: enqueueActions(({ enqueue, context }) => {
      const text = t(context).codeExpected({ maskedPhone: context.maskedPhone ?? "" });
      enqueue(emit({ type: "say", text }));
    }),
    rememberLanguageWord: assign({
      language: ({ context, event }) => languageWordIn(event) ?? context.language,
    }),
    /** Says one text (from the catalog) and remembers the options it offered. */
    say: enqueueActions(
      ({ enqueue }, params: { text: string; options?: Option[]; quoted?: string[] }) => {
        // An empty text says nothing, so a transition can speak only under a condition.
        if (!params.text) return;
        enqueue.assign({ offered: params.options ?? [] });
        const quoted = params.quoted?.filter((words) => words !== "");
        enqueue(
          emit({
            type: "say",
            text: params.text,
            ...(params.options ? { options: params.options } : {}),
            ...(quoted?.length ? { quoted } : {}),
          }),
        );
      },
    ),
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
});
