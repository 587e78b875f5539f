/**
 * The source loop on in-memory twins of Kafka and the store: it polls and sends on while a
 * commit is under way, and these tests pin what that must not change. Every record is sent
 * once and in order, a commit covers only what Kafka acknowledged, and what was sent but not
 * committed (what a lost runner would replay) stays within `commitMaxRecords`, however a
 * task's polls fall against the commit boundaries.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AdminPort, KafkaPort, OutgoingRecord, ProducerPort, WrittenRecord } from '../../../lib/kafka/kafka-port.ts';
import type { SourceRecord } from '../../../lib/plugins/connect-record.ts';
import { PluginRegistry } from '../../../lib/plugins/plugin-registry.ts';
import type { SourceConnector, SourceTask } from '../../../lib/plugins/plugin-types.ts';
import { builtinConverters } from '../../../lib/converters/index.ts';
import { SourceTaskWorker } from '../../../lib/runtime/source-task-worker.ts';
import { TARGET_CHECK_MS, type SliceOptions, type TaskIdentity } from '../../../lib/runtime/task-worker.ts';
import { MemoryConnectorStore } from '../../../lib/store/memory-connector-store.ts';
import { leasedTask, sliceOptions } from './worker-fixture.ts';

const TOPIC = 'out';
const OFFSETS = 'offsets';
const silent = { debug() {}, info() {}, warn() {}, error() {} };
const later = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * A broker that takes each request a few milliseconds after it was sent, one request at a time
 * as the idempotent producer sends them. It keeps what the loop owes its invariants: the
 * records begun, and the position the last acknowledged offsets record names (what a
 * restarted task would resume from).
 */
function kafkaTwin() {
  const seen = { sent: [] as number[], committed: 0, worstUncommitted: 0, dataOnWire: 0, commitsBehindData: 0, commits: 0 };
  let queue = Promise.resolve();
  const producer: ProducerPort = {
    async send(records: readonly OutgoingRecord[]): Promise<WrittenRecord[]> {
      const data = records.filter((r) => r.topic === TOPIC).map((r) => Number(r.value?.toString()));
      const offsets = records.filter((r) => r.topic === OFFSETS);
      if (data.length) {
        seen.sent.push(...data);
        seen.worstUncommitted = Math.max(seen.worstUncommitted, Math.max(...data) + 1 - seen.committed);
      }
      if (data.length) seen.dataOnWire++;
      // A commit sent while batches sent after it are on the wire: the loop did not wait for it.
      if (offsets.length && seen.dataOnWire > 0) seen.commitsBehindData++;
      const acked = queue.then(() => later(1 + Math.random() * 3));
      queue = acked;
      await acked;
      if (data.length) seen.dataOnWire--;
      if (offsets.length) {
        seen.commits++;
        seen.committed = (JSON.parse(offsets.at(-1)?.value?.toString() ?? '{}') as { position: number }).position;
      }
      return records.map((r, i) => ({ topic: r.topic, partition: 0, offset: i }));
    },
    inTransaction: () => Promise.reject(new Error('no transactions in these tests')),
    async close() {},
  };
  const admin: Partial<AdminPort> = {
    createTopics: async () => {},
    watermarks: async () => [{ partition: 0, low: 0, high: 0 }],
    close: async () => {},
  };
  const kafka = { producer: async () => producer, admin: async () => admin as AdminPort, reader: async () => ({ close: async () => {} }), close: async () => {} } as unknown as KafkaPort;
  return { kafka, seen };
}

/** Numbers 0 … total-1, `perPoll` at a time; the offset is the position after the record. */
class CountingTask implements SourceTask {
  next = 0;
  constructor(
    private readonly total: number,
    private readonly perPoll: number,
  ) {}
  version() {
    return '1';
  }
  start() {}
  poll(): SourceRecord[] {
    const out: SourceRecord[] = [];
    for (; out.length < this.perPoll && this.next < this.total; this.next++) {
      out.push({ topic: TOPIC, value: String(this.next), sourcePartition: { file: 'numbers' }, sourceOffset: { position: this.next + 1 } });
    }
    return out;
  }
  stop() {}
}

describe('the source loop', () => {
  let store: MemoryConnectorStore;
  let id: TaskIdentity;
  const config = { 'connector.class': 'com.example.Counting', 'offsets.storage.topic': OFFSETS, 'value.converter': 'org.apache.kafka.connect.storage.StringConverter', 'key.converter': 'org.apache.kafka.connect.storage.StringConverter' };
  const slice = (over: Partial<SliceOptions> = {}) => sliceOptions(100, over);

  beforeEach(async () => {
    store = new MemoryConnectorStore();
    id = await leasedTask(store, 'c', 'source', config);
  });

  const worker = (kafka: KafkaPort, task: SourceTask) => {
    const plugin = {
      className: 'com.example.Counting',
      type: 'source' as const,
      version: '1',
      create: (): SourceConnector => ({ type: 'source', version: () => '1', start() {}, stop() {}, taskConfigs: () => [{}], config: () => undefined as never, createTask: () => task }) as unknown as SourceConnector,
    };
    return new SourceTaskWorker(id, { kafka, store, registry: new PluginRegistry().register(...builtinConverters, plugin), log: silent });
  };

  // Polls smaller than, straddling and larger than a third of the bound (the commit cadence).
  it.each([7, 45, 250])('sends every record once, in order, and never has more than the bound uncommitted (polls of %i)', async (perPoll) => {
    const total = 3_000;
    const { kafka, seen } = kafkaTwin();
    const w = worker(kafka, new CountingTask(total, perPoll));
    await w.start();
    expect((await w.runSlice(slice())).hint).toBe('continue');
    expect(seen.sent).toEqual([...Array(total).keys()]);
    // Caught up, the task committed everything: a runner lost now replays nothing.
    expect(seen.committed).toBe(total);
    expect(seen.worstUncommitted).toBeLessThanOrEqual(100);
    // The commits overlapped the sends: the loop did not stop for each of them.
    expect(seen.commits).toBeGreaterThanOrEqual(total / 100);
    expect(seen.commitsBehindData).toBeGreaterThan(seen.commits / 2);
    await w.stop({ commit: true });
  });

  it('stores its offsets snapshot every few seconds, not at every commit, and what is left at its last commit', async () => {
    const { kafka, seen } = kafkaTwin();
    const puts = vi.spyOn(store, 'putOffsetSnapshot');
    const w = worker(kafka, new CountingTask(3_000, 45));
    await w.start();
    const began = Date.now();
    expect((await w.runSlice(slice())).hint).toBe('continue');
    const seconds = (Date.now() - began) / 1000;
    expect(seen.commits).toBeGreaterThanOrEqual(30);
    // The first commit's, one per five seconds after it, and the slice's last.
    expect(puts.mock.calls.length).toBeLessThanOrEqual(2 + Math.floor(seconds / 5));
    const snapshot = (await store.getOffsetSnapshots('c')).get('task-0');
    const stored = Object.values(snapshot?.offsets ?? {}).map((raw) => JSON.parse(raw ?? 'null') as { o: { position: number } });
    expect(stored.map((e) => e.o.position)).toEqual([3_000]);
    await w.stop({ commit: true });
  });

  it('sends what one poll returned past a commit boundary in the next batch, and commits it before stopping', async () => {
    const { kafka, seen } = kafkaTwin();
    const task = new CountingTask(1_000, 250);
    const w = worker(kafka, task);
    await w.start();
    let stop = false;
    const run = w.runSlice(slice({ shouldStop: () => stop }));
    while (seen.sent.length < 500) await later(1);
    stop = true;
    expect((await run).hint).toBe('stopped');
    await w.stop({ commit: true });
    // Whatever was polled but not sent is not committed: a new runner polls it again.
    expect(seen.sent).toEqual([...Array(seen.sent.length).keys()]);
    expect(seen.committed).toBe(seen.sent.length);
    expect(task.next).toBeGreaterThanOrEqual(seen.sent.length);
  });

  describe('idle, with its connector deleted', () => {
    // The clock stands still, so only what the test does moves the task's looks at its store.
    afterEach(() => vi.useRealTimers());

    /** An idle slice (everything sent and committed) whose connector was then deleted, and the store reads it makes. */
    async function idleAndDeleted() {
      const { kafka, seen } = kafkaTwin();
      const reads = vi.spyOn(store, 'getRunView');
      const w = worker(kafka, new CountingTask(10, 10));
      await w.start();
      const options = slice({ idleMs: 60_000 });
      vi.useFakeTimers({ toFake: ['Date'] });
      let hint: string | undefined;
      const run = w.runSlice(options).then((o) => (hint = o.hint));
      while (seen.committed < 10) await later(5);
      await store.deleteConnector('c', (await store.getConnector('c'))?.version);
      const before = reads.mock.calls.length;
      await later(300);
      return { w, run, hint: () => hint, readsSince: () => reads.mock.calls.length - before };
    }

    it('looks at its store about once a second, and commits and stops once it sees the delete', async () => {
      const idle = await idleAndDeleted();
      expect(idle.readsSince()).toBe(0);
      expect(idle.hint()).toBeUndefined();
      vi.setSystemTime(Date.now() + TARGET_CHECK_MS);
      expect(await idle.run).toBe('stopped');
      expect(idle.readsSince()).toBeGreaterThan(0);
      await idle.w.stop({ commit: true });
    });

    it('looks at once when told its target changed', async () => {
      const idle = await idleAndDeleted();
      expect(idle.hint()).toBeUndefined();
      idle.w.lookAgain();
      expect(await idle.run).toBe('stopped');
      expect(idle.readsSince()).toBeGreaterThan(0);
      await idle.w.stop({ commit: true });
    });
  });
});
