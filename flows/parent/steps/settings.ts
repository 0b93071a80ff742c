// The parent's settings: how announcements come, which channel first, STOP in chat apps.
import {
  ANNOUNCEMENT_MODES,
  chose,
  chosenId,
  choseOptionStartingWith,
  saySorry,
  settingsSummary,
  t,
} from "../helpers";
import { parentSetup } from "../parent.setup";

export const settingsStates = {
  loadingSettings: parentSetup.createStateConfig({
    invoke: {
      src: "loadSettings",
      input: ({ context }) => ({
        guardianId: context.guardian?.guardianId ?? 0,
        schoolId: context.guardian?.schoolId ?? 0,
      }),
      onDone: {
        target: "inSettings",
        actions: {
          type: "say",
          params: ({ context, event }) => settingsSummary(t(context), event.output),
        },
      },
      onError: { target: "menu", actions: saySorry },
    },
  }),
  inSettings: parentSetup.createStateConfig({
    tags: ["waiting"],
    on: {
      message: [
        {
          guard: chose("announcements"),
          target: "choosingAnnouncements",
          actions: {
            type: "say",
            params: ({ context }) => ({
              text: t(context).announcementsPrompt(),
              options: ANNOUNCEMENT_MODES.map((mode) => ({
                id: `announcements:${mode}`,
                label: t(context).announcementsOption(mode),
              })),
            }),
          },
        },
        // The channels to offer are read again, as they are now.
        { guard: chose("channels"), target: "loadingChannels" },
        { guard: chose("menu"), target: "menu" },
        { actions: "sayNotUnderstood" },
      ],
    },
  }),
  choosingAnnouncements: parentSetup.createStateConfig({
    tags: ["waiting"],
    on: {
      message: [
        { guard: choseOptionStartingWith("announcements:"), target: "savingAnnouncements" },
        { actions: "sayNotUnderstood" },
      ],
    },
  }),
  savingAnnouncements: parentSetup.createStateConfig({
    invoke: {
      src: "changeSettings",
      input: ({ context, event }) => ({
        guardianId: context.guardian?.guardianId ?? 0,
        schoolId: context.guardian?.schoolId ?? 0,
        change: {
          announcements:
            ANNOUNCEMENT_MODES.find(
              (mode) => chosenId(context, event) === `announcements:${mode}`,
            ) ?? "instant",
        },
      }),
      onDone: {
        target: "menu",
        actions: {
          type: "say",
          params: ({ context, event }) => ({
            text: t(context).announcementsChanged(event.output),
          }),
        },
      },
      onError: { target: "menu", actions: saySorry },
    },
  }),
  /** STOP on a chat app: announcements off, everything else still comes. */
  stoppingAnnouncements: parentSetup.createStateConfig({
    invoke: {
      src: "changeSettings",
      input: ({ context }) => ({
        guardianId: context.guardian?.guardianId ?? 0,
        schoolId: context.guardian?.schoolId ?? 0,
        change: { announcements: "off" as const },
      }),
      onDone: {
        target: "menu",
        actions: {
          type: "say",
          params: ({ context }) => ({ text: t(context).announcementsStopped() }),
        },
      },
      onError: { target: "menu", actions: saySorry },
    },
  }),
  loadingChannels: parentSetup.createStateConfig({
    invoke: {
      src: "loadSettings",
      input: ({ context }) => ({
        guardianId: context.guardian?.guardianId ?? 0,
        schoolId: context.guardian?.schoolId ?? 0,
      }),
      onDone: [
        {
          // Nothing to order (a channel expired meanwhile): the settings as they are now.
          guard: ({ event }) => event.output.channels.length < 2,
          target: "inSettings",
          actions: {
            type: "say",
            params: ({ context, event }) => settingsSummary(t(context), event.output),
          },
        },
        {
          target: "choosingChannel",
          actions: {
            type: "say",
            params: ({ context, event }) => ({
              text: t(context).channelPrompt(),
              options: event.output.channels.map((channel) => ({
                id: `channel:${channel}`,
                label: t(context).channelName(channel),
              })),
            }),
          },
        },
      ],
      onError: { target: "menu", actions: saySorry },
    },
  }),
  choosingChannel: parentSetup.createStateConfig({
    tags: ["waiting"],
    on: {
      message: [
        { guard: choseOptionStartingWith("channel:"), target: "savingChannel" },
        { actions: "sayNotUnderstood" },
      ],
    },
  }),
  savingChannel: parentSetup.createStateConfig({
    invoke: {
      src: "changeSettings",
      input: ({ context, event }) => ({
        guardianId: context.guardian?.guardianId ?? 0,
        schoolId: context.guardian?.schoolId ?? 0,
        change: { firstChannel: chosenId(context, event).slice("channel:".length) },
      }),
      onDone: {
        target: "menu",
        actions: {
          type: "say",
          params: ({ context, event }) => ({
            text: t(context).channelOrderChanged(event.output),
          }),
        },
      },
      onError: { target: "menu", actions: saySorry },
    },
  }),
};
