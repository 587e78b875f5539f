/**
 * Runs a source task: poll → transforms → converters → produce, and at each commit
 * boundary write the source offsets of what Kafka acknowledged to the offsets topic. With
 * exactly-once support, each poll batch and its offsets go to Kafka in one transaction under a
 * per-task transactional id, which also fences zombie producers in Kafka itself. The next batch
 * is polled and converted while earlier ones are on the wire; what follows an acknowledgment
 * (pending offsets, commitRecord, a commit) runs in the order the batches were polled.
 */
import type { ProducerPort, WrittenRecord } from '../kafka/kafka-port.ts';
import type { SourceOffset, SourcePartition, SourceRecord } from '../plugins/connect-record.ts';
import type { SourceConnector, SourceTask } from '../plugins/plugin-types.ts';
import { TaskMeters, type TaskMeter } from '../observability/task-meter.ts';
import { ErrorHandler, errorHandlingConfig } from './error-handler.ts';
import { OrderedSteps } from './ordered-steps.ts';
import { RecordPipeline } from './record-pipeline.ts';
import { TaskConfigError } from './runtime-errors.ts';
import { DEFAULT_OFFSETS_TOPIC, partitionId, SourceOffsetStore } from './source-offset-store.ts';
import { checkCommitGate, commitEvery, COMMITS_IN_FLIGHT, fenced, sleep, TargetWatch, type SliceOptions, type SliceOutcome, type TaskIdentity, type TaskWorker, type WorkerDeps } from './task-worker.ts';
import { TopicCreator } from './topic-creator.ts';

/**
 * Records per produce request. Large enough to amortize Kafka round trips; small enough that
 * the batches alive at once (the one converted, those unacknowledged) mostly die young. With
 * 16,384 records and two unacknowledged, ~49,000 records were alive at each scavenge (~10 ms
 * each; collection 17 % of the task's time, 13 % after). The bench's source workload,
 * interleaved runs: 239k → 295k records/s (means of four, broker just started), 280k → 310k
 * (means of two, broker warmed by the ceiling runs); 8,192 and three, 2,048 and eight, and
 * 4,096 and eight all did worse.
 */
const MAX_SEND_BATCH = 4_096;
/**
 * Batches sent but not yet acknowledged while the next is polled. The producer still writes one
 * request at a time (so a retry can never reorder records); this only keeps the task busy meanwhile.
 */
const MAX_UNACKNOWLEDGED_BATCHES = 4;
/**
 * How often a task stores its offsets snapshot while it commits; its last commit (a slice's end
 * or a stop) stores it too. Between, a starting task reads these seconds of the offsets topic
 * beyond the snapshot: a few hundred records, where a busy source wrote its store at every
 * commit (50 times per million records).
 */
const SNAPSHOT_EVERY_MS = 5_000;

export class SourceTaskWorker implements TaskWorker {
  private task!: SourceTask;
  private producer!: ProducerPort;
  private offsets!: SourceOffsetStore;
  private pipeline!: RecordPipeline;
  private topics!: TopicCreator;
  private readonly errors: ErrorHandler;
  private readonly exactlyOnce: boolean;
  /** Offsets acknowledged by Kafka but not yet committed, latest per source partition. */
  private pending = new Map<string, { partition: SourcePartition; offset: SourceOffset }>();
  private lastCommit = Date.now();
  /** Records polled since the last commit. */
  private sinceCommit = 0;
  /** Acknowledgments and commits of batches already sent, in order. */
  private readonly acks = new OrderedSteps(MAX_UNACKNOWLEDGED_BATCHES);
  /** Commits queued behind the batches they cover and not yet done, oldest first. */
  private readonly committing: Promise<void>[] = [];
  /** Records polled past a commit boundary: the next batch begins with them. */
  private carried: SourceRecord[] = [];
  /** A commit behind the sends found the connector paused, stopped, reconfigured or deleted. */
  private stopAsked = false;
  private readonly watch: TargetWatch;
  private readonly meter: TaskMeter;

  constructor(
    private readonly id: TaskIdentity,
    private readonly deps: WorkerDeps,
  ) {
    this.meter = (deps.meters ?? new TaskMeters()).forTask(id.connector, id.task, 'source');
    this.errors = new ErrorHandler(errorHandlingConfig(id.connectorConfig), { connector: id.connector, task: id.task, log: deps.log, meter: this.meter });
    this.watch = new TargetWatch(deps.store, id);
    // Connect enables exactly-once per worker; Tributary has no workers, so the connector asks for it.
    const eos = id.connectorConfig['exactly.once.support'];
    this.exactlyOnce = eos === 'required' || eos === 'requested';
  }

  async start(): Promise<void> {
    const { registry, kafka, store } = this.deps;
    const cls = this.id.connectorConfig['connector.class'] ?? '';
    const descriptor = registry.find(cls, ['source']);
    if (!descriptor) throw new TaskConfigError(`Failed to find any class that implements SourceConnector and which name matches ${cls}`);
    const connector = descriptor.create() as SourceConnector;
    this.task = connector.createTask();
    this.pipeline = new RecordPipeline(registry, this.id.connectorConfig, this.errors);
    this.topics = new TopicCreator(kafka, store, this.id.connector, this.id.connectorConfig);
    const offsetsTopic = this.id.connectorConfig['offsets.storage.topic'] || DEFAULT_OFFSETS_TOPIC;
    await SourceOffsetStore.ensureTopic(kafka, offsetsTopic);
    this.offsets = new SourceOffsetStore({ kafka, store }, this.id.connector, offsetsTopic, `task-${this.id.task}`, SNAPSHOT_EVERY_MS);
    await this.offsets.load();
    this.producer = await kafka.producer(
      this.exactlyOnce ? { transactionalId: `tributary-${this.id.connector}-${this.id.task}`, idempotent: true } : { idempotent: true },
    );
    await this.task.start(this.id.taskConfig, { configs: this.id.taskConfig, offsetStorageReader: () => this.offsets.reader() });
  }

  async runSlice(opts: SliceOptions): Promise<SliceOutcome> {
    let count = 0;
    let lastData = Date.now();
    let idleSleep = 10;
    const every = commitEvery(opts.commitMaxRecords);
    for (;;) {
      if (opts.shouldStop() || this.stopAsked) return this.finish('stopped', count);
      if (Date.now() >= opts.deadline) return this.finish('continue', count);
      const records = await this.pollBatch(Math.max(1, every - this.sinceCommit));
      if (records.length === 0) {
        await this.acks.drain();
        if (this.pending.size > 0 || Date.now() - this.lastCommit >= opts.commitIntervalMs) {
          const gate = await this.commit();
          if (gate === 'commit-and-stop') return { hint: 'stopped', records: count };
        }
        if (Date.now() - lastData >= opts.idleMs) return this.finish(count > 0 ? 'continue' : 'idle', count);
        // An idle task, too, stops within about a second of a pause, stop or delete.
        if (await this.watch.shouldStop()) return this.finish('stopped', count);
        await sleep(idleSleep);
        idleSleep = Math.min(idleSleep * 2, 250);
        continue;
      }
      lastData = Date.now();
      idleSleep = 10;
      count += records.length;
      this.meter.count('recordsIn', records.length);
      this.sinceCommit += records.length;
      await this.send(records);
      if (this.sinceCommit >= every || Date.now() - this.lastCommit >= opts.commitIntervalMs) {
        // Behind the batches still on the wire: it commits what they covered once Kafka took them,
        // while the task polls and sends on (held back, it left the producer idle ~35 ms per commit).
        // At most COMMITS_IN_FLIGHT under way, so what a lost runner replays stays within the bound.
        this.sinceCommit = 0;
        this.lastCommit = Date.now();
        while (this.committing.length >= COMMITS_IN_FLIGHT) await this.committing.shift();
        this.committing.push(
          this.acks.between(async () => {
            if ((await this.commitAcknowledged()) === 'commit-and-stop') this.stopAsked = true;
          }),
        );
      } else if (await this.watch.shouldStop()) {
        return this.finish('stopped', count);
      }
    }
  }

  lookAgain(): void {
    this.watch.expire();
  }

  async stop(opts: { commit: boolean }): Promise<void> {
    try {
      if (opts.commit) await this.commit();
      else await this.acks.settle();
    } finally {
      await this.task?.stop();
      this.pipeline?.close();
      await this.producer?.close();
    }
  }

  /**
   * Polls until a produce batch is full, the next commit is due, or the task has nothing more
   * right now. A batch ends where the commit falls due: what one poll returned past it waits
   * for the next batch, so a commit covers no more than its share of the bound. (With
   * exactly-once, each poll is its own transaction and is never split.)
   */
  private async pollBatch(untilCommit: number): Promise<SourceRecord[]> {
    const size = Math.min(MAX_SEND_BATCH, untilCommit);
    let batch = this.carried;
    this.carried = [];
    while (batch.length < size) {
      const polled = await this.task.poll();
      if (!polled || polled.length === 0) break;
      batch = batch.length ? batch.concat(polled) : polled;
      if (this.exactlyOnce) return batch;
    }
    if (batch.length <= size) return batch;
    this.carried = batch.slice(size);
    return batch.slice(0, size);
  }

  private async finish(hint: 'continue' | 'idle' | 'stopped', records: number): Promise<SliceOutcome> {
    const gate = await this.commit();
    return { hint: gate === 'commit-and-stop' ? 'stopped' : hint, records };
  }

  /**
   * Converts one poll batch and starts producing it; returns once few enough batches are
   * unacknowledged. Offsets become pending only once Kafka acknowledged the batch.
   */
  private async send(records: readonly SourceRecord[]): Promise<void> {
    const { out, sent } = await this.pipeline.toKafkaBatch(records);
    await this.topics.ensure(out.map((o) => o.topic));
    if (this.exactlyOnce) {
      const offsets = latestOffsets(records);
      const began = Date.now();
      // The transaction is the commit: records and offsets together, in one send (one round trip
      // to add the partitions to the transaction, one produce request when they share a broker).
      const committed = this.producer.inTransaction(async (send) => {
        const all = await send([...out, ...this.offsets.records(offsets)]);
        return { data: all.slice(0, out.length), written: all.slice(out.length) };
      });
      this.lastCommit = Date.now();
      this.sinceCommit = 0;
      await this.acks.after(committed, async ({ data, written }) => {
        this.meter.commitTook(Date.now() - began);
        this.meter.count('recordsOut', data.length);
        // Only once Kafka committed the transaction may the snapshot say so; before, a crash would skip records.
        await this.offsets.written(offsets, written);
        // As Connect's exactly-once task: each record is acknowledged once its transaction committed.
        if (this.task.commitRecord) {
          for (let i = 0; i < sent.length; i++) await this.task.commitRecord(sent[i] as SourceRecord, data[i] ?? null);
        }
        await this.task.commit?.();
      });
      return;
    }
    const produced: Promise<WrittenRecord[]> = out.length ? this.producer.send(out) : Promise.resolve([]);
    await this.acks.after(produced, (written) => this.acknowledged(records, sent, written));
  }

  /** Marks a batch's offsets pending and reports each of its records to the task, as Connect. */
  private async acknowledged(records: readonly SourceRecord[], sent: readonly SourceRecord[], written: readonly WrittenRecord[]): Promise<void> {
    this.meter.count('recordsOut', written.length);
    // Only the latest offset per source partition matters; tasks usually reuse one partition object.
    let last: SourceRecord['sourcePartition'] | undefined;
    let id = '';
    for (const r of records) {
      if (r.sourcePartition !== last) {
        last = r.sourcePartition;
        id = partitionId(last);
      }
      this.pending.set(id, { partition: r.sourcePartition, offset: r.sourceOffset });
    }
    if (this.task.commitRecord) {
      // As Connect: every polled record is reported, those dropped by transforms or errors with null metadata.
      if (sent.length === records.length) {
        for (let i = 0; i < sent.length; i++) await this.task.commitRecord(sent[i] as SourceRecord, written[i] ?? null);
      } else {
        const metadata = new Map(sent.map((r, i) => [r, written[i] ?? null]));
        for (const r of records) await this.task.commitRecord(r, metadata.get(r) ?? null);
      }
    }
  }

  /** Waits for every batch on the wire, then writes pending offsets if this runner still owns the task. */
  private async commit(): Promise<'commit' | 'commit-and-stop'> {
    await this.acks.drain();
    this.committing.length = 0;
    const gate = await this.commitAcknowledged();
    await this.offsets.saveSnapshot();
    this.lastCommit = Date.now();
    this.sinceCommit = 0;
    return gate;
  }

  /** Writes the offsets of what Kafka acknowledged so far if this runner still owns the task, and tells the task. */
  private async commitAcknowledged(): Promise<'commit' | 'commit-and-stop'> {
    const gate = await checkCommitGate(this.deps.store, this.id);
    if (gate === 'fenced') throw fenced(this.id);
    if (this.pending.size > 0) {
      const began = Date.now();
      const offsets = [...this.pending.values()];
      this.pending = new Map();
      await this.offsets.write((r) => this.producer.send(r), offsets);
      this.meter.commitTook(Date.now() - began);
    }
    // As Connect's commit with nothing new to flush: the task is still told, so what it could
    // not finish at its last commit (a queue's acknowledgements) is tried again.
    await this.task.commit?.();
    this.watch.checked(gate);
    return gate;
  }
}

function latestOffsets(records: readonly SourceRecord[]): { partition: SourcePartition; offset: SourceOffset }[] {
  const m = new Map<string, { partition: SourcePartition; offset: SourceOffset }>();
  for (const r of records) m.set(partitionId(r.sourcePartition), { partition: r.sourcePartition, offset: r.sourceOffset });
  return [...m.values()];
}
