// Choosing the language the parent is written to in.
import { assign } from "xstate";
import { chosenId, choseOptionStartingWith, saySorry, t } from "../helpers";
import { parentSetup } from "../parent.setup";

export const languageStates = {
  choosingLanguage: parentSetup.createStateConfig({
    tags: ["waiting"],
    on: {
      message: [
        { guard: choseOptionStartingWith("lang:"), target: "settingLanguage" },
        { actions: "sayNotUnderstood" },
      ],
    },
  }),
  settingLanguage: parentSetup.createStateConfig({
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
  }),
};
