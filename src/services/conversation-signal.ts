// What a service may ask of a person's conversation: to hear about a change made outside it. The
// inbound road provides it; services name only this, so they never import the road above them.
import type { ParentEvent } from "../../flows/parent";
import type { InboundOutcome } from "../contracts";
import type { UnitOfWork } from "../outbox/unit-of-work";

/** The chat a conversation step belongs to. */
export interface StepAddress {
  channel: string;
  address: string;
}

export interface ConversationSignal {
  /**
   * Tells a conversation about something that happened outside it (staff resolved a ticket), in
   * order with the parent's own messages. `planAlongside` adds the change that caused it to the
   * same atomic write as the conversation's new snapshot and replies.
   */
  signal(
    contact: StepAddress,
    event: ParentEvent,
    planAlongside: (uow: UnitOfWork) => void,
  ): Promise<InboundOutcome>;
}
