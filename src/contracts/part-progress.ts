// A message a channel sends as several provider messages (a long text's parts, its attachments)
// may fail after some of them went. Its retry is the same outbox row: it resumes after the parts
// that went, instead of sending the parent those again.

/** How many of an outbox row's parts went, and the provider id of the last that did. */
interface Progress {
  sent: number;
  lastId: string;
}

/** Rows remembered at most: a row retried later than this many other failures starts over. */
const REMEMBERED_ROWS = 10_000;

/**
 * Sends parts in order and remembers, per outbox row, how far a failed send got. In memory only:
 * after a restart a retry sends every part again (the window the outbox accepts for providers
 * without an idempotency key).
 */
export class PartSender {
  private readonly progress = new Map<number, Progress>();

  /** How many of `total` parts a send of `outboxId` has still to make (what it costs the pacer). */
  remaining(outboxId: number, total: number): number {
    return Math.max(1, total - (this.progress.get(outboxId)?.sent ?? 0));
  }

  /** Sends the parts not yet sent for `outboxId`; returns the last part's provider id. */
  async send<Part>(
    outboxId: number,
    parts: readonly Part[],
    sendOne: (part: Part) => Promise<string>,
  ): Promise<string> {
    const done = this.progress.get(outboxId);
    let sent = done?.sent ?? 0;
    let lastId = done?.lastId ?? "";
    try {
      for (; sent < parts.length; sent++) lastId = await sendOne(parts[sent] as Part);
    } catch (error) {
      if (sent > 0) this.remember(outboxId, { sent, lastId });
      throw error;
    }
    this.progress.delete(outboxId);
    return lastId;
  }

  private remember(outboxId: number, progress: Progress) {
    this.progress.delete(outboxId);
    if (this.progress.size >= REMEMBERED_ROWS)
      this.progress.delete(this.progress.keys().next().value as number);
    this.progress.set(outboxId, progress);
  }
}
