// Verifying a parent by one-time code: who is writing, the code, HELP before it.
import { assign, type DoneActorEvent } from "xstate";
import { codeVerificationStates } from "../../verification/code-verification";
import type { ParentContext } from "../context";
import { languageWordIn, looksLikeCode, officePhoneOf, saySorry, t, textOf } from "../helpers";
import { parentSetup } from "../parent.setup";
import type { CheckCodeResult, ParentEvent, SendCodeResult } from "../parent.types";

export const verificationStates = {
  /** A conversation that has not heard anything yet. */
  new: parentSetup.createStateConfig({
    tags: ["waiting"],
    on: {
      message: { target: "identifying", actions: "rememberLanguageWord" },
      "command.menu": "identifying",
      "command.settings": "identifying",
      "command.unsubscribe": "identifying",
      "command.help": { target: "identifying", actions: assign({ helpAsked: true }) },
    },
  }),
  identifying: parentSetup.createStateConfig({
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
  }),
  /** A number on file asked for HELP first: its next message starts verification. */
  heardHelp: parentSetup.createStateConfig({
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
  }),
  /** The address is not on file: ask for the number the school has. */
  askingPhone: parentSetup.createStateConfig({
    tags: ["waiting"],
    on: {
      message: "findingPhone",
      "command.menu": "identifying",
      "command.settings": "identifying",
      "command.unsubscribe": "identifying",
      "command.help": "identifying",
    },
  }),
  findingPhone: parentSetup.createStateConfig({
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
  }),
  ...codeVerificationStates({
    actors: { send: "sendCode", check: "checkCode" },
    sendInput: (context: ParentContext) => ({
      phone: context.phoneOnFile ?? "",
      ...(context.language ? { language: context.language } : {}),
    }),
    checkInput: (context: ParentContext, code: string) => ({
      phone: context.phoneOnFile ?? "",
      code,
      ...(context.language ? { language: context.language } : {}),
    }),
    textOf,
    // Only something shaped like a code is a try: a word is answered with the prompt.
    isTry: (text: string) => looksLikeCode({ type: "message", text }),
    verifiedTarget: "verified.menu",
    rememberVerified: {
      type: "rememberVerifiedGuardian",
      params: ({ event }: { event: DoneActorEvent<CheckCodeResult> }) => event.output,
    },
    onSent: [
      {
        type: "rememberMaskedPhone",
        params: ({ event }: { event: DoneActorEvent<SendCodeResult> }) => event.output,
      },
    ],
    texts: {
      codeSent: (context, maskedPhone) => t(context).codeSent({ maskedPhone }),
      codeRateLimited: (context, retryAt) =>
        t(context).codeRateLimited({ officePhone: context.officePhone ?? "", retryAt }),
      verified: (context) => t(context).verified({ name: context.guardian?.firstName ?? "" }),
      codeWrong: (context, triesLeft) => t(context).codeWrong({ triesLeft }),
      codeDead: (context) => t(context).codeDead(),
      sorry: (context) => saySorry.params({ context }).text,
    },
    // "español" or "hola" here switches the language and says it again; no code is sent.
    beforeTry: [
      {
        guard: ({ event }: { event: ParentEvent }) => languageWordIn(event) !== undefined,
        actions: ["rememberLanguageWord", "sayCodePrompt"],
      },
    ],
    notATry: ["sayCodePrompt"],
    // Commands here send no code: they say where the code went and what to do.
    awaitingOn: {
      "command.menu": { actions: "sayCodePrompt" },
      "command.settings": { actions: "sayCodePrompt" },
      "command.unsubscribe": { actions: "sayCodePrompt" },
      "command.help": {
        actions: [
          {
            type: "say",
            params: ({ context }: { context: ParentContext }) => ({
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
  }),
};
