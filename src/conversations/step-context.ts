// The step an effect belongs to (its unit of work and chat address), found through async context.
// The machine's effects are provided once: calling machine.provide() per message cost more than
// the whole XState restore/transition/persist of that message (measured by npm run bench:flow).
import { AsyncLocalStorage } from "node:async_hooks";
import type { UnitOfWork } from "../services/unit-of-work";

export interface StepAddress {
  channel: string;
  address: string;
}

export interface StepContext {
  uow: UnitOfWork;
  here: StepAddress;
}

const current = new AsyncLocalStorage<StepContext>();

export function runInStep<T>(step: StepContext, work: () => Promise<T>): Promise<T> {
  return current.run(step, work);
}

export function currentStep(): StepContext {
  const step = current.getStore();
  if (!step) throw new Error("a conversation effect ran outside a conversation step");
  return step;
}
