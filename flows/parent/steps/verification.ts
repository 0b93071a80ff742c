// Verifying a parent by one-time code: who is writing, the code, HELP before it.
import { assign, type DoneActorEvent } from "xstate";
import { codeVerificationStates } from "../../verification/code-verification";
import { identificationStates } from "../../verification/identification";
import type { ParentContext } from "../context";
import { languageWordIn, looksLikeCode, saySorry, t, textOf } from "../helpers";
import { parentSetup } from "../parent.setup";
import type { CheckCodeResult, IdentifyResult, ParentEvent, SendCodeResult } from "../parent.types";

type IdentifiedIn = { context: ParentContext; event: DoneActorEvent<IdentifyResult> };

const rememberPhoneOnFile = {
  type: "rememberPhoneOnFile",
  params: ({ event }: IdentifiedIn) => event.output,
} as const;

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
  ...identificationStates({
    actors: { identify: "identify", findPhone: "findPhoneOnFile" },
    textOf,
    linked: {
      target: "verified.menu",
      remember: {
        type: "rememberLinkedGuardian",
        params: ({ event }: IdentifiedIn) => event.output,
      },
      greeting: (context: ParentContext) =>
        t(context).greeting({
          name: context.guardian?.firstName ?? "",
          school: context.guardian?.schoolName ?? "",
        }),
    },
    rememberPhoneOnFile,
    beforeOnFile: [
      {
        // HELP from a number on file: the school's name and office phone, and no code yet.
        guard: ({ context, event }: IdentifiedIn) =>
          event.output.status === "on_file" && context.helpAsked === true,
        target: "heardHelp",
        actions: rememberPhoneOnFile,
      },
    ],
    // A parent not on file is told the office's phone, so it is kept from whatever answered.
    onNotFound: {
      type: "rememberOfficePhone",
      params: ({ event }: IdentifiedIn) => event.output,
    },
    unknownPhone: {
      target: "askingPhone",
      say: (context: ParentContext) =>
        t(context).notRegistered({ officePhone: context.officePhone }),
    },
    texts: {
      askPhone: (context) => ({
        text: t(context).askPhone(),
        options: [{ id: "share_phone", label: t(context).sharePhone(), request: "phone" as const }],
      }),
      notOnFile: (context) => t(context).notRegistered({ officePhone: context.officePhone }),
      sorry: (context) => saySorry.params({ context }).text,
    },
    askingOn: {
      "command.menu": "identifying",
      "command.settings": "identifying",
      "command.unsubscribe": "identifying",
      "command.help": "identifying",
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
