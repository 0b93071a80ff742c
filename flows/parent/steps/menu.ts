// The menu: what a verified parent can do, and what free text at it becomes.
import { assign } from "xstate";
import { chose, emptyDraft, languageOptions, mediaOf, t, textOf } from "../helpers";
import { isGreeting, isThanks } from "../options";
import { parentSetup } from "../parent.setup";

export const menuStates = {
  menu: parentSetup.createStateConfig({
    tags: ["waiting"],
    entry: "sayMenu",
    always: { guard: "hasResolution", target: "askingRating" },
    on: {
      message: [
        { guard: chose("new"), target: "startingRequest" },
        { guard: chose("mine"), target: "listingRequests" },
        { guard: chose("announcements"), target: "listingAnnouncements" },
        {
          guard: chose("talk"),
          target: "talkingToPerson",
          actions: {
            type: "say",
            params: ({ context }) => ({ text: t(context).talkToPersonPrompt() }),
          },
        },
        {
          guard: chose("language"),
          target: "choosingLanguage",
          actions: {
            type: "say",
            params: ({ context }) => ({
              text: t(context).languagePrompt(),
              options: languageOptions(),
            }),
          },
        },
        { guard: chose("settings"), target: "loadingSettings" },
        // A greeting shows the menu again; thanks is acknowledged. Neither is a request.
        { guard: ({ event }) => isGreeting(textOf(event)), target: "menu", reenter: true },
        {
          guard: ({ event }) => isThanks(textOf(event)),
          actions: {
            type: "sayAside",
            params: ({ context }) => ({ text: t(context).youreWelcome() }),
          },
        },
        {
          guard: chose("help"),
          target: "menu",
          reenter: true,
          actions: {
            type: "say",
            params: ({ context }) => ({
              text: t(context).help({ officePhone: context.guardian?.officePhone ?? "" }),
            }),
          },
        },
        {
          // A parent who just starts writing is either following up on an open request or
          // starting a new one: keep what they wrote and find out which.
          target: "checkingOpenRequests",
          actions: assign({
            draft: ({ event }) => ({
              ...emptyDraft,
              text: textOf(event) || null,
              media: mediaOf(event),
            }),
          }),
        },
      ],
    },
  }),
};
