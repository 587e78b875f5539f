/**
 * The sink loop on in-memory twins of Kafka and the store: it converts the next records while
 * a commit runs, and these tests pin what that must not change. The task never sees two calls
 * at once, a commit never covers more than was flushed, what a lost runner would replay stays
 * within `commitMaxRecords`, and a rewind during a flush still refetches from the rewound offset.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { AdminPort, FetchedRecord, KafkaPort, PartitionReaderPort, TopicPartitionOffset } from '../../../lib/kafka/kafka-port.ts';
import type { SinkRecord } from '../../../lib/plugins/connect-record.ts';
import { PluginRegistry } from '../../../lib/plugins/plugin-registry.ts';
import type { PartitionOffsets, SinkConnector, SinkTask, SinkTaskContext } from '../../../lib/plugins/plugin-types.ts';
import { builtinConverters } from '../../../lib/converters/index.ts';
import { SinkTaskWorker } from '../../../lib/runtime/sink-task-worker.ts';
import type { SliceOptions, TaskIdentity } from '../../../lib/runtime/task-worker.ts';
import { MemoryConnectorStore } from '../../../lib/store/memory-connector-store.ts';
import { leasedTask, sliceOptions } from './worker-fixture.ts';

const TOPIC = 'in';
const PARTITIONS = 2;
const silent = { debug() {}, info() {}, warn() {}, error() {} };
const tick = () => new Promise<void>((r) => setImmediate(r));
const key = (partition: number) => `${TOPIC}:${partition}`;
/** The group's committed offset per partition after these commits (a commit names only the partitions that moved). */
const committedAfter = (commits: readonly TopicPartitionOffset[][]) => new Map(commits.flat().map((o) => [o.partition, o.offset]));

/** A topic of `perPartition` records per partition, read `perFetch` records per partition at a time. */
function kafkaTwin(perPartition: number, perFetch: number) {
  const commits: TopicPartitionOffset[][] = [];
  const checks: { onCommit?: (offsets: readonly TopicPartitionOffset[]) => void } = {};
  const reader: PartitionReaderPort = {
    async fetch(positions) {
      await tick();
      const records: FetchedRecord[] = [];
      const next = positions.map((p) => {
        const end = Math.min(perPartition, p.offset + perFetch);
        for (let offset = p.offset; offset < end; offset++) {
          records.push({ topic: TOPIC, partition: p.partition, offset, key: null, value: Buffer.from(`${p.partition}-${offset}`), headers: [], timestamp: 0 });
        }
        return { ...p, offset: Math.max(p.offset, end) };
      });
      return { records, next, ends: positions.map((p) => ({ ...p, offset: perPartition })) };
    },
    async close() {},
  };
  const admin: Partial<AdminPort> = {
    listTopics: async () => [TOPIC],
    createTopics: async () => {},
    partitions: async () => [...Array(PARTITIONS).keys()],
    watermarks: async () => [...Array(PARTITIONS).keys()].map((partition) => ({ partition, low: 0, high: perPartition })),
    committedOffsets: async () => [],
    commitOffsets: async (_group, offsets) => {
      await tick();
      checks.onCommit?.(offsets);
      commits.push([...offsets]);
    },
    close: async () => {},
  };
  const kafka = {
    reader: async () => reader,
    admin: async () => admin as AdminPort,
    producer: async () => {
      throw new Error('no producer in these tests');
    },
    close: async () => {},
  } as unknown as KafkaPort;
  return { kafka, commits, checks };
}

/** A sink that keeps what it was given and checks the contract the runtime owes it. */
class RecordingTask implements SinkTask {
  static last: RecordingTask;
  readonly put_: SinkRecord[] = [];
  /** Per partition, the offset after the last record a finished flush made durable. */
  readonly durable = new Map<string, number>();
  busy = false;
  context!: SinkTaskContext;
  onFlush: ((task: RecordingTask) => void) | undefined;
  constructor() {
    RecordingTask.last = this;
  }
  version() {
    return '1';
  }
  start(_props: unknown, context: SinkTaskContext) {
    this.context = context;
  }
  async put(records: readonly SinkRecord[]) {
    expect(this.busy, 'put while another call runs').toBe(false);
    this.busy = true;
    await tick();
    this.put_.push(...records);
    this.busy = false;
  }
  async flush(offsets: PartitionOffsets) {
    expect(this.busy, 'flush while another call runs').toBe(false);
    this.busy = true;
    await new Promise((r) => setTimeout(r, 2));
    this.onFlush?.(this);
    for (const [k, o] of offsets) this.durable.set(k, o.offset);
    this.busy = false;
  }
  stop() {}
}

const sinkPlugin = {
  className: 'com.example.RecordingSink',
  type: 'sink' as const,
  version: '1',
  create: (): SinkConnector => ({ type: 'sink', version: () => '1', start() {}, stop() {}, taskConfigs: () => [{}], config: () => undefined as never, createTask: () => new RecordingTask() }) as unknown as SinkConnector,
};

describe('the sink loop', () => {
  let store: MemoryConnectorStore;
  let id: TaskIdentity;
  const config = { 'connector.class': 'com.example.RecordingSink', topics: TOPIC, 'value.converter': 'org.apache.kafka.connect.storage.StringConverter', 'key.converter': 'org.apache.kafka.connect.storage.StringConverter' };
  const slice = (over: Partial<SliceOptions> = {}) => sliceOptions(250, over);

  beforeEach(async () => {
    store = new MemoryConnectorStore();
    id = await leasedTask(store, 's', 'sink', config);
  });

  const worker = (kafka: KafkaPort) => new SinkTaskWorker(id, { kafka, store, registry: new PluginRegistry().register(...builtinConverters, sinkPlugin), log: silent });

  it('puts every record once, in order, commits only what a flush made durable, and keeps the replay bound', async () => {
    const { kafka, commits, checks } = kafkaTwin(2_000, 300);
    checks.onCommit = (offsets) => {
      const task = RecordingTask.last;
      for (const o of offsets) expect(o.offset, `commit of ${o.partition} past the flush`).toBeLessThanOrEqual(task.durable.get(key(o.partition)) ?? 0);
    };
    const w = worker(kafka);
    await w.start();
    const task = RecordingTask.last;
    const put = task.put.bind(task);
    task.put = async (records) => {
      // Put but not yet committed, this batch included: what a runner lost now would replay.
      const committed = committedAfter(commits);
      const uncommitted = task.put_.filter((r) => r.kafkaOffset >= (committed.get(r.kafkaPartition) ?? 0)).length + records.length;
      expect(uncommitted).toBeLessThanOrEqual(250);
      await put(records);
    };
    expect((await w.runSlice(slice())).hint).toBe('continue');
    for (let p = 0; p < PARTITIONS; p++) {
      expect(task.put_.filter((r) => r.kafkaPartition === p).map((r) => r.kafkaOffset)).toEqual([...Array(2_000).keys()]);
    }
    expect(commits.length).toBeGreaterThanOrEqual(16);
    expect([...committedAfter(commits)].sort()).toEqual([[0, 2_000], [1, 2_000]]);
    await w.stop({ commit: true });
  });

  it('refetches from the offset a task rewinds to during a flush, the records converted meanwhile dropped', async () => {
    const { kafka } = kafkaTwin(1_000, 200);
    const w = worker(kafka);
    await w.start();
    const task = RecordingTask.last;
    let rewound = false;
    task.onFlush = (t) => {
      if (rewound || t.put_.length < 800) return;
      rewound = true;
      t.context.offset({ topic: TOPIC, partition: 0 }, 100);
    };
    // One fetch, one chunk, one commit: the next fetch is converted while the commit's flush rewinds.
    await w.runSlice(slice({ commitMaxRecords: 400 }));
    expect(rewound).toBe(true);
    const p0 = task.put_.filter((r) => r.kafkaPartition === 0).map((r) => r.kafkaOffset);
    const at = p0.findIndex((o, i) => i > 0 && o < (p0[i - 1] ?? 0));
    expect(p0[at]).toBe(100);
    expect(p0.slice(at)).toEqual([...Array(900).keys()].map((i) => i + 100));
    expect(p0.slice(0, at)).toEqual([...Array(at).keys()]);
    // The other partition lost nothing and got nothing twice.
    expect(task.put_.filter((r) => r.kafkaPartition === 1).map((r) => r.kafkaOffset)).toEqual([...Array(1_000).keys()]);
    await w.stop({ commit: true });
  });

  it('reads its store for the fencing check about once a second, however often it commits', async () => {
    const { kafka, commits } = kafkaTwin(20_000, 300);
    let reads = 0;
    const getRunView = store.getRunView.bind(store);
    store.getRunView = (...args) => {
      reads++;
      return getRunView(...args);
    };
    const w = worker(kafka);
    await w.start();
    const began = Date.now();
    expect((await w.runSlice(slice())).hint).toBe('continue');
    const seconds = (Date.now() - began) / 1000;
    expect(commits.length).toBeGreaterThanOrEqual(160);
    // One per second begun, and the fresh one of the slice's last commit.
    expect(reads).toBeLessThanOrEqual(Math.ceil(seconds) + 1);
    await w.stop({ commit: true });
  });

  it('stops within about a second of a pause, with no record put after the commit that saw it', async () => {
    const { kafka, commits } = kafkaTwin(5_000, 300);
    const w = worker(kafka);
    await w.start();
    const task = RecordingTask.last;
    const put = task.put.bind(task);
    task.put = async (records) => {
      await put(records);
      const c = await store.getConnector('s');
      if (task.put_.length >= 1_000 && c?.targetState === 'RUNNING') await store.setTargetState(c, 'PAUSED', { taskCount: 1, workerId: 'w' });
      // Paused: puts take 20 ms, so the rest of the topic would take longer than the second the pause may go unseen.
      if (c?.targetState !== 'RUNNING') await new Promise((r) => setTimeout(r, 20));
    };
    expect((await w.runSlice(slice())).hint).toBe('stopped');
    const last = committedAfter(commits);
    expect(task.put_.length).toBeLessThan(10_000);
    // Everything put was committed: the commit that saw the pause was the last thing done.
    for (let p = 0; p < PARTITIONS; p++) expect(last.get(p)).toBe(task.put_.filter((r) => r.kafkaPartition === p).length);
    await w.stop({ commit: false });
  });
});
