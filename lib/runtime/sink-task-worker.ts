/**
 * Runs a sink task: fetch its partitions → converters → transforms → put, and at each
 * commit boundary flush, then commit the offsets of consumer group `connect-<name>`.
 *
 * Partitions are shared among tasks deterministically (sorted, task i takes every n-th),
 * and read with a group-less fetch: a slice starting on a cold Lambda never rebalances the
 * group, and commits go in as a simple consumer's would.
 */
import type { AdminPort, FetchedRecord, FetchResult, PartitionReaderPort, ProducerPort, TopicPartitionOffset } from '../kafka/kafka-port.ts';
import type { SinkRecord } from '../plugins/connect-record.ts';
import type { KafkaRecordWriter, PartitionOffsets, RawKafkaRecord, SinkConnector, SinkTask, TopicPartition } from '../plugins/plugin-types.ts';
import { TaskMeters, type TaskMeter } from '../observability/task-meter.ts';
import { initOnce } from './cold-start.ts';
import { ErrorHandler, errorHandlingConfig } from './error-handler.ts';
import { RecordPipeline } from './record-pipeline.ts';
import { isRetriable, TaskConfigError } from './runtime-errors.ts';
import { checkCommitGate, fenced, sleep, TargetWatch, type SliceOptions, type SliceOutcome, type TaskIdentity, type TaskWorker, type WorkerDeps } from './task-worker.ts';

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

/** What a commit found at the gate: go on, or stop after it (paused, stopped, reconfigured, deleted). */
type CommitVerdict = 'commit' | 'commit-and-stop';

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
   * overlaps the work, and converts the next records while a commit is under way; they are
   * put once it is done, so the task never runs two calls at once and a commit still bounds
   * what a lost runner replays. Records fetched or converted before the task rewound a
   * partition are dropped.
   */
  async runSlice(opts: SliceOptions): Promise<SliceOutcome> {
    let count = 0;
    let lastData = Date.now();
    const fetchNext = (from: readonly TopicPartitionOffset[] = [...this.positions.values()]) => this.fetchFrom(from, Math.min(500, Math.max(10, opts.deadline - Date.now())));
    let inflight = this.firstFetch ?? fetchNext();
    this.firstFetch = undefined;
    let committing: Promise<CommitVerdict> | undefined;
    const startCommit = () => {
      committing = this.commit();
      committing.catch(() => {}); // awaited by settle(), or after the failure that ends the slice
    };
    /** Waits for the commit under way, if any; its failure fails the slice. */
    const settle = async (): Promise<CommitVerdict> => {
      const pending = committing;
      committing = undefined;
      return pending ? await pending : 'commit';
    };
    const stopped = async (): Promise<SliceOutcome> => {
      await inflight.request.catch(() => {});
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
        // A fetch can hold tens of thousands of records: put them in chunks that end where the
        // record bound falls due, and commit there, so a lost runner replays at most the bound.
        let from = 0;
        do {
          const chunk = fetched.slice(from, from + Math.max(1, opts.commitMaxRecords - this.sinceCommit));
          const batch = await this.pipeline.fromKafkaBatch(chunk);
          if ((await settle()) === 'commit-and-stop') return await stopped();
          if (from === 0) {
            // The task rewound while the commit ran: this fetch (and the one after it) are stale.
            if (generation !== this.rewinds) break;
            for (const n of next) this.positions.set(tpKey(n.topic, n.partition), n);
          }
          if (chunk.length === 0) break;
          from += chunk.length;
          lastData = Date.now();
          if (batch.length) await this.put(batch);
          count += chunk.length;
          this.sinceCommit += chunk.length;
          this.meter.count('recordsOut', batch.length);
          if (from < fetched.length) {
            this.markConsumed(chunk);
            if (this.sinceCommit >= opts.commitMaxRecords) startCommit();
          }
        } while (from < fetched.length);
        if (from === 0 && generation !== this.rewinds) continue;
        for (const n of next) this.consumed.set(tpKey(n.topic, n.partition), n);
        for (const e of ends ?? []) this.meter.setLag(e.topic, e.partition, e.offset - (this.consumed.get(tpKey(e.topic, e.partition))?.offset ?? e.offset));
        // Caught up (the fetch came back empty): commit now, so a runner lost while idle replays
        // nothing. Otherwise the commit runs while the next fetch is converted.
        const caughtUp = fetched.length === 0 && this.sinceCommit > 0;
        if (caughtUp || this.commitRequested || this.sinceCommit >= opts.commitMaxRecords || Date.now() - this.lastCommit >= opts.commitIntervalMs) {
          startCommit();
          if (fetched.length === 0 && (await settle()) === 'commit-and-stop') return await stopped();
        } else if (await this.watch.shouldStop()) {
          return await end('stopped');
        }
        if (fetched.length === 0 && Date.now() - lastData >= opts.idleMs) return await end(count > 0 ? 'continue' : 'idle');
      }
    } catch (e) {
      await committing?.catch(() => {});
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

  /**
   * Flushes the task, sends DLQ records, then commits the group's offsets if not fenced. What
   * it covers (offsets, DLQ records, the record count) is taken when it is called, so records
   * converted while it runs wait for the next one.
   */
  private async commit(): Promise<CommitVerdict> {
    const began = Date.now();
    this.commitRequested = false;
    this.sinceCommit = 0;
    this.lastCommit = began;
    const offsets: PartitionOffsets = new Map([...this.consumed].map(([k, v]) => [k, { ...v }]));
    const dlq = this.errors.takeDlqRecords();
    // The fencing check reads the store while the task flushes (both are waits); the offsets
    // still go to Kafka only once the flush is done and the check has passed.
    const gateCheck = checkCommitGate(this.deps.store, this.id);
    gateCheck.catch(() => {}); // awaited below unless the flush fails
    const safe = this.task.preCommit ? await this.task.preCommit(offsets) : (await this.task.flush?.(offsets), offsets);
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
    this.watch.checked();
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
