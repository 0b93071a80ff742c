// A new request: which child, what about, the message, confirm, the ticket.
import { assign } from "xstate";
import {
  categoryQuestion,
  childName,
  mediaOf,
  officeOf,
  refusalText,
  saySorry,
  t,
  textOf,
} from "../helpers";
import { childNamedIn, matchOption } from "../options";
import { parentSetup } from "../parent.setup";

export const newRequestStates = {
  startingRequest: parentSetup.createStateConfig({
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
                childNamedIn(context.draft.text ?? "", context.guardian?.children ?? [])?.id ??
                null,
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
  }),
  pickingChild: parentSetup.createStateConfig({
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
  }),
  pickingCategory: parentSetup.createStateConfig({
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
  }),
  /** Guardrails are checked before the text is asked for, never after it is written. */
  checkingLimits: parentSetup.createStateConfig({
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
  }),
  checkingDraft: parentSetup.createStateConfig({
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
  }),
  writing: parentSetup.createStateConfig({
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
  }),
  confirming: parentSetup.createStateConfig({
    tags: ["waiting"],
    entry: {
      type: "say",
      params: ({ context }) => ({
        text: t(context).confirmSummary({
          child: childName(context),
          category: t(context).categoryLabel(context.draft.category ?? "other"),
          text: context.draft.text ?? "",
        }),
        // The parent's message is quoted as they wrote it.
        quoted: [context.draft.text ?? ""],
        options: [
          { id: "send", label: t(context).confirmSend() },
          { id: "cancel", label: t(context).confirmCancel() },
        ],
      }),
    },
    on: {
      message: [
        {
          guard: ({ context, event }) => matchOption(textOf(event), context.offered)?.id === "send",
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
  }),
  creatingTicket: parentSetup.createStateConfig({
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
                  ? (context.draft.urgent ? t(context).urgentCreated : t(context).ticketCreated)({
                      reference: event.output.reference,
                      assignee: t(context).assignee(event.output.assignee),
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
  }),
};
