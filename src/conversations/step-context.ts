// The step an effect belongs to (its unit of work and chat address), found through the actor system
// the effect runs in: each restored conversation actor has its own system, shared by the effects it
// invokes. The machine's effects are provided once: calling machine.provide() per message cost more
// than the whole XState restore/transition/persist of that message (measured by npm run bench:flow).
// Not AsyncLocalStorage: once enabled, it hooks every promise in the process (bench:flow profile).
import type { UnitOfWork } from "../outbox/unit-of-work";
import type { StepAddress } from "../services/conversation-signal";

export interface StepContext {
  uow: UnitOfWork;
  here: StepAddress;
  /**
   * The inbound message the step answers ("channel:provider id"), when it answers one: an effect
   * that commits on its own (creating an announcement) keys its write on it, so the same message
   * redelivered after a crash does not do it twice.
   */
  messageKey?: string;
}

/** Keyed by actor system; an entry goes with its actor once the step is over. */
const steps = new WeakMap<object, StepContext>();

/** Ties a step to the actor system of the conversation actor that runs it (before it starts). */
export function bindStep(system: object, step: StepContext): void {
  steps.set(system, step);
}

/** The step of the effect running in `system` (the `system` an XState actor logic is given). */
export function stepOf(system: object): StepContext {
  const step = steps.get(system);
  if (!step) throw new Error("a conversation effect ran outside a conversation step");
  return step;
}

/** Unties a step from its actor system once the step is over. */
export function unbindStep(system: object): void {
  steps.delete(system);
}
