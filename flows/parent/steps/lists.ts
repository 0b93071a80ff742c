// What the parent can read: their open requests and the latest announcements.
import { saySorry, t } from "../helpers";
import { parentSetup } from "../parent.setup";

export const listsStates = {
  listingRequests: parentSetup.createStateConfig({
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
            // Staff replies are quoted as they wrote them.
            quoted: event.output.map((ticket) => ticket.lastReply ?? ""),
          }),
        },
      },
      onError: { target: "menu", actions: saySorry },
    },
  }),
  listingAnnouncements: parentSetup.createStateConfig({
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
            quoted: event.output.map((line) => line.text),
          }),
        },
      },
      onError: { target: "menu", actions: saySorry },
    },
  }),
};
