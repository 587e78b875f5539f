/**
 * The behaviour every connector store promises (lib/store/store-ports.ts), as one suite run
 * against each implementation: the DynamoDB store on DynamoDB Local
 * (test/integration/store/dynamo-store-contract.test.ts) and the in-memory store
 * (test/unit/store/memory-store-contract.test.ts). A difference between them fails here.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { ConfigTooLargeError, StoreConflictError } from '../../lib/store/store-errors.ts';
import type { ConnectorConfig } from '../../lib/store/store-model.ts';
import type { ConnectorStore, NewConnector } from '../../lib/store/store-ports.ts';

const W = 'contract-worker';

export function describeStoreContract(kind: string, makeStore: () => Promise<ConnectorStore>): void {
  describe(`${kind}: the connector store contract`, () => {
    let store: ConnectorStore;
    let n = 0;
    const prefix = `c${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
    const name = () => `${prefix}-${n++}`;
    const config = (extra: ConnectorConfig = {}): ConnectorConfig => ({ 'connector.class': 'FileStreamSource', topic: 't', ...extra });
    const create = (over: Partial<NewConnector> = {}) =>
      store.createConnector({ name: name(), config: config(), type: 'source', targetState: 'RUNNING', taskConfigs: [config({ task: '0' }), config({ task: '1' })], workerId: W, ...over });

    beforeAll(async () => {
      store = await makeStore();
      await store.ensureTable();
    });

    describe('ConfigBackingStore', () => {
      it('creates a connector at generation 1 with its task configs and a RUNNING status, and lists it', async () => {
        const c = await create();
        expect(c).toMatchObject({ generation: 1, version: 1, targetState: 'RUNNING', type: 'source' });
        const s = await store.getState(c.name);
        expect(s?.connector).toMatchObject({ name: c.name, config: config(), generation: 1, version: 1 });
        expect(s?.tasks).toEqual({ generation: 1, configs: [config({ task: '0' }), config({ task: '1' })] });
        expect(s?.status).toMatchObject({ state: 'RUNNING', workerId: W, generation: 1 });
        expect(s?.taskStatuses).toEqual([]);
        expect(s?.topics).toEqual([]);
        expect(await store.listConnectors()).toContain(c.name);
        expect(await store.getConnector(c.name)).toMatchObject({ name: c.name, config: config(), version: 1 });
      });

      it('refuses a second connector of the same name, and a STOPPED one is created without task configs', async () => {
        const c = await create();
        await expect(store.createConnector({ name: c.name, config: config(), type: 'source', targetState: 'RUNNING', taskConfigs: [], workerId: W })).rejects.toBeInstanceOf(StoreConflictError);
        const stopped = await create({ targetState: 'STOPPED' });
        expect((await store.getState(stopped.name))?.tasks).toEqual({ generation: 1, configs: [] });
        expect((await store.getState(stopped.name))?.status?.state).toBe('STOPPED');
      });

      it('stores a config change as the next generation, only from the version it was read at', async () => {
        const c = await create();
        await store.putTaskStatus(c.name, 1, { state: 'RUNNING', workerId: W, generation: 1 });
        const next = await store.updateConfig(c, { config: config({ topic: 'u' }), taskConfigs: [config({ topic: 'u' })], previousTaskCount: 2, workerId: W });
        expect(next).toMatchObject({ generation: 2, version: 2 });
        const s = await store.getState(c.name);
        expect(s?.connector.config.topic).toBe('u');
        expect(s?.tasks).toEqual({ generation: 2, configs: [config({ topic: 'u' })] });
        expect(s?.taskStatuses.map((t) => t.id)).toEqual([]);
        await expect(store.updateConfig(c, { config: config(), taskConfigs: [], previousTaskCount: 1, workerId: W })).rejects.toBeInstanceOf(StoreConflictError);
        expect((await store.getConnector(c.name))?.config.topic).toBe('u');
      });

      it('marks the tasks of a PAUSED connector PAUSED when its config changes', async () => {
        const c = await create({ targetState: 'PAUSED' });
        await store.updateConfig(c, { config: config(), taskConfigs: [config(), config()], previousTaskCount: 2, workerId: W });
        expect((await store.getState(c.name))?.taskStatuses.map((t) => [t.id, t.state, t.generation])).toEqual([[0, 'PAUSED', 2], [1, 'PAUSED', 2]]);
      });

      it('pauses, resumes and stops as Connect does, each from the version it was read at', async () => {
        const c = await create();
        const paused = await store.setTargetState(c, 'PAUSED', { taskCount: 2, workerId: W });
        expect(paused).toMatchObject({ targetState: 'PAUSED', version: 2, generation: 1 });
        let s = await store.getState(c.name);
        expect(s?.status?.state).toBe('PAUSED');
        expect(s?.taskStatuses.map((t) => t.state)).toEqual(['PAUSED', 'PAUSED']);
        await expect(store.setTargetState(c, 'RUNNING', { taskCount: 2, workerId: W })).rejects.toBeInstanceOf(StoreConflictError);
        const running = await store.setTargetState(paused, 'RUNNING', { taskCount: 2, workerId: W });
        s = await store.getState(c.name);
        expect(s?.taskStatuses.map((t) => t.state)).toEqual(['UNASSIGNED', 'UNASSIGNED']);
        const stopped = await store.setTargetState(running, 'STOPPED', { taskCount: 2, workerId: W });
        s = await store.getState(c.name);
        expect(s?.connector.targetState).toBe('STOPPED');
        expect(s?.taskStatuses).toEqual([]);
        expect(s?.tasks).toEqual({ generation: 1, configs: [] });
        // Resuming with fresh task configs makes them a new generation.
        const resumed = await store.setTargetState(stopped, 'RUNNING', { taskCount: 0, workerId: W, taskConfigs: [config({ task: 'new' })] });
        expect(resumed.generation).toBe(2);
        s = await store.getState(c.name);
        expect(s?.tasks).toEqual({ generation: 2, configs: [config({ task: 'new' })] });
        expect(s?.taskStatuses.map((t) => [t.id, t.state])).toEqual([[0, 'UNASSIGNED']]);
      });

      it('replaces task configs only at the generation they were planned for', async () => {
        const c = await create();
        await store.putTaskConfigs(c.name, 1, [config({ task: 'x' })]);
        expect((await store.getState(c.name))?.tasks?.configs).toEqual([config({ task: 'x' })]);
        await expect(store.putTaskConfigs(c.name, 2, [])).rejects.toBeInstanceOf(StoreConflictError);
      });

      it('deletes config, statuses and topics but keeps leases and offsets, so a re-created connector continues the epochs', async () => {
        const c = await create();
        const epoch = await store.claimLease(c.name, 0, 'exec-a');
        await store.putTaskStatus(c.name, 0, { state: 'RUNNING', workerId: W, generation: 1 });
        await store.addTopics(c.name, ['t']);
        await store.putOffsetSnapshot(c.name, 'task-0', { topic: 'offs', positions: { '0': 3 }, offsets: { k: 'v' } });
        await expect(store.deleteConnector(c.name, 7)).rejects.toBeInstanceOf(StoreConflictError);
        await store.deleteConnector(c.name, 1);
        expect(await store.getState(c.name)).toBeUndefined();
        expect(await store.getConnector(c.name)).toBeUndefined();
        expect(await store.listConnectors()).not.toContain(c.name);
        await expect(store.deleteConnector(c.name)).rejects.toBeInstanceOf(StoreConflictError);
        expect((await store.getLease(c.name, 0))?.epoch).toBe(epoch);
        expect([...(await store.getOffsetSnapshots(c.name)).keys()]).toEqual(['task-0']);
        await store.createConnector({ name: c.name, config: config(), type: 'source', targetState: 'RUNNING', taskConfigs: [config()], workerId: W });
        const s = await store.getState(c.name);
        expect(s?.taskStatuses).toEqual([]);
        expect(s?.topics).toEqual([]);
        expect(s?.leases.get(0)?.epoch).toBe(epoch);
        expect(await store.claimLease(c.name, 0, 'exec-b')).toBe(epoch + 1);
      });

      it('keeps a config larger than a DynamoDB item and refuses one beyond the limit, storing nothing', async () => {
        const big = config({ 'big.value': 'x'.repeat(450_000) });
        const c = await create({ config: big, taskConfigs: [big, { ...big, task: '1' }] });
        const s = await store.getState(c.name);
        expect(s?.connector.config).toEqual(big);
        expect(s?.tasks?.configs).toEqual([big, { ...big, task: '1' }]);
        expect((await store.getConnector(c.name))?.config).toEqual(big);
        const tooBig = name();
        await expect(store.createConnector({ name: tooBig, config: config({ v: 'x'.repeat(1_100_000) }), type: 'source', targetState: 'RUNNING', taskConfigs: [], workerId: W })).rejects.toBeInstanceOf(ConfigTooLargeError);
        expect(await store.getConnector(tooBig)).toBeUndefined();
      });
    });

    describe('StatusBackingStore', () => {
      it('writes a connector status only while the connector is at the expected version, and never for an absent one', async () => {
        const c = await create();
        await store.putConnectorStatus(c.name, { state: 'FAILED', workerId: W, generation: 1, trace: 'boom' }, { expectedVersion: 99 });
        expect((await store.getState(c.name))?.status?.state).toBe('RUNNING');
        await store.putConnectorStatus(c.name, { state: 'FAILED', workerId: W, generation: 1, trace: 'boom' }, { expectedVersion: 1 });
        expect((await store.getState(c.name))?.status).toMatchObject({ state: 'FAILED', trace: 'boom' });
        const absent = name();
        await store.putConnectorStatus(absent, { state: 'RUNNING', workerId: W, generation: 1 });
        await store.createConnector({ name: absent, config: config(), type: 'source', targetState: 'PAUSED', taskConfigs: [], workerId: W });
        expect((await store.getState(absent))?.status?.state).toBe('PAUSED');
      });

      it('fences task status writes by lease epoch and by a RUNNING target', async () => {
        const c = await create();
        const e1 = await store.claimLease(c.name, 0, 'exec-1');
        expect(await store.putTaskStatus(c.name, 0, { state: 'RUNNING', workerId: 'r1', generation: 1 }, { epoch: e1, heartbeat: true })).toBe(true);
        const e2 = await store.claimLease(c.name, 0, 'exec-2');
        expect(await store.putTaskStatus(c.name, 0, { state: 'FAILED', workerId: 'r1', generation: 1 }, { epoch: e1 })).toBe(false);
        let t = (await store.getState(c.name))?.taskStatuses[0];
        expect(t).toMatchObject({ id: 0, state: 'RUNNING', workerId: 'r1' });
        expect(t?.heartbeatAt).toEqual(expect.any(Number));
        const paused = await store.setTargetState(c, 'PAUSED', { taskCount: 2, workerId: W });
        expect(await store.putTaskStatus(c.name, 0, { state: 'RUNNING', workerId: 'r2', generation: 1 }, { epoch: e2, requireRunning: true })).toBe(false);
        expect(await store.putTaskStatus(c.name, 0, { state: 'UNASSIGNED', workerId: 'r2', generation: 1 }, { epoch: e2 })).toBe(true);
        await store.setTargetState(paused, 'RUNNING', { taskCount: 2, workerId: W });
        expect(await store.putTaskStatus(c.name, 0, { state: 'RUNNING', workerId: 'r2', generation: 1 }, { epoch: e2, requireRunning: true })).toBe(true);
        t = (await store.getState(c.name))?.taskStatuses[0];
        expect(t).toMatchObject({ state: 'RUNNING', workerId: 'r2' });
      });

      it('appends restarts and re-runs to their own histories, keeps them across status writes, and trims them', async () => {
        const c = await create();
        await store.putTaskStatus(c.name, 1, { state: 'FAILED', workerId: W, generation: 1, trace: 't' }, { restartAt: 100, restartNote: 'first' });
        await store.putTaskStatus(c.name, 1, { state: 'RESTARTING', workerId: W, generation: 1 }, { restartAt: 200 });
        await store.putTaskStatus(c.name, 1, { state: 'RESTARTING', workerId: W, generation: 1 }, { rerunAt: 300, restartNote: 'lost' });
        await store.putTaskStatus(c.name, 1, { state: 'RUNNING', workerId: W, generation: 1 });
        let t = (await store.getState(c.name))?.taskStatuses.find((x) => x.id === 1);
        expect(t).toMatchObject({ state: 'RUNNING', restarts: [100, 200], reruns: [300], lastRestart: 'lost' });
        await store.trimRestarts(c.name, 1, [200]);
        await store.trimRestarts(c.name, 1, [], 'reruns');
        t = (await store.getState(c.name))?.taskStatuses.find((x) => x.id === 1);
        expect(t).toMatchObject({ state: 'RUNNING', restarts: [200], reruns: [] });
      });

      it('collects the topics a connector used, sorted, until they are reset', async () => {
        const c = await create();
        await store.addTopics(c.name, ['b', 'a']);
        await store.addTopics(c.name, ['a', 'c']);
        await store.addTopics(c.name, []);
        expect((await store.getState(c.name))?.topics).toEqual(['a', 'b', 'c']);
        await store.resetTopics(c.name);
        expect((await store.getState(c.name))?.topics).toEqual([]);
      });
    });

    describe('TaskLeaseStore', () => {
      it('claims with ever higher epochs; only the owner bumps, renews or transfers', async () => {
        const c = await create();
        expect(await store.getLease(c.name, 0)).toBeUndefined();
        expect(await store.bumpEpoch(c.name, 0, 'nobody')).toBeUndefined();
        const e1 = await store.claimLease(c.name, 0, 'a');
        expect(await store.claimLease(c.name, 0, 'b')).toBe(e1 + 1);
        expect(await store.bumpEpoch(c.name, 0, 'a')).toBeUndefined();
        expect(await store.renewLease(c.name, 0, 'a')).toBeUndefined();
        expect(await store.transferLease(c.name, 0, 'a', 'z')).toBeUndefined();
        expect(await store.bumpEpoch(c.name, 0, 'b')).toBe(e1 + 2);
        expect(await store.renewLease(c.name, 0, 'b')).toBe(e1 + 2);
        expect(await store.transferLease(c.name, 0, 'b', 'c')).toBe(e1 + 2);
        expect(await store.getLease(c.name, 0)).toMatchObject({ epoch: e1 + 2, owner: 'c' });
        expect(await store.claimLease(c.name, 0, null)).toBe(e1 + 3);
        expect(await store.renewLease(c.name, 0, 'c')).toBeUndefined();
        const s = await store.getState(c.name);
        expect(s?.leases.get(0)).toMatchObject({ epoch: e1 + 3, owner: null });
        expect(await store.getRunView(c.name, 0)).toMatchObject({ connector: { name: c.name, targetState: 'RUNNING', generation: 1 }, lease: { epoch: e1 + 3, owner: null } });
        expect(await store.getRunView(c.name, 1)).toMatchObject({ lease: undefined });
        expect((await store.getRunView(name(), 0)).connector).toBeUndefined();
      });
    });

    describe('OffsetBackingStore and logger levels', () => {
      it('keeps one offset snapshot per writer until they are deleted', async () => {
        const c = await create();
        await store.putOffsetSnapshot(c.name, 'task-0', { topic: 'o', positions: { '0': 1 }, offsets: { '["c",{"f":1}]': '{"p":1}' } });
        await store.putOffsetSnapshot(c.name, 'task-0', { topic: 'o', positions: { '0': 5 }, offsets: { '["c",{"f":1}]': '{"p":5}', gone: null } });
        await store.putOffsetSnapshot(c.name, 'api', { topic: 'o', positions: {}, offsets: {} });
        const snaps = await store.getOffsetSnapshots(c.name);
        expect([...snaps.keys()].sort()).toEqual(['api', 'task-0']);
        expect(snaps.get('task-0')).toEqual({ topic: 'o', positions: { '0': 5 }, offsets: { '["c",{"f":1}]': '{"p":5}', gone: null } });
        await store.deleteOffsetSnapshots(c.name);
        expect((await store.getOffsetSnapshots(c.name)).size).toBe(0);
      });

      it('keeps logger levels', async () => {
        const logger = `${prefix}.logger`;
        await store.putLogger(logger, 'DEBUG');
        await store.putLogger(logger, 'WARN');
        expect((await store.listLoggers()).get(logger)).toMatchObject({ level: 'WARN', lastModified: expect.any(Number) });
      });
    });
  });
}
