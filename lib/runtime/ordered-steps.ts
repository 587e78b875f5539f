/**
 * Work that waits on Kafka, kept in the order it was started. A source task polls and converts
 * its next batch while earlier batches are still on the wire, as Connect's task keeps polling
 * while its producer sends. Each step runs once the step before it has finished, and no step
 * runs after one failed, so offsets and acknowledgments only ever cover what Kafka took, in order.
 */
export class OrderedSteps {
  private tail: Promise<void> = Promise.resolve();
  private readonly unfinished: Promise<void>[] = [];

  /** @param limit Steps that may be unfinished when {@link after} returns. */
  constructor(private readonly limit: number) {}

  /**
   * Queues `step` behind the steps before it, with the result of `started` (work already under
   * way, such as a send). Resolves once at most `limit` steps are unfinished; rejects with the
   * first failure of a step or of the work it waited for.
   */
  async after<T>(started: Promise<T>, step: (result: T) => Promise<void> | void): Promise<void> {
    // A failure of the work is reported by its step, in order, not as an unhandled rejection.
    started.catch(() => {});
    this.unfinished.push(this.chain(async () => step(await started)));
    while (this.unfinished.length > this.limit) await this.unfinished.shift();
  }

  /**
   * Queues `step` behind the steps before it without counting it against the limit, and
   * returns at once: for work the later steps wait on anyway by their order, such as a commit
   * of what the steps before it covered. Its round trips then overlap the next batches'
   * polling and sending instead of holding them back; a failure reaches the caller through the
   * next step, {@link drain} or {@link settle}, or through the promise returned, which
   * settles once the step has run.
   */
  between(step: () => Promise<void> | void): Promise<void> {
    return this.chain(step);
  }

  /** Appends `step` to the chain; its failure is reported by whoever waits on the chain next. */
  private chain(step: () => Promise<void> | void): Promise<void> {
    const link = this.tail.then(step);
    link.catch(() => {});
    this.tail = link;
    return link;
  }

  /** Waits for every queued step; rejects with the first failure. */
  drain(): Promise<void> {
    this.unfinished.length = 0;
    return this.tail;
  }

  /** Waits for every queued step, failures ignored: for a task that stops without committing. */
  settle(): Promise<void> {
    return this.drain().catch(() => {});
  }
}
