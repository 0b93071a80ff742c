// Restores an actor from its snapshot, sends one event, and lets it run until it waits for the
// person again (a state tagged "waiting"), collecting everything it said on the way.
import {
  type AnyActorRef,
  type AnyStateMachine,
  createActor,
  type Snapshot,
  waitFor,
} from "xstate";

export interface StepResult<Said> {
  snapshot: Snapshot<unknown>;
  said: Said[];
}

export interface RunOptions<Event, Input> {
  machine: AnyStateMachine;
  /** The persisted snapshot, or undefined to start a new conversation with `input`. */
  snapshot: Snapshot<unknown> | undefined;
  input: Input;
  /** Sent in order; the actor runs until it waits again after each. */
  events: Event[];
  /** How long effects (database work) may take before the step is abandoned. */
  timeoutMs?: number;
  /** Called with the actor before it starts (and before any effect it invokes runs). */
  beforeStart?: (actor: AnyActorRef) => void;
  /** Called with the actor once it has stopped, whatever the outcome. */
  afterStop?: (actor: AnyActorRef) => void;
}

/** A stored snapshot the machine cannot restore (a state it no longer has, a shape it cannot read). */
export class SnapshotNotRestored extends Error {
  constructor(readonly reason: unknown) {
    super(`conversation snapshot not restored: ${String(reason)}`);
  }
}

const isWaiting = (snapshot: { status: string; hasTag(tag: string): boolean; children: object }) =>
  snapshot.status !== "active" ||
  (snapshot.hasTag("waiting") && Object.keys(snapshot.children).length === 0);

export async function runUntilWaiting<Said, Event extends { type: string }, Input>(
  options: RunOptions<Event, Input>,
): Promise<StepResult<Said>> {
  const actor = createActor(options.machine, {
    ...(options.snapshot ? { snapshot: options.snapshot } : {}),
    input: options.input,
  });
  // A snapshot that does not fit the machine leaves the actor failed before anything runs.
  const restored = actor.getSnapshot();
  if (restored.status === "error") throw new SnapshotNotRestored(restored.error);
  const said: Said[] = [];
  actor.on("say", (event) => said.push(event as Said));
  let failure: unknown;
  actor.subscribe({ error: (error) => (failure = error) });
  options.beforeStart?.(actor);
  actor.start();
  try {
    for (const event of options.events) {
      actor.send(event);
      // Most events settle synchronously (no effect invoked): waitFor would still arm and clear a
      // timer and subscribe on every message (seen in the bench:flow profile).
      const current = actor.getSnapshot();
      const settled = isWaiting(current)
        ? current
        : await waitFor(actor, isWaiting, { timeout: options.timeoutMs ?? 10_000 });
      if (failure || settled.status === "error") {
        throw failure ?? new Error("conversation actor failed");
      }
    }
    return { snapshot: actor.getPersistedSnapshot(), said };
  } finally {
    actor.stop();
    options.afterStop?.(actor);
  }
}
