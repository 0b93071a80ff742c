// Free text from a parent with open requests: add it to one, or start a new one.
import { chose, chosenId, choseOptionStartingWith, saySorry, t } from "../helpers";
import { parentSetup } from "../parent.setup";

export const followUpStates = {
  checkingOpenRequests: parentSetup.createStateConfig({
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
  }),
  choosingRequest: parentSetup.createStateConfig({
    tags: ["waiting"],
    on: {
      message: [
        { guard: chose("new"), target: "startingRequest" },
        { guard: choseOptionStartingWith("ticket:"), target: "addingToRequest" },
        { actions: "sayNotUnderstood" },
      ],
    },
  }),
  addingToRequest: parentSetup.createStateConfig({
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
              text: t(context).addedToRequest({
                reference: event.output.reference,
                assignee: t(context).assignee(event.output.assignee),
              }),
            }),
          },
          "clearDraft",
        ],
      },
      onError: { target: "menu", actions: ["clearDraft", saySorry] },
    },
  }),
};
