/**
 * The Kafka port on a real broker, checked with independent clients (the test's own reader and
 * Apache Kafka's command-line tools): transactional fencing, read_committed reads, group-less
 * commits, Java-compatible partitioning, and sends larger than a broker's batch limit.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { resolveJars, KAFKA_BROKER } from '../../../host/maven-resolver.ts';
import type { FetchedRecord, OutgoingRecord, PartitionReaderPort, ProducerPort, TopicPartitionOffset } from '../../../lib/kafka/kafka-port.ts';
import { PlatformaticKafka } from '../../../lib/kafka/platformatic-adapter.ts';
import { testKafka } from '../../support/kafka-helpers.ts';
import { uniqueName } from '../../support/local-host-process.ts';

const run = promisify(execFile);
const kafkaBootstrap = inject('kafkaBootstrap');

const rec = (topic: string, value: string, key: string | null = null): OutgoingRecord => ({ topic, key: key === null ? null : Buffer.from(key), value: Buffer.from(value) });

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

/** Reads partitions through the port until the offsets stop moving; returns the records and the final positions. */
async function readThrough(reader: PartitionReaderPort, start: TopicPartitionOffset[], maxBytesPerPartition?: number): Promise<{ records: FetchedRecord[]; next: TopicPartitionOffset[] }> {
  const records: FetchedRecord[] = [];
  let positions = start;
  for (let idle = 0; idle < 3; ) {
    const r = await reader.fetch(positions, { maxWaitMs: 100, ...(maxBytesPerPartition ? { maxBytesPerPartition } : {}) });
    records.push(...r.records);
    const moved = r.next.some((n) => positions.find((p) => p.topic === n.topic && p.partition === n.partition)?.offset !== n.offset);
    positions = r.next;
    idle = moved ? 0 : idle + 1;
  }
  return { records, next: positions };
}

/** Runs one of Apache Kafka's command-line tools from the broker's jars. */
async function kafkaTool(mainClass: string, args: string[], input?: string): Promise<string> {
  const jars = await resolveJars(KAFKA_BROKER);
  const child = run('java', ['-Xmx256m', '-cp', `${jars}/*`, mainClass, ...args], { maxBuffer: 16 * 1024 * 1024 });
  if (input !== undefined) {
    child.child.stdin?.end(input);
  }
  return (await child).stdout;
}

describe('the Kafka port on @platformatic/kafka', () => {
  const kafka = new PlatformaticKafka({ clientId: 'tributary-test', bootstrapBrokers: [kafkaBootstrap] });
  const check = testKafka(kafkaBootstrap);
  const closers: (() => Promise<void>)[] = [];
  const producer = async (opts: { transactionalId?: string } = {}): Promise<ProducerPort> => {
    const p = await kafka.producer(opts);
    closers.push(() => p.close());
    return p;
  };

  afterAll(async () => {
    for (const close of closers.reverse()) await close().catch(() => {});
    await kafka.close();
    await check.close();
  });

  it('a restarted task reusing its transactional id fences the old producer, whose open transaction is aborted', async () => {
    const topic = uniqueName('fence');
    await check.createTopics([topic]);
    const txId = uniqueName('tributary-task');
    const older = await producer({ transactionalId: txId });
    await older.inTransaction((send) => send([rec(topic, 'old-1')]));

    // The older producer is mid-transaction when the restarted task's producer starts.
    const sent = deferred();
    const release = deferred();
    const open = older.inTransaction(async (send) => {
      await send([rec(topic, 'old-open')]);
      sent.resolve();
      await release.promise;
      return send([rec(topic, 'old-late')]);
    });
    await sent.promise;
    const newer = await producer({ transactionalId: txId });
    release.resolve();
    await expect(open).rejects.toMatchObject({ name: 'KafkaPortError', retriable: false });
    // Once fenced, it never writes again, not even after a newer producer went away.
    await expect(older.inTransaction((send) => send([rec(topic, 'zombie')]))).rejects.toMatchObject({ retriable: false, message: expect.stringMatching(/Fenced/) });
    await expect(older.send([rec(topic, 'zombie')])).rejects.toMatchObject({ retriable: false });

    await newer.inTransaction((send) => send([rec(topic, 'new-1')]));
    await newer.send([rec(topic, 'new-2')]);
    const committed = (await check.snapshot(topic)).map((m) => String(m.value));
    expect(committed).toEqual(['old-1', 'new-1', 'new-2']);
    // The aborted records are in the log, just never visible to read_committed readers.
    const all = (await check.snapshot(topic, { committed: false })).map((m) => String(m.value));
    expect(all).toEqual(expect.arrayContaining(['old-open']));
  });

  it('read_committed reads skip aborted transactions and control records, also one batch per fetch', async () => {
    const topic = uniqueName('isolation');
    await check.createTopics([topic]);
    const a = await producer({ transactionalId: uniqueName('tx-a') });
    const b = await producer({ transactionalId: uniqueName('tx-b') });
    const plain = await producer();
    await a.inTransaction((send) => send([rec(topic, 'c1'), rec(topic, 'c2')]));
    await b.inTransaction(async (send) => {
      await send([rec(topic, 'x1'), rec(topic, 'x2')]);
      throw new Error('abort this one');
    }).catch(() => {});
    await plain.send([rec(topic, 'n1')]);
    // Two transactions interleaved in the log: a's commits, b's aborts.
    const steps = [deferred(), deferred(), deferred()];
    const ta = a.inTransaction(async (send) => {
      await send([rec(topic, 'c3')]);
      steps[0]!.resolve();
      await steps[1]!.promise;
      await send([rec(topic, 'c4')]);
      steps[2]!.resolve();
    });
    const tb = b.inTransaction(async (send) => {
      await steps[0]!.promise;
      await send([rec(topic, 'x3')]);
      steps[1]!.resolve();
      await steps[2]!.promise;
      await send([rec(topic, 'x4')]);
      await ta;
      throw new Error('abort this one too');
    });
    await ta;
    await expect(tb).rejects.toThrow(/abort this one too/);
    await plain.send([rec(topic, 'n2')]);

    const expected = ['c1', 'c2', 'n1', 'c3', 'c4', 'n2'];
    expect((await check.snapshot(topic)).map((m) => String(m.value))).toEqual(expected);
    const [{ high } = { high: 0 }] = await check.watermarks(topic);
    for (const maxBytes of [undefined, 1]) {
      const committed = await kafka.reader({ isolation: 'read_committed' });
      const uncommitted = await kafka.reader({ isolation: 'read_uncommitted' });
      try {
        const start = [{ topic, partition: 0, offset: 0 }];
        const rc = await readThrough(committed, start, maxBytes);
        expect(rc.records.map((r) => String(r.value)), `read_committed, maxBytes ${maxBytes}`).toEqual(expected);
        // Past the last control record: a reader resuming there finds nothing left, and never stalls before it.
        expect(rc.next).toEqual([{ topic, partition: 0, offset: high }]);
        const ru = await readThrough(uncommitted, start, maxBytes);
        expect(ru.records.map((r) => String(r.value)).sort(), `read_uncommitted, maxBytes ${maxBytes}`).toEqual([...expected, 'x1', 'x2', 'x3', 'x4'].sort());
        expect(ru.next).toEqual([{ topic, partition: 0, offset: high }]);
        // The end offset each fetch reports (a sink's lag): the last stable offset under read_committed,
        // the high watermark otherwise; both the log end once no transaction is open.
        for (const reader of [committed, uncommitted]) expect((await reader.fetch(start, { maxWaitMs: 10 })).ends).toEqual([{ topic, partition: 0, offset: high }]);
      } finally {
        await committed.close();
        await uncommitted.close();
      }
    }
  });

  it('group-less offset commits are the group\'s offsets for kafka-consumer-groups --describe', async () => {
    const topic = uniqueName('commits');
    const group = uniqueName('connect-sink');
    await check.createTopics([topic], 2);
    await check.produce(topic, Array.from({ length: 10 }, (_, i) => ({ value: `v${i}`, partition: i % 2 })));
    const admin = await kafka.admin();
    await admin.commitOffsets(group, [
      { topic, partition: 0, offset: 3 },
      { topic, partition: 1, offset: 5 },
    ]);
    expect((await admin.committedOffsets(group, [topic])).sort((x, y) => x.partition - y.partition)).toEqual([
      { topic, partition: 0, offset: 3 },
      { topic, partition: 1, offset: 5 },
    ]);
    const out = await kafkaTool('org.apache.kafka.tools.consumer.group.ConsumerGroupCommand', ['--bootstrap-server', kafkaBootstrap, '--describe', '--group', group]);
    const rows = out
      .split('\n')
      .map((l) => l.trim().split(/\s+/))
      .filter((cols) => cols[0] === group && cols[1] === topic)
      .map((cols) => ({ partition: Number(cols[2]), current: Number(cols[3]), end: Number(cols[4]), lag: Number(cols[5]) }))
      .sort((x, y) => x.partition - y.partition);
    expect(rows).toEqual([
      { partition: 0, current: 3, end: 5, lag: 2 },
      { partition: 1, current: 5, end: 5, lag: 0 },
    ]);
    // A simple consumer's commit leaves no member behind.
    const state = await kafkaTool('org.apache.kafka.tools.consumer.group.ConsumerGroupCommand', ['--bootstrap-server', kafkaBootstrap, '--describe', '--group', group, '--state']);
    expect(state).toMatch(/\bEmpty\b/);
  });

  it('chooses partitions for keys as Java\'s producer does', async () => {
    const [javaTopic, ourTopic] = [uniqueName('java-keys'), uniqueName('our-keys')];
    await check.createTopics([javaTopic, ourTopic], 5);
    const keys = Array.from({ length: 40 }, (_, i) => `key-${i * 7919}`);
    await kafkaTool(
      'org.apache.kafka.tools.ConsoleProducer',
      ['--bootstrap-server', kafkaBootstrap, '--topic', javaTopic, '--property', 'parse.key=true', '--property', 'key.separator=|'],
      keys.map((k) => `${k}|v\n`).join(''),
    );
    const p = await producer();
    const written = await p.send(keys.map((k) => rec(ourTopic, 'v', k)));
    const java = new Map((await check.snapshot(javaTopic)).map((m) => [String(m.key), m.partition]));
    const ours = new Map(keys.map((k, i) => [k, written[i]!.partition]));
    expect(java.size).toBe(keys.length);
    expect(ours).toEqual(java);
    expect(new Set(ours.values()).size).toBeGreaterThan(1);
  });

  it('splits sends over the broker\'s 1 MiB batch limit and reports every record\'s offset', async () => {
    const topic = uniqueName('large');
    await check.createTopics([topic]);
    const value = 'x'.repeat(1000);
    const records = Array.from({ length: 3000 }, (_, i) => rec(topic, `${String(i).padStart(6, '0')}${value}`));
    const idempotent = await producer();
    const written = await idempotent.send(records);
    expect(written.map((w) => w.offset)).toEqual(records.map((_, i) => i));
    const transactional = await producer({ transactionalId: uniqueName('tx-large') });
    const inTx = await transactional.inTransaction((send) => send(records));
    expect(inTx.map((w) => w.offset)).toEqual(records.map((_, i) => 3000 + i));
    const read = await check.snapshot(topic);
    expect(read).toHaveLength(6000);
    expect(read.map((m) => Number(String(m.value).slice(0, 6)))).toEqual([...records.keys(), ...records.keys()]);
  });

  it('reads batches Java\'s producer compressed with gzip, snappy, lz4 and zstd, and LogAppendTime stamps', async () => {
    const codecs = ['gzip', 'snappy', 'lz4', 'zstd'];
    const topics = codecs.map((c) => uniqueName(`codec-${c}`));
    await check.createTopics(topics);
    const lines = Array.from({ length: 500 }, (_, i) => `k${i}|value-${i}-${'z'.repeat(i % 50)}`);
    for (const [i, codec] of codecs.entries()) {
      await kafkaTool(
        'org.apache.kafka.tools.ConsoleProducer',
        ['--bootstrap-server', kafkaBootstrap, '--topic', topics[i]!, '--compression-codec', codec, '--batch-size', '4096', '--property', 'parse.key=true', '--property', 'key.separator=|'],
        lines.map((l) => `${l}\n`).join(''),
      );
    }
    const stamped = uniqueName('log-append-time');
    await kafkaTool('org.apache.kafka.tools.TopicCommand', ['--bootstrap-server', kafkaBootstrap, '--create', '--topic', stamped, '--partitions', '1', '--config', 'message.timestamp.type=LogAppendTime']);
    const before = Date.now();
    await (await producer()).send([rec(stamped, 'a'), { ...rec(stamped, 'b'), timestamp: 1_000 }]);
    const reader = await kafka.reader();
    try {
      for (const topic of topics) {
        // A small byte limit cuts fetches inside batches: the reader must pick up where it stopped.
        const { records } = await readThrough(reader, [{ topic, partition: 0, offset: 0 }], 2048);
        expect(records.map((r) => `${String(r.key)}|${String(r.value)}`), topic).toEqual(lines);
        expect(records.map((r) => r.offset), topic).toEqual(lines.map((_, i) => i));
      }
      const { records } = await readThrough(reader, [{ topic: stamped, partition: 0, offset: 0 }]);
      expect(records.map((r) => String(r.value))).toEqual(['a', 'b']);
      // The broker's append time, for every record of the batch, whatever the producer set.
      for (const r of records) expect(r.timestamp).toBeGreaterThanOrEqual(before - 1000);
      expect(new Set(records.map((r) => r.timestamp)).size).toBe(1);
    } finally {
      await reader.close();
    }
  });

  it('round-trips keys, null values, headers (repeated keys, null values) and timestamps', async () => {
    const topic = uniqueName('shapes');
    await check.createTopics([topic]);
    const p = await producer();
    const headers = [
      { key: 'h', value: Buffer.from('1') },
      { key: 'h', value: Buffer.from('2') },
      { key: 'ünïcode', value: null },
    ];
    await p.send([
      { topic, key: Buffer.from('k1'), value: Buffer.from('v1'), headers, timestamp: 1_700_000_000_123 },
      { topic, key: Buffer.from('k2'), value: null },
      { topic, key: null, value: Buffer.alloc(0) },
    ]);
    const reader = await kafka.reader();
    try {
      const { records } = await readThrough(reader, [{ topic, partition: 0, offset: 0 }]);
      expect(records.map((r) => ({ key: r.key && String(r.key), value: r.value && String(r.value), headers: r.headers.map((h) => ({ key: h.key, value: h.value && String(h.value) })) }))).toEqual([
        { key: 'k1', value: 'v1', headers: [{ key: 'h', value: '1' }, { key: 'h', value: '2' }, { key: 'ünïcode', value: null }] },
        { key: 'k2', value: null, headers: [] },
        { key: null, value: '', headers: [] },
      ]);
      expect(records[0]?.timestamp).toBe(1_700_000_000_123);
      expect(records.map((r) => r.offset)).toEqual([0, 1, 2]);
    } finally {
      await reader.close();
    }
  });
});
