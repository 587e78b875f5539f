/**
 * Runs a sink task: fetch its partitions → converters → transforms → put, and at each
 * commit boundary flush, then commit the offsets of consumer group `connect-<name>`.
 *
 * Partitions are shared among tasks deterministically (sorted, task i takes every n-th),
 * and read with a group-less fetch: a slice starting on a cold Lambda never rebalances the
 * group, and commits go in as a simple consumer's would.
 */
import type { AdminPort, FetchedRecord, FetchResult, OutgoingRecord, PartitionReaderPort, ProducerPort, TopicPartitionOffset } from '../kafka/kafka-port.ts';
import type { SinkRecord } from '../plugins/connect-record.ts';
import type { KafkaRecordWriter, PartitionOffsets, RawKafkaRecord, SinkConnector, SinkTask, TopicPartition } from '../plugins/plugin-types.ts';
import { TaskMeters, type TaskMeter } from '../observability/task-meter.ts';
import { initOnce } from './cold-start.ts';
import { ErrorHandler, errorHandlingConfig } from './error-handler.ts';
import { RecordPipeline } from './record-pipeline.ts';
import { isRetriable, TaskConfigError } from './runtime-errors.ts';
import { commitEvery, COMMITS_IN_FLIGHT, fenced, type CommitGate, sleep, TargetWatch, type SliceOptions, type SliceOutcome, type TaskIdentity, type TaskWorker, type WorkerDeps } from './task-worker.ts';

export const sinkGroupId = (connector: string) => `connect-${connector}`;

/**
 * The topics a sink connector consumes: its `topics` list, or the existing topics (internal
 * ones excepted) that `topics.regex` matches in full.
 */
export function subscribedTopics(config: Readonly<Record<string, string>>, existing: readonly string[]): string[] {
  if (config['topics.regex']) {
    const re = new RegExp(`^(?:${config['topics.regex']})$`);
    return existing.filter((t) => re.test(t) && !t.startsWith('__'));
  }
  return (config.topics ?? '').split(',').map((t) => t.trim()).filter(Boolean);
}
const tpKey = (t: string, p: number) => `${t}:${p}`;
/**
 * The most records converted and put in one go. Conversion is synchronous, so between chunks
 * the event loop turns and the commits under way make progress; with whole fetches (tens of
 * thousands of records) each of a commit's round trips waited for one.
 */
const CHUNK_RECORDS = 2048;

/** What a commit found at the gate: go on, or stop after it (paused, stopped, reconfigured, deleted). */
type CommitVerdict = 'commit' | 'commit-and-stop';

/** A commit whose flush is done: what it covers, and its fencing check under way. */
interface FlushedCommit {
  readonly began: number;
  readonly safe: PartitionOffsets;
  readonly dlq: OutgoingRecord[];
  readonly gate: Promise<CommitGate>;
}

interface PendingFetch {
  /** The task's rewind count when the fetch was sent. */
  readonly generation: number;
  readonly request: Promise<FetchResult>;
}

export class SinkTaskWorker implements TaskWorker {
  private task!: SinkTask;
  private reader!: PartitionReaderPort;
  private admin!: AdminPort;
  private pipeline!: RecordPipeline;
  private readonly errors: ErrorHandler;
  private assignment: TopicPartition[] = [];
  /** Next offset to fetch, per partition. */
  private positions = new Map<string, TopicPartitionOffset>();
  /** Next offset after what was handed to `put`, i.e. what a commit may cover after flush. */
  private consumed = new Map<string, TopicPartitionOffset>();
  private committed = new Map<string, number>();
  private lastCommit = Date.now();
  /** Records put since the last commit began. */
  private sinceCommit = 0;
  private readonly watch: TargetWatch;
  private commitRequested = false;
  /** Counts the task's seeks (context.offset); a fetch begun before one is stale. */
  private rewinds = 0;
  /** The first fetch, sent as start() ends so that it overlaps the runner's status write; the first slice takes it. */
  private firstFetch: PendingFetch | undefined;
  /**
   * The producer behind the task's record writer and its dead letter queue, opened on first use
   * and kept until stop: a connection, metadata and a producer id are worth keeping, or a commit
   * with DLQ records would pay for them each time. A failed opening is tried again at next use.
   */
  private readonly openProducer = initOnce(async () => (this.producer = await this.deps.kafka.producer()));
  /** The producer once opened, for stop to close. */
  private producer: ProducerPort | undefined;
  private readonly reportTopics = new Set<string>();
  private readonly meter: TaskMeter;

  constructor(
    private readonly id: TaskIdentity,
    private readonly deps: WorkerDeps,
  ) {
    this.meter = (deps.meters ?? new TaskMeters()).forTask(id.connector, id.task, 'sink');
    this.errors = new ErrorHandler(errorHandlingConfig(id.connectorConfig), { connector: id.connector, task: id.task, log: deps.log, meter: this.meter });
    this.watch = new TargetWatch(deps.store, id);
  }

  async start(): Promise<void> {
    const { registry, kafka } = this.deps;
    const cls = this.id.connectorConfig['connector.class'] ?? '';
    const descriptor = registry.find(cls, ['sink']);
    if (!descriptor) throw new TaskConfigError(`Failed to find any class that implements SinkConnector and which name matches ${cls}`);
    this.task = (descriptor.create() as SinkConnector).createTask();
    this.pipeline = new RecordPipeline(registry, this.id.connectorConfig, this.errors);
    this.admin = await kafka.admin();
    this.reader = await kafka.reader({ isolation: this.id.connectorConfig['consumer.override.isolation.level'] === 'read_uncommitted' ? 'read_uncommitted' : 'read_committed' });
    this.assignment = await this.assign();
    await this.ensureDlqTopic();
    await this.seekToCommitted();
    await this.task.start(this.id.taskConfig, {
      configs: this.id.taskConfig,
      assignment: () => this.assignment,
      offset: (tp, offset) => {
        this.positions.set(tpKey(tp.topic, tp.partition), { ...tp, offset });
        this.rewinds++;
      },
      requestCommit: () => {
        this.commitRequested = true;
      },
      recordWriter: () => this.recordWriter(),
    });
    await this.task.open?.(this.assignment);
    this.firstFetch = this.fetchFrom([...this.positions.values()], 500);
  }

  /** Fetches from the given positions; the fetch is stale once the task rewinds. */
  private fetchFrom(from: readonly TopicPartitionOffset[], maxWaitMs: number): PendingFetch {
    const generation = this.rewinds;
    const request = this.reader.fetch(from, { maxWaitMs });
    request.catch(() => {}); // awaited by a slice, or dropped at its end
    return { generation, request };
  }

  /**
   * Fetches the next batch while the task puts the current one, so the broker round trip
   * overlaps the work. A commit's flush runs between two puts (the task never sees two calls at
   * once); its fencing check and offset commit then run while the task puts on, so a commit's
   * round trips no longer stall the task. A lost runner still replays at most
   * `commitMaxRecords`: commits follow {@link commitEvery}'s cadence. As in Connect, a rewind
   * (the task's context.offset) takes effect after the fetch being put: the fetch sent before it
   * is dropped.
   */
  async runSlice(opts: SliceOptions): Promise<SliceOutcome> {
    let count = 0;
    let lastData = Date.now();
    const every = commitEvery(opts.commitMaxRecords);
    const fetchNext = (from: readonly TopicPartitionOffset[] = [...this.positions.values()]) => this.fetchFrom(from, Math.min(500, Math.max(10, opts.deadline - Date.now())));
    let inflight = this.firstFetch ?? fetchNext();
    this.firstFetch = undefined;
    /** Commits under way, oldest first; each sends its offsets after the one before it. */
    const committing: Promise<CommitVerdict>[] = [];
    /** Waits for the commits under way, or all but `keep` of them; a failure fails the slice. */
    const settle = async (keep = 0): Promise<CommitVerdict> => {
      let verdict: CommitVerdict = 'commit';
      while (committing.length > keep) if ((await committing.shift()) === 'commit-and-stop') verdict = 'commit-and-stop';
      return verdict;
    };
    /** Flushes and begins a commit once there is room for it; 'commit-and-stop' when an earlier one found the task must stop. */
    const startCommit = async (): Promise<CommitVerdict> => {
      if ((await settle(COMMITS_IN_FLIGHT - 1)) === 'commit-and-stop') return 'commit-and-stop';
      const flushed = await this.flushForCommit();
      const pending = this.completeCommit(flushed, committing.at(-1));
      pending.catch(() => {}); // awaited by settle(), or after the failure that ends the slice
      committing.push(pending);
      return 'commit';
    };
    /** Stops after a commit found the task paused, stopped or gone: what was put since is committed too. */
    const stopped = async (): Promise<SliceOutcome> => {
      await inflight.request.catch(() => {});
      await settle();
      if (this.sinceCommit > 0) await this.commit();
      return { hint: 'stopped', records: count };
    };
    const end = async (hint: 'continue' | 'idle' | 'stopped') => {
      await inflight.request.catch(() => {});
      if ((await settle()) === 'commit-and-stop') return stopped();
      return this.finish(hint, count);
    };
    try {
      for (;;) {
        if (opts.shouldStop()) return await end('stopped');
        if (Date.now() >= opts.deadline) return await end('continue');
        const { records: fetched, next, ends } = await inflight.request;
        const generation = inflight.generation;
        if (generation !== this.rewinds) {
          inflight = fetchNext();
          continue;
        }
        this.meter.count('recordsIn', fetched.length);
        // `next` has every position this fetch asked for, advanced past what it returned.
        inflight = fetchNext(next);
        for (const n of next) this.positions.set(tpKey(n.topic, n.partition), n);
        // A fetch can hold tens of thousands of records: put them in chunks that end where a
        // commit falls due, and begin it there.
        let from = 0;
        while (from < fetched.length) {
          const chunk = fetched.slice(from, from + Math.min(CHUNK_RECORDS, Math.max(1, every - this.sinceCommit)));
          const batch = await this.pipeline.fromKafkaBatch(chunk);
          from += chunk.length;
          lastData = Date.now();
          if (batch.length) await this.put(batch);
          count += chunk.length;
          this.sinceCommit += chunk.length;
          this.meter.count('recordsOut', batch.length);
          if (from < fetched.length) {
            this.markConsumed(chunk);
            if (this.sinceCommit >= every && (await startCommit()) === 'commit-and-stop') return await stopped();
          }
        }
        for (const n of next) this.consumed.set(tpKey(n.topic, n.partition), n);
        for (const e of ends ?? []) this.meter.setLag(e.topic, e.partition, e.offset - (this.consumed.get(tpKey(e.topic, e.partition))?.offset ?? e.offset));
        // Caught up (the fetch came back empty): commit now and wait for it, so a runner lost
        // while idle replays nothing.
        const caughtUp = fetched.length === 0 && this.sinceCommit > 0;
        if (caughtUp || this.commitRequested || this.sinceCommit >= every || Date.now() - this.lastCommit >= opts.commitIntervalMs) {
          if ((await startCommit()) === 'commit-and-stop') return await stopped();
          if (fetched.length === 0 && (await settle()) === 'commit-and-stop') return await stopped();
        } else if (await this.watch.shouldStop()) {
          return await end('stopped');
        }
        if (fetched.length === 0 && Date.now() - lastData >= opts.idleMs) return await end(count > 0 ? 'continue' : 'idle');
      }
    } catch (e) {
      await Promise.allSettled(committing);
      throw e;
    }
  }

  /** Marks records as handed to `put`: per partition, the offset after its last record. */
  private markConsumed(records: readonly FetchedRecord[]): void {
    let last: FetchedRecord | undefined;
    const mark = (r: FetchedRecord) => this.consumed.set(tpKey(r.topic, r.partition), { topic: r.topic, partition: r.partition, offset: r.offset + 1 });
    // A fetch holds each partition's records in a run, in offset order.
    for (const r of records) {
      if (last && (r.partition !== last.partition || r.topic !== last.topic)) mark(last);
      last = r;
    }
    if (last) mark(last);
  }

  lookAgain(): void {
    this.watch.expire();
  }

  async stop(opts: { commit: boolean }): Promise<void> {
    try {
      if (opts.commit) await this.commit();
    } finally {
      await this.task?.close?.(this.assignment);
      await this.task?.stop();
      this.pipeline?.close();
      await this.reader?.close();
      await this.admin?.close();
      await this.producer?.close();
    }
  }

  private recordWriter(): KafkaRecordWriter {
    return {
      write: async (records: readonly RawKafkaRecord[]) => {
        if (records.length === 0) return;
        const missing = [...new Set(records.map((r) => r.topic))].filter((t) => !this.reportTopics.has(t));
        if (missing.length) {
          await this.admin.createTopics(missing.map((topic) => ({ topic })));
          for (const t of missing) this.reportTopics.add(t);
        }
        await (await this.openProducer()).send(records);
      },
    };
  }

  private async finish(hint: 'continue' | 'idle' | 'stopped', records: number): Promise<SliceOutcome> {
    const gate = await this.commit();
    return { hint: gate === 'commit-and-stop' ? 'stopped' : hint, records };
  }

  /** put, retrying while the task throws retriable errors (Connect's RetriableException). */
  private async put(batch: SinkRecord[]): Promise<void> {
    let delay = 200;
    for (;;) {
      try {
        await this.task.put(batch);
        return;
      } catch (e) {
        if (!isRetriable(e)) throw e;
        await sleep(delay);
        delay = Math.min(delay * 2, 10_000);
      }
    }
  }

  /** Flushes, then commits (see flushForCommit and completeCommit); at a slice's end or a stop, so the gate is read afresh. */
  private async commit(): Promise<CommitVerdict> {
    return await this.completeCommit(await this.flushForCommit(true));
  }

  /**
   * A commit's part on the task: takes what it covers (offsets, DLQ records, the record count)
   * and flushes. The fencing check reads the store meanwhile (both are waits), unless one did
   * within the last second and `fresh` is not asked for (see TargetWatch.commitGate).
   */
  private async flushForCommit(fresh = false): Promise<FlushedCommit> {
    const began = Date.now();
    this.commitRequested = false;
    this.sinceCommit = 0;
    this.lastCommit = began;
    const offsets: PartitionOffsets = new Map([...this.consumed].map(([k, v]) => [k, { ...v }]));
    const dlq = this.errors.takeDlqRecords();
    const gate = this.watch.commitGate(fresh);
    gate.catch(() => {}); // awaited by completeCommit unless the flush fails
    const safe = this.task.preCommit ? await this.task.preCommit(offsets) : (await this.task.flush?.(offsets), offsets);
    return { began, safe, dlq, gate };
  }

  /** A commit's part off the task: sends DLQ records, then commits the group's offsets if not fenced. */
  private async completeCommit({ began, safe, dlq, gate: gateCheck }: FlushedCommit, after?: Promise<CommitVerdict>): Promise<CommitVerdict> {
    // Offsets go to Kafka in the order they were flushed; a failed commit fails those after it.
    await after;
    if (dlq.length) {
      await (await this.openProducer()).send(dlq);
      this.meter.count('dlq', dlq.length);
    }
    const gate = await gateCheck;
    if (gate === 'fenced') throw fenced(this.id);
    const changed = [...safe.values()].filter((o) => this.committed.get(tpKey(o.topic, o.partition)) !== o.offset);
    if (changed.length) {
      await this.admin.commitOffsets(sinkGroupId(this.id.connector), changed);
      for (const o of changed) this.committed.set(tpKey(o.topic, o.partition), o.offset);
      this.meter.commitTook(Date.now() - began);
    }
    return gate;
  }

  /** This task's share of the subscribed partitions: every n-th of them, sorted. */
  private async assign(): Promise<TopicPartition[]> {
    const cfg = this.id.connectorConfig;
    const topics = subscribedTopics(cfg, cfg['topics.regex'] ? await this.admin.listTopics() : []);
    if (!cfg['topics.regex']) await this.admin.createTopics(topics.map((topic) => ({ topic })));
    const all: TopicPartition[] = [];
    for (const topic of topics.sort()) for (const partition of await this.admin.partitions(topic)) all.push({ topic, partition });
    return all.filter((_, i) => i % this.id.taskCount === this.id.task);
  }

  /**
   * Creates the dead letter queue topic if it is missing, as Connect does. Without an explicit
   * replication factor the broker's default applies (Connect's 3 fails on small clusters).
   */
  private async ensureDlqTopic(): Promise<void> {
    const topic = (this.id.connectorConfig['errors.deadletterqueue.topic.name'] ?? '').trim();
    if (!topic) return;
    const rf = this.id.connectorConfig['errors.deadletterqueue.topic.replication.factor'];
    await this.admin.createTopics([{ topic, replicationFactor: rf === undefined ? -1 : Number(rf) }]);
  }

  private async seekToCommitted(): Promise<void> {
    const topics = [...new Set(this.assignment.map((a) => a.topic))];
    const committed = topics.length ? await this.admin.committedOffsets(sinkGroupId(this.id.connector), topics) : [];
    const reset = this.id.connectorConfig['consumer.override.auto.offset.reset'] ?? 'earliest';
    for (const tp of this.assignment) {
      const c = committed.find((o) => o.topic === tp.topic && o.partition === tp.partition);
      let offset = c && c.offset >= 0 ? c.offset : -1;
      if (offset < 0) {
        const w = (await this.admin.watermarks(tp.topic)).find((x) => x.partition === tp.partition);
        offset = reset === 'latest' ? (w?.high ?? 0) : (w?.low ?? 0);
      } else {
        this.committed.set(tpKey(tp.topic, tp.partition), offset);
      }
      const pos = { topic: tp.topic, partition: tp.partition, offset };
      this.positions.set(tpKey(tp.topic, tp.partition), pos);
      this.consumed.set(tpKey(tp.topic, tp.partition), pos);
    }
  }
}
