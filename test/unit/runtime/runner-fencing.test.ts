/**
 * The runner's side of fencing on the in-memory store: the check before each commit, and a
 * slice that must not start (fenced, paused, an older generation). Kafka is never reached in
 * these cases; the fake throws if it is.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { KafkaPort } from '../../../lib/kafka/kafka-port.ts';
import { checkCommitGate, type TaskIdentity } from '../../../lib/runtime/task-worker.ts';
import { SliceRunner } from '../../../lib/runtime/slice-runner.ts';
import { MemoryConnectorStore } from '../../../lib/store/memory-connector-store.ts';
import { testRegistry } from '../api/secret-plugin.ts';

const unreachable = new Proxy({}, { get: () => () => { throw new Error('Kafka must not be reached'); } }) as KafkaPort;
const silent = { debug() {}, info() {}, warn() {}, error() {} };

describe('the runner on the in-memory store', () => {
  let store: MemoryConnectorStore;
  const id = (epoch: number, generation = 1): TaskIdentity => ({ connector: 'r', task: 0, epoch, generation, taskCount: 1, connectorConfig: {}, taskConfig: {}, workerId: 'unit-runner' });
  const input = (epoch: number) => ({ connector: 'r', task: 0, epoch, budgetMs: 1_000, idleMs: 100, commitIntervalMs: 1_000, commitMaxRecords: 10 });

  beforeEach(async () => {
    store = new MemoryConnectorStore();
    await store.createConnector({ name: 'r', config: { 'connector.class': 'FileStreamSource', file: '/tmp/none', topic: 't' }, type: 'source', targetState: 'RUNNING', taskConfigs: [{ file: '/tmp/none', topic: 't' }], workerId: 'w' });
  });

  it('commits at its epoch and generation, commits and stops once paused or reconfigured, commits and stops once deleted, and is fenced by a newer epoch', async () => {
    const epoch = await store.claimLease('r', 0, 'exec-1');
    expect(await checkCommitGate(store, id(epoch))).toBe('commit');
    expect(await checkCommitGate(store, id(epoch, 0))).toBe('commit-and-stop');
    const c = (await store.getConnector('r'))!;
    const paused = await store.setTargetState(c, 'PAUSED', { taskCount: 1, workerId: 'w' });
    expect(await checkCommitGate(store, id(epoch))).toBe('commit-and-stop');
    await store.setTargetState(paused, 'RUNNING', { taskCount: 1, workerId: 'w' });
    await store.claimLease('r', 0, 'exec-2');
    expect(await checkCommitGate(store, id(epoch))).toBe('fenced');
    expect(await checkCommitGate(store, id(epoch + 1))).toBe('commit');
    await store.deleteConnector('r');
    expect(await checkCommitGate(store, id(epoch + 1))).toBe('commit-and-stop');
    expect(await checkCommitGate(store, id(epoch))).toBe('fenced');
  });

  it('does not start a slice for a stale epoch or a paused connector, and writes no status for it', async () => {
    const runner = new SliceRunner({ store, kafka: unreachable, registry: testRegistry(), log: silent, workerId: 'unit-runner' });
    const epoch = await store.claimLease('r', 0, 'exec-1');
    await store.claimLease('r', 0, 'exec-2');
    expect(await runner.run(input(epoch))).toMatchObject({ hint: 'fenced', records: 0 });
    const c = (await store.getConnector('r'))!;
    await store.setTargetState(c, 'PAUSED', { taskCount: 1, workerId: 'w' });
    expect(await runner.run(input(epoch + 1))).toMatchObject({ hint: 'stopped', records: 0 });
    expect((await store.getState('r'))?.taskStatuses.map((t) => t.state)).toEqual(['PAUSED']);
  });
});
