/**
 * The control plane (ConnectorService) on the in-memory store: connector lifecycle, task
 * planning and generations, lease claims on start, and that a request that cannot finish
 * leaves nothing behind. The orchestrator only records the executions it is asked to start.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { AlreadyExistsError, BadRequestError, InvalidConfigError, NotFoundError } from '../../../lib/control/control-errors.ts';
import { ConnectorService } from '../../../lib/control/connector-service.ts';
import type { Orchestrator, TaskExecutionInput } from '../../../lib/orchestrator/orchestrator-port.ts';
import { MemoryConnectorStore } from '../../../lib/store/memory-connector-store.ts';
import { testRegistry } from '../api/secret-plugin.ts';

const sink = (name: string, extra: Record<string, string> = {}) => ({ 'connector.class': 'FileStreamSink', name, topics: 'orders', file: '/tmp/tributary-unit-sink.txt', 'tasks.max': '2', ...extra });

class RecordingOrchestrator implements Orchestrator {
  readonly started: { name: string; input: TaskExecutionInput }[] = [];
  /** Connectors whose target change it was told of, in order. */
  readonly changed: string[] = [];
  failing = false;
  targetChanged(connector: string): void {
    this.changed.push(connector);
  }
  async startExecution(name: string, input: TaskExecutionInput): Promise<void> {
    if (this.failing) throw new Error('the orchestrator is unavailable');
    this.started.push({ name, input });
  }
  tasksStarted(connector: string): number[] {
    return this.started.filter((s) => s.input.connector === connector).map((s) => s.input.task);
  }
}

describe('ConnectorService on the in-memory store', () => {
  let store: MemoryConnectorStore;
  let orchestrator: RecordingOrchestrator;
  let control: ConnectorService;

  beforeEach(() => {
    store = new MemoryConnectorStore();
    orchestrator = new RecordingOrchestrator();
    control = new ConnectorService({ store, registry: testRegistry(), orchestrator, workerId: 'unit-control', retryBudgetMs: 2_000 });
  });

  describe('create', () => {
    it('plans tasks.max tasks at generation 1 and starts each with a lease its execution owns', async () => {
      const info = await control.create('orders-sink', sink('orders-sink'));
      expect(info.tasks).toEqual([{ connector: 'orders-sink', task: 0 }, { connector: 'orders-sink', task: 1 }]);
      const s = await store.getState('orders-sink');
      expect(s?.connector).toMatchObject({ generation: 1, version: 1, targetState: 'RUNNING', type: 'sink' });
      expect(s?.tasks?.configs.map((c) => c['task.class'])).toEqual(['org.apache.kafka.connect.file.FileStreamSinkTask', 'org.apache.kafka.connect.file.FileStreamSinkTask']);
      expect(s?.tasks?.configs.every((c) => c.topics === 'orders')).toBe(true);
      expect(orchestrator.tasksStarted('orders-sink')).toEqual([0, 1]);
      for (const { name, input } of orchestrator.started) expect(s?.leases.get(input.task)).toMatchObject({ epoch: 1, owner: name });
    });

    it('refuses a taken name, an invalid config and an unknown class, storing nothing more', async () => {
      await control.create('taken', sink('taken'));
      await expect(control.create('taken', sink('taken'))).rejects.toBeInstanceOf(AlreadyExistsError);
      await expect(control.create('no-file', { 'connector.class': 'FileStreamSink', name: 'no-file', topics: 'x', 'tasks.max': 'many' })).rejects.toBeInstanceOf(InvalidConfigError);
      await expect(control.create('no-class', { 'connector.class': 'NoSuchConnector', name: 'no-class' })).rejects.toBeInstanceOf(BadRequestError);
      expect(await store.listConnectors()).toEqual(['taken']);
      expect(orchestrator.tasksStarted('taken')).toEqual([0, 1]);
    });

    it('removes the connector again when its tasks cannot be started', async () => {
      orchestrator.failing = true;
      await expect(control.create('unstartable', sink('unstartable'))).rejects.toThrow('the orchestrator is unavailable');
      expect(await store.getState('unstartable')).toBeUndefined();
      expect(await store.listConnectors()).toEqual([]);
    });

    it('creates a STOPPED connector without task configs or executions', async () => {
      await control.create('idle', sink('idle'), 'STOPPED');
      expect((await store.getState('idle'))?.tasks?.configs).toEqual([]);
      expect(orchestrator.started).toEqual([]);
    });
  });

  describe('config changes and generations', () => {
    it('stores a new config as the next generation; live tasks keep their executions, the others get new ones', async () => {
      await control.create('gen', sink('gen'));
      const first = await store.getState('gen');
      // Task 0 reported RUNNING under its execution: it adopts the change at its next commit.
      await store.putTaskStatus('gen', 0, { state: 'RUNNING', workerId: 'r', generation: 1 });
      orchestrator.started.length = 0;
      const { created, info } = await control.putConfig('gen', sink('gen', { 'tasks.max': '3' }));
      expect(created).toBe(false);
      expect(info.tasks).toHaveLength(3);
      const s = await store.getState('gen');
      expect(s?.connector).toMatchObject({ generation: 2, version: 2 });
      expect(s?.tasks?.generation).toBe(2);
      expect(orchestrator.tasksStarted('gen')).toEqual([1, 2]);
      expect(s?.leases.get(0)).toEqual(first?.leases.get(0));
      expect(s?.leases.get(1)?.epoch).toBe(2);
    });

    it('drops the statuses of tasks a smaller config no longer has', async () => {
      await control.create('shrink', sink('shrink', { 'tasks.max': '3' }));
      for (const id of [0, 1, 2]) await store.putTaskStatus('shrink', id, { state: 'RUNNING', workerId: 'r', generation: 1 });
      await control.putConfig('shrink', sink('shrink', { 'tasks.max': '1' }));
      const s = await store.getState('shrink');
      expect(s?.tasks?.configs).toHaveLength(1);
      expect(s?.taskStatuses.map((t) => t.id)).toEqual([0]);
    });

    it('creates on PUT when absent, merges on PATCH (null deletes a key) and answers 404 to a PATCH of nothing', async () => {
      expect((await control.putConfig('put', sink('put'))).created).toBe(true);
      await control.patchConfig('put', { 'tasks.max': '1', 'unknown.key': 'x' });
      await control.patchConfig('put', { 'unknown.key': null });
      const s = await store.getState('put');
      expect(s?.connector.config).toEqual(sink('put', { 'tasks.max': '1' }));
      expect(s?.connector.generation).toBe(3);
      await expect(control.patchConfig('absent', { a: 'b' })).rejects.toBeInstanceOf(NotFoundError);
      expect(await store.getConnector('absent')).toBeUndefined();
    });

    it('takes a change back when its tasks cannot be started: the previous config returns as the next generation', async () => {
      await control.create('rollback', sink('rollback', { 'tasks.max': '1' }));
      orchestrator.failing = true;
      await expect(control.putConfig('rollback', sink('rollback', { 'tasks.max': '2' }))).rejects.toThrow('the orchestrator is unavailable');
      const s = await store.getState('rollback');
      expect(s?.connector.config['tasks.max']).toBe('1');
      expect(s?.tasks?.configs).toHaveLength(1);
      expect(s?.connector.generation).toBe(3);
    });

    it('applies concurrent changes one after the other: each wins in turn, none is lost', async () => {
      await control.create('race', sink('race'));
      await Promise.all([control.patchConfig('race', { 'a.key': '1' }), control.patchConfig('race', { 'b.key': '2' }), control.patchConfig('race', { 'c.key': '3' })]);
      const s = await store.getState('race');
      expect(s?.connector.config).toMatchObject({ 'a.key': '1', 'b.key': '2', 'c.key': '3' });
      expect(s?.connector.generation).toBe(4);
    });
  });

  describe('target states, restarts and delete', () => {
    it('pauses, stops (clearing task configs) and resumes a stopped connector with freshly planned tasks', async () => {
      await control.create('states', sink('states'));
      await control.pause('states');
      let s = await store.getState('states');
      expect([s?.status?.state, ...(s?.taskStatuses.map((t) => t.state) ?? [])]).toEqual(['PAUSED', 'PAUSED', 'PAUSED']);
      await control.stop('states');
      s = await store.getState('states');
      expect(s?.connector.targetState).toBe('STOPPED');
      expect(s?.tasks?.configs).toEqual([]);
      orchestrator.started.length = 0;
      await control.resume('states');
      s = await store.getState('states');
      expect(s?.connector).toMatchObject({ targetState: 'RUNNING', generation: 2 });
      expect(s?.tasks?.configs).toHaveLength(2);
      expect(orchestrator.tasksStarted('states')).toEqual([0, 1]);
      await expect(control.pause('nothing')).rejects.toBeInstanceOf(NotFoundError);
    });

    it('restarts a task with a new epoch that fences its old runner, and range-checks the task id', async () => {
      await control.create('restart', sink('restart'));
      const before = (await store.getLease('restart', 1))?.epoch ?? 0;
      await control.restartTask('restart', 1);
      const s = await store.getState('restart');
      expect(s?.leases.get(1)?.epoch).toBe(before + 1);
      expect(s?.taskStatuses.find((t) => t.id === 1)?.state).toBe('RESTARTING');
      expect(await store.putTaskStatus('restart', 1, { state: 'RUNNING', workerId: 'old', generation: 1 }, { epoch: before })).toBe(false);
      await expect(control.restartTask('restart', 2)).rejects.toBeInstanceOf(NotFoundError);
      await expect(control.restartTask('restart', -1)).rejects.toBeInstanceOf(NotFoundError);
    });

    it('plans a restart of only the failed tasks, as Connect\'s restart plan', async () => {
      await control.create('plan', sink('plan', { 'tasks.max': '3' }));
      await store.putTaskStatus('plan', 1, { state: 'FAILED', workerId: 'r', generation: 1, trace: 'boom' });
      orchestrator.started.length = 0;
      const plan = await control.restart('plan', { includeTasks: true, onlyFailed: true });
      expect(plan).toEqual({ connector: false, tasks: [1] });
      expect(orchestrator.tasksStarted('plan')).toEqual([1]);
    });

    it("tells the orchestrator of every change to a connector's target, so running tasks act on it at once", async () => {
      await control.create('told', sink('told'));
      await control.create('other', sink('other'));
      expect(orchestrator.changed).toEqual([]);
      await control.pause('told');
      await control.putConfig('told', sink('told', { 'tasks.max': '1' }));
      await control.resume('told');
      await control.stop('told');
      await control.delete('told');
      expect(orchestrator.changed).toEqual(['told', 'told', 'told', 'told', 'told']);
      await expect(control.delete('told')).rejects.toBeInstanceOf(NotFoundError);
      await expect(control.pause('nothing')).rejects.toBeInstanceOf(NotFoundError);
      expect(orchestrator.changed).toHaveLength(5);
    });

    it('deletes a connector but keeps its leases, so one created again under the name fences the old runners', async () => {
      await control.create('gone', sink('gone', { 'tasks.max': '1' }));
      const old = (await store.getLease('gone', 0))?.epoch ?? 0;
      await control.delete('gone');
      expect(await control.list()).toEqual([]);
      await expect(control.delete('gone')).rejects.toBeInstanceOf(NotFoundError);
      await control.create('gone', sink('gone', { 'tasks.max': '1' }));
      expect((await store.getLease('gone', 0))?.epoch).toBe(old + 1);
      expect(await store.putTaskStatus('gone', 0, { state: 'RUNNING', workerId: 'zombie', generation: 1 }, { epoch: old })).toBe(false);
    });
  });
});
