// A resolved ticket put to the parent: a rating, words about it, or reopening.
import {
  chose,
  chosenId,
  choseOptionStartingWith,
  officeOf,
  saySorry,
  t,
  textOf,
} from "../helpers";
import { parentSetup } from "../parent.setup";

/** Waiting on the rating question: a number, reopening, or words about the outcome. */
const answeringRatingQuestion = parentSetup.createStateConfig({
  tags: ["waiting"],
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
});

export const ratingStates = {
  askingRating: parentSetup.createStateConfig({
    ...answeringRatingQuestion,
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
  }),
  keepingRatingComment: parentSetup.createStateConfig({
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
            text: t(context).ratingCommentKept(context.resolutions[0] ?? { reference: "", by: "" }),
          }),
        },
      },
      onError: { target: "menu", actions: ["forgetResolution", saySorry] },
    },
  }),
  /** The rating question again, after a comment, without saying it all again. */
  awaitingRating: answeringRatingQuestion,
  rating: parentSetup.createStateConfig({
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
  }),
  reopening: parentSetup.createStateConfig({
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
  }),
};
