// The identification steps both conversations start with: who is writing (the address, a shared
// contact or a typed phone), before any code is sent. Each machine passes what differs.

/** What both machines' look-ups answer, as far as these steps read it. */
type IdentifyResult =
  | { status: "linked" }
  | { status: "on_file" }
  | { status: "unknown"; addressIsPhone?: boolean };

export interface IdentificationOptions<
  TContext extends { channel: string; address: string },
  TEvent extends { type: string },
  TIdentify extends string,
  TFind extends string,
  TLinked,
  TOnFile,
  TAskingOn extends object,
  TAsk extends { text: string },
  TBeforeOnFile extends readonly unknown[] = [],
  TNotFound = never,
> {
  actors: { identify: TIdentify; findPhone: TFind };
  /** The text of a message event ("" for anything else). */
  textOf: (event: TEvent) => string;
  /** Where a member already linked to this address goes, how they are remembered and greeted. */
  linked: { target: string; remember: TLinked; greeting: (context: TContext) => string };
  /** Remembers the phone on file a code will go to, from the look-up's output. */
  rememberPhoneOnFile: TOnFile;
  /** Outcomes of the look-up tried before a code is sent to a phone on file (HELP first). */
  beforeOnFile?: TBeforeOnFile;
  /** A phone channel's own number is not on file: where that leads and what is said. */
  unknownPhone: { target: string; say: (context: TContext) => string };
  /** An action for any look-up that found no phone on file, before what is said. */
  onNotFound?: TNotFound;
  texts: {
    /** The question for the phone on file, with a share button where the channel has one. */
    askPhone: (context: TContext) => TAsk;
    /** A typed or shared phone that is not on file. */
    notOnFile: (context: TContext) => string;
    sorry: (context: TContext) => string;
  };
  /** The commands heard while the phone is asked for. */
  askingOn: TAskingOn;
}

interface MessageLike {
  type: string;
  sharedPhone?: string;
}

const sharedPhoneOf = (event: MessageLike) =>
  event.type === "message" && event.sharedPhone ? event.sharedPhone : undefined;

export function identificationStates<
  TContext extends { channel: string; address: string },
  TEvent extends { type: string },
  TIdentify extends string,
  TFind extends string,
  const TLinked,
  const TOnFile,
  const TAskingOn extends object,
  TAsk extends { text: string },
  const TBeforeOnFile extends readonly unknown[] = [],
  const TNotFound = never,
>(
  o: IdentificationOptions<
    TContext,
    TEvent,
    TIdentify,
    TFind,
    TLinked,
    TOnFile,
    TAskingOn,
    TAsk,
    TBeforeOnFile,
    TNotFound
  >,
) {
  type Done = { context: TContext; event: { output: IdentifyResult } };
  const isOnFile = ({ event }: Done) => event.output.status === "on_file";
  const sorry = {
    type: "say" as const,
    params: ({ context }: { context: TContext }) => ({ text: o.texts.sorry(context) }),
  };
  const onFile = { target: "sendingCode", actions: o.rememberPhoneOnFile };
  const notFound = (say: (context: TContext) => TAsk | { text: string }) => [
    ...(o.onNotFound ? [o.onNotFound] : []),
    { type: "say" as const, params: ({ context }: Done) => say(context) },
  ];
  return {
    identifying: {
      invoke: {
        src: o.actors.identify,
        input: ({ context, event }: { context: TContext; event: TEvent }) => {
          const sharedPhone = sharedPhoneOf(event);
          return {
            channel: context.channel,
            address: context.address,
            ...(sharedPhone ? { sharedPhone } : {}),
          };
        },
        onDone: [
          {
            guard: ({ event }: Done) => event.output.status === "linked",
            target: o.linked.target,
            actions: [
              o.linked.remember,
              {
                type: "say" as const,
                params: ({ context }: { context: TContext }) => ({
                  text: o.linked.greeting(context),
                }),
              },
            ],
          },
          ...((o.beforeOnFile ?? []) as TBeforeOnFile),
          { guard: isOnFile, ...onFile },
          {
            // A phone channel's own number that is not on file hears so at once.
            guard: ({ event }: Done) =>
              event.output.status === "unknown" && event.output.addressIsPhone === true,
            target: o.unknownPhone.target,
            actions: notFound((context) => ({ text: o.unknownPhone.say(context) })),
          },
          // A chat with no phone number (Telegram) is asked for the number on file.
          { target: "askingPhone", actions: notFound((context) => o.texts.askPhone(context)) },
        ],
        onError: { target: "new", actions: sorry },
      },
    },
    /** The address is not on file: ask for the number the school has. */
    askingPhone: {
      tags: ["waiting"],
      on: { message: "findingPhone", ...o.askingOn },
    },
    findingPhone: {
      invoke: {
        src: o.actors.findPhone,
        // A contact shared with the channel's button is the candidate; otherwise the typed text.
        input: ({ event }: { event: TEvent }) => ({
          text: sharedPhoneOf(event) ?? o.textOf(event),
        }),
        onDone: [
          { guard: isOnFile, ...onFile },
          {
            target: "askingPhone",
            actions: notFound((context) => ({ text: o.texts.notOnFile(context) })),
          },
        ],
        onError: { target: "askingPhone", actions: sorry },
      },
    },
  };
}
