// A benchmark's window into the inbound road: how long each message's step took (reads, restore,
// transition with its effects, and the atomic write), with no HTTP or delivery around it. Nobody
// observes in production, where the road pays one null check per message.
export type StepObserver = (ms: number) => void;

let observer: StepObserver | undefined;

/** Starts reporting every road step's duration to `observe`; returns the call that stops it. */
export function observeRoadSteps(observe: StepObserver): () => void {
  observer = observe;
  return () => {
    if (observer === observe) observer = undefined;
  };
}

/** Runs one step, timing it only while someone observes. */
export function timedStep<T>(step: () => Promise<T>): Promise<T> {
  const observe = observer;
  if (!observe) return step();
  const started = performance.now();
  return step().then((result) => {
    observe(performance.now() - started);
    return result;
  });
}
