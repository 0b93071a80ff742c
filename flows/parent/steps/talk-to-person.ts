// "Talk to a person": an urgent ticket to the front office.
import { assign } from "xstate";
import { emptyDraft, mediaOf, t, textOf } from "../helpers";
import { parentSetup } from "../parent.setup";

export const talkToPersonStates = {
  talkingToPerson: parentSetup.createStateConfig({
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
  }),
};
