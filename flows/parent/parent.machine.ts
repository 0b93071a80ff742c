// The parent conversation: verify by one-time code, then menu → child → topic → message → confirm
// → ticket, and the parent's own settings (announcements, channel order). Pure: every effect is a
// named actor the runtime provides; replies leave as "say" events. Each step is a file in steps/.
import { stateIn } from "xstate";
import { PARENT_MACHINE } from "./context";
import { emptyDraft, hasDraft, t } from "./helpers";
import { parentSetup } from "./parent.setup";
import { followUpStates } from "./steps/follow-up";
import { languageStates } from "./steps/language";
import { listsStates } from "./steps/lists";
import { menuStates } from "./steps/menu";
import { newRequestStates } from "./steps/new-request";
import { ratingStates } from "./steps/rating";
import { settingsStates } from "./steps/settings";
import { talkToPersonStates } from "./steps/talk-to-person";
import { verificationStates } from "./steps/verification";

export { CATEGORIES, PARENT_MACHINE, type ParentContext } from "./context";

export const parentMachine = parentSetup.createMachine({
  id: PARENT_MACHINE.name,
  context: ({ input }) => ({
    ...input,
    guardian: null,
    phoneOnFile: null,
    officePhone: undefined,
    offered: [],
    resolutions: [],
    draft: { ...emptyDraft },
  }),
  on: {
    // Until the parent is verified again, a resolution waits to be put to them at the menu.
    "ticket.resolved": { actions: "rememberResolution" },
    // After a long silence, half-finished work is dropped and the parent starts from the menu.
    idle: [
      // Nothing was half-finished: carry on as if no time had passed.
      { guard: stateIn({ verified: "menu" }) },
      { guard: stateIn("new") },
      {
        guard: "isVerified",
        target: ".verified.menu",
        reenter: true,
        actions: [
          "clearDraft",
          { type: "say", params: ({ context }) => ({ text: t(context).idleReset() }) },
        ],
      },
      { target: ".new" },
    ],
  },
  initial: "new",
  states: {
    ...verificationStates,
    verified: {
      on: {
        "ticket.resolved": [
          {
            guard: stateIn({ verified: "menu" }),
            target: ".askingRating",
            actions: "rememberResolution",
          },
          { actions: "rememberResolution" },
        ],
        "command.menu": {
          target: ".menu",
          actions: [
            {
              type: "say",
              params: ({ context }) => ({
                // Said whenever something being written is dropped, so the parent knows.
                text: hasDraft(context) ? t(context).cancelled() : "",
              }),
            },
            "clearDraft",
          ],
        },
        // Like "menu", it drops what was being written; a pending rating is asked after it.
        "command.settings": { target: ".loadingSettings", actions: "clearDraft" },
        "command.unsubscribe": { target: ".stoppingAnnouncements", actions: "clearDraft" },
        "command.help": {
          target: ".menu",
          actions: [
            "clearDraft",
            {
              type: "say",
              params: ({ context }) => ({
                text: t(context).help({ officePhone: context.guardian?.officePhone ?? "" }),
              }),
            },
          ],
        },
      },
      initial: "menu",
      states: {
        ...menuStates,
        ...newRequestStates,
        ...followUpStates,
        ...talkToPersonStates,
        ...ratingStates,
        ...listsStates,
        ...languageStates,
        ...settingsStates,
      },
    },
  },
});

export type ParentMachine = typeof parentMachine;
