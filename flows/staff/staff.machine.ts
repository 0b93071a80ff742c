// The staff conversation: verify the member by one-time code, then the staff menu and commands —
// /announce (guided, or one line) → preview with the reach → confirm; /announcements; /stats <id>.
// Pure: every effect is a named actor the runtime provides; replies leave as "say" events. Reaching
// the final state hands the address over to the parent conversation (the runtime switches).
import {
  assign,
  type DoneActorEvent,
  emit,
  enqueueActions,
  fromPromise,
  setup,
  stateIn,
} from "xstate";
import { matchOption } from "../parent/options";
import { codeVerificationStates } from "../verification/code-verification";
import { identificationStates } from "../verification/identification";
import { type StaffCatalog, en as t } from "./catalog";
import { attachmentFrom, isSkip } from "./events";
import type {
  AnnouncementDraftInput,
  AttachmentLink,
  Audience,
  CheckCodeResult,
  CreateResult,
  ListResult,
  Option,
  PreviewResult,
  ReadCommandResult,
  ReadScheduleResult,
  Refusal,
  SayEvent,
  SendCodeResult,
  StaffEvent,
  StaffIdentifyResult,
  StaffInput,
  StatsResult,
  TicketCommand,
  TicketCommandResult,
  TicketRequest,
  VerifiedStaff,
} from "./staff.types";

/** Persisted with every snapshot; a change that leaves stored snapshots unreadable (a state renamed
 * or removed, a context field they lack made required) bumps the version. Added states do not. */
export const STAFF_MACHINE = { name: "staff", version: 1 } as const;

/** How many announcements /announcements lists. */
export const RECENT_ANNOUNCEMENTS = 5;

type Pending = "announce" | "announcements" | "stats" | null;

/** A ticket request as typed, before the member (and so the staff id) is known. */
type PendingTicket = TicketCommand | { action: "list" };

export interface StaffContext extends StaffInput {
  staff: VerifiedStaff | null;
  /** The staff phone on file that codes go to. */
  phoneOnFile: string | null;
  /** A command that opened the conversation, carried out once the member is verified. */
  pending: Pending;
  /** The text of the last /announce command, read by readingCommand. */
  commandText: string;
  /** The id typed after /stats. */
  statsId: string;
  /**
   * A ticket command that opened the conversation (a reply to an alert from a chat that was in the
   * parent conversation), carried out once the member is identified. Optional: older snapshots
   * have none.
   */
  pendingTicket?: PendingTicket | null;
  /** What the audience question is waiting for after a button: the prefix the answer gets. */
  audienceHint: "" | "grade " | "students ";
  offered: Option[];
  draft: {
    audience: Audience | null;
    text: string | null;
    /**
     * Optional in the type: snapshots saved before attachments existed have none, and restore as
     * a draft without one (so adding it needed no version bump).
     */
    attachment?: AttachmentLink | null;
    urgent: boolean;
    scheduledAt: number | null;
    scheduleLabel: string | null;
  };
}

const notProvided = (name: string) => async (): Promise<never> => {
  throw new Error(`actor ${name} was not provided by the runtime`);
};

const emptyDraft: StaffContext["draft"] = {
  audience: null,
  text: null,
  attachment: null,
  urgent: false,
  scheduledAt: null,
  scheduleLabel: null,
};

const textOf = (event: StaffEvent) => (event.type === "message" ? event.text.trim() : "");

const menuOptions = (c: StaffCatalog, staff: VerifiedStaff | null): Option[] => [
  { id: "announce", label: c.menuAnnounce() },
  { id: "recent", label: c.menuRecent() },
  { id: "stats", label: c.menuStats() },
  { id: "help", label: c.menuHelp() },
  ...(staff?.alsoGuardian ? [{ id: "parent", label: c.menuParent() }] : []),
];

const audienceOptions = (c: StaffCatalog): Option[] => [
  { id: "audience:school", label: c.audienceSchool() },
  { id: "audience:grade", label: c.audienceGrade() },
  { id: "audience:class", label: c.audienceClass() },
  { id: "audience:classes", label: c.audienceClasses() },
  { id: "audience:students", label: c.audienceStudents() },
];

const confirmOptions = (c: StaffCatalog, draft: StaffContext["draft"]): Option[] => [
  { id: "send", label: c.confirmSend() },
  ...(draft.urgent ? [] : [{ id: "urgent", label: c.confirmUrgent() }]),
  ...(draft.scheduledAt === null ? [{ id: "schedule", label: c.confirmSchedule() }] : []),
  { id: "cancel", label: c.confirmCancel() },
];

/** A guard: the member chose the offered option with this id (by number, id or label). */
const chose =
  (id: string) =>
  ({ context, event }: { context: StaffContext; event: StaffEvent }) =>
    matchOption(textOf(event), context.offered)?.id === id;

/** At the menu the menu's options always count, whatever was said since. */
const choseFromMenu =
  (id: string) =>
  ({ context, event }: { context: StaffContext; event: StaffEvent }) =>
    matchOption(textOf(event), menuOptions(t, context.staff))?.id === id;

const refusalText = (context: StaffContext, refusal: Refusal): string => {
  switch (refusal.reason) {
    case "not_allowed":
      return t.notAllowed({
        role: context.staff?.role ?? "",
        classes: context.staff?.classes ?? [],
      });
    case "not_found":
      return t.notFound({ message: refusal.message });
    case "inactive":
      return t.inactive();
    case "invalid":
      return t.invalid({ message: refusal.message });
  }
};

/** What the staff member is told after a ticket command. */
function ticketResultText(context: StaffContext, result: TicketCommandResult): string {
  switch (result.status) {
    case "replied":
      return t.ticketReplied(result);
    case "noted":
      return t.ticketNoted(result);
    case "resolved":
      return t.ticketResolved(result);
    case "taken":
      return t.ticketTaken(result);
    case "listed":
      return t.ticketList(result);
    case "not_visible":
      return t.ticketNotVisible(result);
    case "not_now":
      return t.ticketNotNow(result);
    case "usage":
      return t.ticketUsage(result);
    case "no_alert":
      return "";
    case "refused":
      return refusalText(context, result);
  }
}

const saySorry = { type: "say", params: () => ({ text: t.somethingWentWrong() }) } as const;

/**
 * The staff commands typed before the member is verified: each is kept (rememberCommand) and
 * carried out once they are, moving on to `target` if given.
 */
const keepCommands = <Target extends string>(target?: Target) => {
  const keep = { ...(target ? { target } : {}), actions: "rememberCommand" as const };
  return { "command.announce": keep, "command.announcements": keep, "command.stats": keep };
};

const staffIdOf = (context: StaffContext) => context.staff?.staffId ?? 0;

export const staffMachine = setup({
  types: {
    context: {} as StaffContext,
    events: {} as StaffEvent,
    input: {} as StaffInput,
    emitted: {} as SayEvent,
  },
  actors: {
    identifyStaff: fromPromise<
      StaffIdentifyResult,
      { channel: string; address: string; sharedPhone?: string }
    >(notProvided("identifyStaff")),
    findStaffPhone: fromPromise<StaffIdentifyResult, { text: string }>(
      notProvided("findStaffPhone"),
    ),
    sendStaffCode: fromPromise<SendCodeResult, { phone: string }>(notProvided("sendStaffCode")),
    checkStaffCode: fromPromise<CheckCodeResult, { phone: string; code: string }>(
      notProvided("checkStaffCode"),
    ),
    readAnnounceCommand: fromPromise<ReadCommandResult, { text: string; timezone: string }>(
      notProvided("readAnnounceCommand"),
    ),
    readAudience: fromPromise<Audience | null, { text: string }>(notProvided("readAudience")),
    readScheduleTime: fromPromise<ReadScheduleResult, { text: string; timezone: string }>(
      notProvided("readScheduleTime"),
    ),
    previewAnnouncement: fromPromise<PreviewResult, { staffId: number; audience: Audience }>(
      notProvided("previewAnnouncement"),
    ),
    createAnnouncement: fromPromise<CreateResult, AnnouncementDraftInput>(
      notProvided("createAnnouncement"),
    ),
    listAnnouncements: fromPromise<ListResult, { staffId: number; limit: number }>(
      notProvided("listAnnouncements"),
    ),
    getAnnouncementStats: fromPromise<StatsResult, { staffId: number; id: number }>(
      notProvided("getAnnouncementStats"),
    ),
    ticketCommand: fromPromise<TicketCommandResult, TicketRequest>(notProvided("ticketCommand")),
  },
  actions: {
    /** This address is already linked to a verified member. */
    rememberLinkedStaff: assign((_, result: StaffIdentifyResult) =>
      result.status === "linked" ? { staff: result.staff } : {},
    ),
    /** The staff phone on file that the code goes to. */
    rememberStaffPhone: assign((_, result: StaffIdentifyResult) => ({
      phoneOnFile: result.status === "on_file" ? result.phone : null,
    })),
    /** The code was right: who it verified, and no phone kept for codes any more. */
    rememberVerifiedStaff: assign((_, result: CheckCodeResult) =>
      result.status === "verified" ? { staff: result.staff, phoneOnFile: null } : {},
    ),
    /** Says one text and remembers the options it offered; an empty text says nothing. */
    say: enqueueActions(
      ({ enqueue }, params: { text: string; options?: Option[]; quoted?: string[] }) => {
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
    sayMenu: enqueueActions(({ enqueue, context }) => {
      const options = menuOptions(t, context.staff);
      enqueue.assign({ offered: options });
      enqueue(emit({ type: "say", text: t.menuPrompt(), options }));
    }),
    sayNotUnderstood: enqueueActions(({ enqueue, context }) => {
      enqueue(emit({ type: "say", text: t.notUnderstood(), options: context.offered }));
    }),
    askAudience: enqueueActions(({ enqueue }) => {
      const options = audienceOptions(t);
      enqueue.assign({ offered: options, audienceHint: "" });
      enqueue(emit({ type: "say", text: t.audiencePrompt(), options }));
    }),
    clearDraft: assign({ draft: () => ({ ...emptyDraft }) }),
    forgetTicketCommand: assign({ pendingTicket: () => null }),
    /** A ticket command that opened the conversation, kept until the member is known. */
    rememberTicketCommand: assign({
      pendingTicket: ({ event }): PendingTicket | null =>
        event.type === "command.ticket"
          ? { action: event.action, reference: event.reference, text: event.text }
          : event.type === "command.tickets"
            ? { action: "list" }
            : null,
    }),
    /** What a command that opened the conversation asks for, kept until the member is verified. */
    rememberCommand: assign(({ event }) => {
      switch (event.type) {
        case "command.announce":
          return { pending: "announce" as Pending, commandText: event.text };
        case "command.announcements":
          return { pending: "announcements" as Pending };
        case "command.stats":
          return { pending: "stats" as Pending, statsId: event.id };
        default:
          return {};
      }
    }),
  },
  guards: {
    isVerified: ({ context }) => context.staff !== null,
  },
}).createMachine({
  id: STAFF_MACHINE.name,
  context: ({ input }) => ({
    ...input,
    staff: null,
    phoneOnFile: null,
    pending: null,
    commandText: "",
    statsId: "",
    audienceHint: "",
    offered: [],
    draft: { ...emptyDraft },
  }),
  on: {
    // After a long silence, an announcement half written is dropped (it was never sent).
    // Nothing half-finished at the menu: carry on as if no time had passed.
    idle: [
      { guard: stateIn({ verified: "menu" }) },
      { guard: stateIn("new") },
      {
        guard: "isVerified",
        target: ".verified.menu",
        actions: [
          {
            type: "say",
            params: ({ context }) => ({
              text: context.draft.audience || context.draft.text ? t.idleReset() : "",
            }),
          },
          "clearDraft",
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
        message: "identifying",
        "command.menu": "identifying",
        "command.help": "identifying",
        "command.parent": "identifying",
        "command.ticket": { target: "identifying", actions: "rememberTicketCommand" },
        "command.tickets": { target: "identifying", actions: "rememberTicketCommand" },
        ...keepCommands("identifying"),
      },
    },

    ...identificationStates({
      actors: { identify: "identifyStaff", findPhone: "findStaffPhone" },
      textOf,
      linked: {
        target: "verified.resuming",
        remember: {
          type: "rememberLinkedStaff",
          params: ({ event }: { event: DoneActorEvent<StaffIdentifyResult> }) => event.output,
        },
        greeting: (context: StaffContext) =>
          t.greeting({
            name: context.staff?.displayName ?? "",
            school: context.staff?.schoolName ?? "",
          }),
      },
      rememberPhoneOnFile: {
        type: "rememberStaffPhone",
        params: ({ event }: { event: DoneActorEvent<StaffIdentifyResult> }) => event.output,
      },
      // A phone that is no staff member's goes over to the parent conversation.
      unknownPhone: { target: "handedOver", say: () => t.notStaff() },
      texts: {
        askPhone: () => ({
          text: t.askPhone(),
          options: [{ id: "share_phone", label: t.sharePhone(), request: "phone" as const }],
        }),
        notOnFile: () => t.notStaffPhone(),
        sorry: () => t.somethingWentWrong(),
      },
      askingOn: {
        "command.menu": "handedOver",
        "command.parent": "handedOver",
        "command.help": { actions: { type: "say", params: () => ({ text: t.askPhone() }) } },
        ...keepCommands(),
      },
    }),

    ...codeVerificationStates({
      actors: { send: "sendStaffCode", check: "checkStaffCode" },
      sendInput: (context: StaffContext) => ({ phone: context.phoneOnFile ?? "" }),
      checkInput: (context: StaffContext, code: string) => ({
        phone: context.phoneOnFile ?? "",
        code,
      }),
      textOf,
      // Any reply is a try: staff are told the code's shape in the message that carries it.
      isTry: () => true,
      verifiedTarget: "verified.resuming",
      rememberVerified: {
        type: "rememberVerifiedStaff",
        params: ({ event }: { event: DoneActorEvent<CheckCodeResult> }) => event.output,
      },
      texts: {
        codeSent: (_, maskedPhone) => t.codeSent({ maskedPhone }),
        codeRateLimited: (_, retryAt) => t.codeRateLimited({ retryAt }),
        verified: (context) => t.verified({ name: context.staff?.displayName ?? "" }),
        codeWrong: (_, triesLeft) => t.codeWrong({ triesLeft }),
        codeDead: () => t.codeDead(),
        sorry: () => t.somethingWentWrong(),
      },
      awaitingOn: {
        "command.menu": "handedOver",
        "command.parent": "handedOver",
        // A command typed while the code is awaited is kept for after it.
        ...keepCommands(),
      },
    }),

    /** Over to the parent conversation: the runtime switches machines for this address. */
    handedOver: { type: "final" },

    verified: {
      on: {
        "command.menu": {
          target: ".menu",
          actions: [
            {
              type: "say",
              params: ({ context, event }) => ({
                text:
                  event.cancel && (context.draft.audience || context.draft.text)
                    ? t.cancelled()
                    : "",
              }),
            },
            "clearDraft",
            "sayMenu",
          ],
        },
        "command.help": {
          target: ".menu",
          actions: ["clearDraft", { type: "say", params: () => ({ text: t.help() }) }],
        },
        "command.parent": [
          { guard: ({ context }) => context.staff?.alsoGuardian === true, target: "handedOver" },
          {
            target: ".menu",
            actions: { type: "say", params: () => ({ text: t.noParentRecord() }) },
          },
        ],
        "command.announce": {
          target: ".readingCommand",
          actions: ["clearDraft", assign({ commandText: ({ event }) => event.text })],
        },
        "command.announcements": { target: ".listing", actions: "clearDraft" },
        "command.ticket": { target: ".ticketing", actions: "clearDraft" },
        "command.tickets": { target: ".ticketing", actions: "clearDraft" },
        "command.stats": {
          target: ".choosingStats",
          actions: ["clearDraft", assign({ statsId: ({ event }) => event.id })],
        },
      },
      initial: "menu",
      states: {
        /** Just verified: carry out the command that opened the conversation, or show the menu. */
        resuming: {
          always: [
            { guard: ({ context }) => !!context.pendingTicket, target: "ticketing" },
            {
              guard: ({ context }) => context.pending === "announce",
              target: "readingCommand",
              actions: assign({ pending: null }),
            },
            {
              guard: ({ context }) => context.pending === "announcements",
              target: "listing",
              actions: assign({ pending: null }),
            },
            {
              guard: ({ context }) => context.pending === "stats",
              target: "choosingStats",
              actions: assign({ pending: null }),
            },
            { target: "menu", actions: "sayMenu" },
          ],
        },

        /** Waits quietly: the menu is said when asked for, and its options always answer. */
        menu: {
          tags: ["waiting"],
          on: {
            message: [
              {
                guard: choseFromMenu("announce"),
                target: "askingAudience",
                actions: "askAudience",
              },
              { guard: choseFromMenu("recent"), target: "listing" },
              {
                guard: choseFromMenu("stats"),
                target: "askingStatsId",
                actions: { type: "say", params: () => ({ text: t.askStatsId() }) },
              },
              {
                guard: choseFromMenu("help"),
                actions: { type: "say", params: () => ({ text: t.help() }) },
              },
              {
                guard: ({ context, event }) =>
                  context.staff?.alsoGuardian === true &&
                  choseFromMenu("parent")({ context, event }),
                target: "#staff.handedOver",
              },
              {
                guard: ({ event }) => textOf(event).startsWith("/"),
                actions: { type: "say", params: () => ({ text: t.unknownCommand() }) },
              },
              // Anything else may answer the ticket alerted just before it (else: the menu).
              { guard: ({ event }) => textOf(event) !== "", target: "ticketing" },
              { actions: "sayMenu" },
            ],
          },
        },

        /** A ticket command, /tickets, or a plain text that may answer the last alert. */
        ticketing: {
          invoke: {
            src: "ticketCommand",
            input: ({ context, event }): TicketRequest => {
              const staffId = staffIdOf(context);
              if (event.type === "command.ticket") {
                const { action, reference, text } = event;
                return { staffId, action, reference, text };
              }
              if (event.type === "command.tickets") return { staffId, action: "list" };
              if (context.pendingTicket) return { staffId, ...context.pendingTicket };
              return { staffId, action: "answer-last-alert", text: textOf(event) };
            },
            onDone: [
              {
                guard: ({ event }) => event.output.status === "no_alert",
                target: "menu",
                actions: ["forgetTicketCommand", "sayMenu"],
              },
              {
                target: "menu",
                actions: [
                  "forgetTicketCommand",
                  {
                    type: "say",
                    params: ({ context, event }) => ({
                      text: ticketResultText(context, event.output),
                    }),
                  },
                ],
              },
            ],
            onError: { target: "menu", actions: ["forgetTicketCommand", saySorry] },
          },
        },

        readingCommand: {
          invoke: {
            src: "readAnnounceCommand",
            input: ({ context }) => ({
              text: context.commandText,
              timezone: context.staff?.timezone ?? "UTC",
            }),
            onDone: [
              {
                guard: ({ event }) => event.output.ok && event.output.form === "guided",
                target: "askingAudience",
                actions: "askAudience",
              },
              {
                guard: ({ event }) => event.output.ok,
                target: "previewing",
                actions: assign({
                  draft: ({ context, event }) =>
                    event.output.ok && event.output.form === "one-line"
                      ? {
                          audience: event.output.audience,
                          text: event.output.text,
                          urgent: event.output.urgent,
                          scheduledAt: event.output.schedule?.at ?? null,
                          scheduleLabel: event.output.schedule?.label ?? null,
                        }
                      : context.draft,
                }),
              },
              {
                target: "menu",
                actions: {
                  type: "say",
                  params: ({ event }) => ({
                    text: event.output.ok ? "" : event.output.error.message,
                  }),
                },
              },
            ],
            onError: { target: "menu", actions: saySorry },
          },
        },

        askingAudience: {
          tags: ["waiting"],
          on: {
            message: [
              {
                guard: chose("audience:school"),
                target: "askingText",
                actions: [
                  assign({
                    draft: ({ context }) => ({
                      ...context.draft,
                      audience: { kind: "school" as const },
                    }),
                  }),
                  { type: "say", params: () => ({ text: t.askText() }) },
                ],
              },
              {
                guard: chose("audience:grade"),
                target: "askingAudienceDetail",
                actions: [
                  { type: "say", params: () => ({ text: t.askGrade() }) },
                  assign({ audienceHint: "grade " as const }),
                ],
              },
              {
                guard: chose("audience:class"),
                target: "askingAudienceDetail",
                actions: { type: "say", params: () => ({ text: t.askClass() }) },
              },
              {
                guard: chose("audience:classes"),
                target: "askingAudienceDetail",
                actions: { type: "say", params: () => ({ text: t.askClasses() }) },
              },
              {
                guard: chose("audience:students"),
                target: "askingAudienceDetail",
                actions: [
                  { type: "say", params: () => ({ text: t.askAdmissionNumbers() }) },
                  assign({ audienceHint: "students " as const }),
                ],
              },
              // Typed straight away: "5A", "grade 5", "school".
              { target: "readingAudience" },
            ],
          },
        },

        askingAudienceDetail: {
          tags: ["waiting"],
          on: { message: "readingAudience" },
        },

        readingAudience: {
          invoke: {
            src: "readAudience",
            input: ({ context, event }) => ({ text: `${context.audienceHint}${textOf(event)}` }),
            onDone: [
              {
                guard: ({ event }) => event.output === null,
                target: "askingAudience",
                actions: [
                  {
                    type: "say",
                    params: () => ({
                      text: t.audienceNotUnderstood(),
                      options: audienceOptions(t),
                    }),
                  },
                  assign({ audienceHint: "" as const }),
                ],
              },
              {
                target: "askingText",
                actions: [
                  assign({
                    draft: ({ context, event }) => ({ ...context.draft, audience: event.output }),
                  }),
                  { type: "say", params: () => ({ text: t.askText() }) },
                ],
              },
            ],
            onError: { target: "menu", actions: ["clearDraft", saySorry] },
          },
        },

        askingText: {
          tags: ["waiting"],
          on: {
            message: [
              {
                guard: ({ event }) => textOf(event) === "",
                actions: { type: "say", params: () => ({ text: t.emptyText() }) },
              },
              {
                target: "askingAttachment",
                actions: [
                  assign({
                    draft: ({ context, event }) => ({ ...context.draft, text: textOf(event) }),
                  }),
                  { type: "say", params: () => ({ text: t.askAttachment() }) },
                ],
              },
            ],
          },
        },

        /** Guided only (one-line forms stay text-only): a link, a file the message carried, or skip. */
        askingAttachment: {
          tags: ["waiting"],
          on: {
            message: [
              {
                guard: ({ event }) => event.type === "message" && attachmentFrom(event) !== null,
                target: "previewing",
                actions: assign({
                  draft: ({ context, event }) => ({
                    ...context.draft,
                    attachment: event.type === "message" ? attachmentFrom(event) : null,
                  }),
                }),
              },
              {
                guard: ({ event }) => isSkip(textOf(event)),
                target: "previewing",
                actions: assign({
                  draft: ({ context }) => ({ ...context.draft, attachment: null }),
                }),
              },
              {
                actions: { type: "say", params: () => ({ text: t.attachmentNotUnderstood() }) },
              },
            ],
          },
        },

        previewing: {
          invoke: {
            src: "previewAnnouncement",
            input: ({ context }) => ({
              staffId: staffIdOf(context),
              audience: context.draft.audience ?? { kind: "school" },
            }),
            onDone: [
              {
                guard: ({ event }) => event.output.status === "ready",
                target: "confirming",
                actions: {
                  type: "say",
                  params: ({ context, event }) => ({
                    text:
                      event.output.status === "ready"
                        ? t.preview({
                            ...event.output,
                            audience: context.draft.audience ?? { kind: "school" },
                            text: context.draft.text ?? "",
                            attachment: context.draft.attachment?.url ?? null,
                            urgent: context.draft.urgent,
                            schedule: context.draft.scheduleLabel,
                          })
                        : "",
                    options: confirmOptions(t, context.draft),
                    // The member's announcement is quoted as they wrote it.
                    quoted: [context.draft.text ?? ""],
                  }),
                },
              },
              {
                target: "menu",
                actions: [
                  {
                    type: "say",
                    params: ({ context, event }) => ({
                      text:
                        event.output.status === "refused" ? refusalText(context, event.output) : "",
                    }),
                  },
                  "clearDraft",
                ],
              },
            ],
            onError: { target: "menu", actions: ["clearDraft", saySorry] },
          },
        },

        confirming: {
          tags: ["waiting"],
          on: {
            message: [
              { guard: chose("send"), target: "creating" },
              {
                guard: chose("urgent"),
                target: "creating",
                actions: assign({ draft: ({ context }) => ({ ...context.draft, urgent: true }) }),
              },
              {
                guard: chose("schedule"),
                target: "askingSchedule",
                actions: { type: "say", params: () => ({ text: t.askSchedule() }) },
              },
              {
                guard: chose("cancel"),
                target: "menu",
                actions: ["clearDraft", { type: "say", params: () => ({ text: t.cancelled() }) }],
              },
              { actions: "sayNotUnderstood" },
            ],
          },
        },

        askingSchedule: {
          tags: ["waiting"],
          on: { message: "readingSchedule" },
        },

        readingSchedule: {
          invoke: {
            src: "readScheduleTime",
            input: ({ context, event }) => ({
              text: textOf(event),
              timezone: context.staff?.timezone ?? "UTC",
            }),
            onDone: [
              {
                guard: ({ event }) => event.output.ok,
                target: "creating",
                actions: assign({
                  draft: ({ context, event }) =>
                    event.output.ok
                      ? {
                          ...context.draft,
                          scheduledAt: event.output.schedule.at,
                          scheduleLabel: event.output.schedule.label,
                        }
                      : context.draft,
                }),
              },
              {
                target: "askingSchedule",
                actions: {
                  type: "say",
                  params: ({ event }) => ({
                    text: event.output.ok ? "" : event.output.error.message,
                  }),
                },
              },
            ],
            onError: { target: "menu", actions: ["clearDraft", saySorry] },
          },
        },

        creating: {
          invoke: {
            src: "createAnnouncement",
            input: ({ context }) => ({
              staffId: staffIdOf(context),
              audience: context.draft.audience ?? { kind: "school" },
              text: context.draft.text ?? "",
              attachment: context.draft.attachment ?? null,
              urgent: context.draft.urgent,
              scheduledAt: context.draft.scheduledAt,
            }),
            onDone: {
              target: "menu",
              actions: [
                {
                  type: "say",
                  params: ({ context, event }) => ({
                    text:
                      event.output.status === "created"
                        ? t.created({
                            id: event.output.id,
                            state: event.output.state,
                            schedule: context.draft.scheduleLabel,
                          })
                        : refusalText(context, event.output),
                  }),
                },
                "clearDraft",
              ],
            },
            onError: { target: "menu", actions: ["clearDraft", saySorry] },
          },
        },

        listing: {
          invoke: {
            src: "listAnnouncements",
            input: ({ context }) => ({ staffId: staffIdOf(context), limit: RECENT_ANNOUNCEMENTS }),
            onDone: {
              target: "menu",
              actions: {
                type: "say",
                params: ({ context, event }) => ({
                  text:
                    event.output.status === "refused"
                      ? refusalText(context, event.output)
                      : event.output.items.length === 0
                        ? t.noAnnouncements()
                        : t.announcementList({ lines: event.output.items.map(t.announcementLine) }),
                }),
              },
            },
            onError: { target: "menu", actions: saySorry },
          },
        },

        /** "/stats" with or without an id. */
        choosingStats: {
          always: [
            { guard: ({ context }) => /^\d+$/.test(context.statsId), target: "gettingStats" },
            {
              target: "askingStatsId",
              actions: { type: "say", params: () => ({ text: t.askStatsId() }) },
            },
          ],
        },

        askingStatsId: {
          tags: ["waiting"],
          on: {
            message: {
              target: "choosingStats",
              actions: assign({ statsId: ({ event }) => textOf(event).replace(/^#/, "") }),
            },
          },
        },

        gettingStats: {
          invoke: {
            src: "getAnnouncementStats",
            input: ({ context }) => ({ staffId: staffIdOf(context), id: Number(context.statsId) }),
            onDone: {
              target: "menu",
              actions: {
                type: "say",
                params: ({ context, event }) => ({
                  text:
                    event.output.status === "found"
                      ? t.stats(event.output)
                      : refusalText(context, event.output),
                  quoted: event.output.status === "found" ? [event.output.text] : [],
                }),
              },
            },
            onError: { target: "menu", actions: saySorry },
          },
        },
      },
    },
  },
});

export type StaffMachine = typeof staffMachine;
