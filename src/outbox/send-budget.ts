// How many provider requests one dispatcher run may still make: a Worker's invocation may make
// only so many subrequests (https://developers.cloudflare.com/workers/platform/limits/), and a
// request past them throws, so a run stops claiming before it gets there.

export class SendBudget {
  /** What is left; infinity when the run has no limit (Node). */
  private remaining: number;
  /** Whether a row was held back, or the budget ran out, so the next run should follow at once. */
  private exhausted = false;

  constructor(private readonly limit: number = Number.POSITIVE_INFINITY) {
    this.remaining = limit;
  }

  /** How many rows a claim may take: each send makes at least one request, or none at all. */
  get left(): number {
    return this.remaining;
  }

  /** True once the run has spent it or held a row back for lack of it. */
  get spent(): boolean {
    return this.exhausted || this.remaining <= 0;
  }

  /**
   * Takes `requests` for one send, or says no and marks the budget spent. A send needing more than
   * a whole run's budget goes as its run's first (a long text's parts are resumed if it fails).
   */
  take(requests: number): boolean {
    const first = this.remaining === this.limit;
    if (requests > this.remaining && !(first && requests > this.limit)) {
      this.exhausted = true;
      return false;
    }
    this.remaining -= requests;
    return true;
  }

  /** Returns what a send took but did not use (the pace put its row back before it went). */
  giveBack(requests: number): void {
    this.remaining += requests;
  }
}
