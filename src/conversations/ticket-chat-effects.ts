// The staff machine's ticket effect: a ticket command from the chat, run as the verified member
// within the chat step (its unit of work and address). Resolving signals the parent's
// conversation, so the effect is given the road it runs on.
import { fromPromise } from "xstate";
import type { TicketCommandResult, TicketRequest } from "../../flows/staff";
import type { ConversationSignal } from "../services/conversation-signal";
import type { ServiceDeps } from "../services/deps";
import { runTicketRequest } from "../services/ticket-chat";
import { stepOf } from "./step-context";

export function ticketChatEffects(deps: ServiceDeps, road: () => ConversationSignal) {
  return {
    ticketCommand: fromPromise<TicketCommandResult, TicketRequest>(async ({ input, system }) => {
      const { uow, here } = stepOf(system);
      return runTicketRequest(deps, { uow, here, conversations: road() }, input);
    }),
  };
}
