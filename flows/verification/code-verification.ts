// The one-time-code steps both conversations verify with: send the code, wait for it, check it.
// Each machine passes what differs (its actors, texts, what counts as a try, what it keeps aside).
import type { DoneActorEvent } from "xstate";

type SendResult =
  | { status: "sent"; maskedPhone: string }
  | { status: "rate_limited"; retryAt: string };
type CheckResult =
  | { status: "verified" }
  | { status: "wrong"; triesLeft: number }
  | { status: "dead" };

export interface CodeVerificationOptions<
  TContext,
  TEvent,
  TSend extends string,
  TCheck extends string,
  TSendInput,
  TCheckInput,
  TVerifiedAction,
  TAwaitingOn extends object,
  TSent extends readonly unknown[] = [],
  TBeforeTry extends readonly unknown[] = [],
  TNotATry extends readonly unknown[] = [],
> {
  actors: { send: TSend; check: TCheck };
  sendInput: (context: TContext) => TSendInput;
  checkInput: (context: TContext, code: string) => TCheckInput;
  /** The text of a message event ("" for anything else). */
  textOf: (event: TEvent) => string;
  /** Only a reply that passes this is checked as a code (a try); anything else is `notATry`. */
  isTry: (text: string) => boolean;
  /** Where a verified member goes (an absolute or sibling target). */
  verifiedTarget: string;
  /** Remembers who the code verified, from the check's output. */
  rememberVerified: TVerifiedAction;
  texts: {
    codeSent: (context: TContext, maskedPhone: string) => string;
    codeRateLimited: (context: TContext, retryAt: string) => string;
    verified: (context: TContext) => string;
    codeWrong: (context: TContext, triesLeft: number) => string;
    codeDead: (context: TContext) => string;
    sorry: (context: TContext) => string;
  };
  /** Actions for a sent code besides saying so (the parent keeps the masked phone). */
  onSent?: TSent;
  /** What a reply that is no try does (say the prompt again), and what comes before the try. */
  notATry?: TNotATry;
  /** Message transitions checked before the try (a language word). */
  beforeTry?: TBeforeTry;
  /** The other events heard while the code is awaited (commands kept aside, menu, help). */
  awaitingOn: TAwaitingOn;
}

const resendWords = /^(resend|new code|code|reenviar)$/i;

export function codeVerificationStates<
  TContext,
  TEvent,
  TSend extends string,
  TCheck extends string,
  TSendInput,
  TCheckInput,
  const TVerifiedAction,
  const TAwaitingOn extends object,
  const TSent extends readonly unknown[] = [],
  const TBeforeTry extends readonly unknown[] = [],
  const TNotATry extends readonly unknown[] = [],
>(
  o: CodeVerificationOptions<
    TContext,
    TEvent,
    TSend,
    TCheck,
    TSendInput,
    TCheckInput,
    TVerifiedAction,
    TAwaitingOn,
    TSent,
    TBeforeTry,
    TNotATry
  >,
) {
  const say = (text: (context: TContext) => string) => ({
    type: "say" as const,
    params: ({ context }: { context: TContext }) => ({ text: text(context) }),
  });
  const sorry = say(o.texts.sorry);
  return {
    sendingCode: {
      invoke: {
        src: o.actors.send,
        input: ({ context }: { context: TContext }) => o.sendInput(context),
        onDone: {
          target: "awaitingCode",
          actions: [
            ...((o.onSent ?? []) as TSent),
            {
              type: "say" as const,
              params: ({
                context,
                event,
              }: {
                context: TContext;
                event: DoneActorEvent<SendResult>;
              }) => ({
                text:
                  event.output.status === "sent"
                    ? o.texts.codeSent(context, event.output.maskedPhone)
                    : o.texts.codeRateLimited(context, event.output.retryAt),
              }),
            },
          ],
        },
        onError: { target: "awaitingCode", actions: sorry },
      },
    },
    awaitingCode: {
      tags: ["waiting"],
      on: {
        message: [
          {
            guard: ({ event }: { event: TEvent }) => resendWords.test(o.textOf(event)),
            target: "sendingCode",
          },
          ...((o.beforeTry ?? []) as TBeforeTry),
          {
            guard: ({ event }: { event: TEvent }) => o.isTry(o.textOf(event)),
            target: "checkingCode",
          },
          { actions: (o.notATry ?? []) as TNotATry },
        ],
        ...o.awaitingOn,
      },
    },
    checkingCode: {
      invoke: {
        src: o.actors.check,
        input: ({ context, event }: { context: TContext; event: TEvent }) =>
          o.checkInput(context, o.textOf(event).replace(/[\s-]+/g, "")),
        onDone: [
          {
            guard: ({ event }: { event: DoneActorEvent<CheckResult> }) =>
              event.output.status === "verified",
            target: o.verifiedTarget,
            actions: [o.rememberVerified, say(o.texts.verified)],
          },
          {
            target: "awaitingCode",
            actions: {
              type: "say" as const,
              params: ({
                context,
                event,
              }: {
                context: TContext;
                event: DoneActorEvent<CheckResult>;
              }) => ({
                text:
                  event.output.status === "wrong"
                    ? o.texts.codeWrong(context, event.output.triesLeft)
                    : o.texts.codeDead(context),
              }),
            },
          },
        ],
        onError: { target: "awaitingCode", actions: sorry },
      },
    },
  };
}
