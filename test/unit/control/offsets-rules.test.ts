/**
 * The rules of altering and resetting offsets (OffsetsService) on the in-memory store: only a
 * STOPPED connector's offsets change, bad offsets are refused with Connect's messages, and a
 * refused request neither fences the runners nor reaches Kafka (the fake throws if it is).
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { BadRequestError, NotFoundError } from '../../../lib/control/control-errors.ts';
import { OffsetsService } from '../../../lib/control/offsets-service.ts';
import type { KafkaPort } from '../../../lib/kafka/kafka-port.ts';
import { MemoryConnectorStore } from '../../../lib/store/memory-connector-store.ts';
import { testRegistry } from '../api/secret-plugin.ts';

const unreachable = new Proxy({}, { get: () => () => { throw new Error('Kafka must not be reached'); } }) as KafkaPort;

describe('offsets alter/reset rules on the in-memory store', () => {
  let store: MemoryConnectorStore;
  let offsets: OffsetsService;

  beforeEach(async () => {
    store = new MemoryConnectorStore();
    offsets = new OffsetsService({ store, kafka: unreachable, registry: testRegistry() });
    await store.createConnector({ name: 'running-sink', config: { 'connector.class': 'FileStreamSink', topics: 't' }, type: 'sink', targetState: 'RUNNING', taskConfigs: [{}], workerId: 'w' });
    await store.createConnector({ name: 'stopped-sink', config: { 'connector.class': 'FileStreamSink', topics: 't' }, type: 'sink', targetState: 'STOPPED', taskConfigs: [], workerId: 'w' });
    await store.createConnector({ name: 'stopped-source', config: { 'connector.class': 'FileStreamSource', topic: 't' }, type: 'source', targetState: 'STOPPED', taskConfigs: [], workerId: 'w' });
    await store.claimLease('running-sink', 0, 'exec');
    await store.claimLease('stopped-sink', 0, 'exec');
  });

  it('answers 404 for an unknown connector and 400 unless the connector is STOPPED, fencing nobody', async () => {
    await expect(offsets.alter('nothing', [{ partition: { kafka_topic: 't', kafka_partition: 0 }, offset: null }])).rejects.toBeInstanceOf(NotFoundError);
    await expect(offsets.reset('nothing')).rejects.toBeInstanceOf(NotFoundError);
    await expect(offsets.alter('running-sink', [{ partition: { kafka_topic: 't', kafka_partition: 0 }, offset: { kafka_offset: 1 } }])).rejects.toThrow(/must be in the STOPPED state/);
    await expect(offsets.reset('running-sink')).rejects.toThrow(/must be in the STOPPED state/);
    expect(await store.getLease('running-sink', 0)).toMatchObject({ epoch: 1, owner: 'exec' });
  });

  it.each([
    ['no offsets at all', [], /Partitions \/ offsets need to be provided/],
    ['a null partition', [{ partition: null, offset: null }], /cannot be null or missing/],
    ['a partition without kafka_topic', [{ partition: { kafka_partition: 0 }, offset: null }], /must contain the keys 'kafka_topic' and 'kafka_partition'/],
    ['a negative partition', [{ partition: { kafka_topic: 't', kafka_partition: -1 }, offset: null }], /Partition values for sink connectors need to be integers/],
    ['a fractional offset', [{ partition: { kafka_topic: 't', kafka_partition: 0 }, offset: { kafka_offset: 1.5 } }], /need to be non-negative integers/],
    ['an offset beyond a safe integer', [{ partition: { kafka_topic: 't', kafka_partition: 0 }, offset: { kafka_offset: 1e30 } }], /need to be non-negative integers/],
    ['an offset without kafka_offset', [{ partition: { kafka_topic: 't', kafka_partition: 0 }, offset: { position: 3 } }], /should either be null or contain the key 'kafka_offset'/],
  ])('refuses %s for a sink with Connect\'s 400, leaving the lease alone', async (_what, entries, message) => {
    const error = await offsets.alter('stopped-sink', entries as never).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BadRequestError);
    expect((error as Error).message).toMatch(message);
    expect(await store.getLease('stopped-sink', 0)).toMatchObject({ epoch: 1, owner: 'exec' });
  });

  it('refuses source offsets holding nested values', async () => {
    await expect(offsets.alter('stopped-source', [{ partition: { filename: '/f' }, offset: { position: [1] } }])).rejects.toThrow(/may only contain primitive types as values, but field position contains ARRAY/);
    await expect(offsets.alter('stopped-source', [{ partition: { filename: { x: 1 } }, offset: null }])).rejects.toThrow(/field filename contains MAP/);
  });
});
