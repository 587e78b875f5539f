/**
 * Restarts driven from outside the state machine: an execution that FAILED, TIMED_OUT or
 * was ABORTED, a Fargate runner that stopped, or a CloudWatch alarm about stale heartbeats.
 * It restarts only tasks nobody else took over, under the connector's restart policy, and
 * writes what it did into the task's status.
 */
import type { Orchestrator } from '../orchestrator/orchestrator-port.ts';
import { startTaskExecution } from '../orchestrator/orchestrator-port.ts';
import type { Logger } from '../observability/structured-logger.ts';
import type { ControlStore } from '../store/store-ports.ts';
import { decideRerun, decideRestart, type FailureKind } from './restart-policy.ts';

export interface RestarterEvent {
  readonly source?: string;
  readonly 'detail-type'?: string;
  readonly detail?: { status?: string; name?: string; input?: string; error?: string; cause?: string; [k: string]: unknown };
}

export interface RestartOutcome {
  readonly connector: string;
  readonly task: number;
  readonly action: 'restarted' | 'gave-up' | 'skipped';
  readonly reason: string;
}

export class TaskRestarter {
  constructor(
    private readonly deps: { store: ControlStore; orchestrator: Orchestrator; log: Logger; workerId: string },
    private readonly staleAfterMs: number,
  ) {}

  async handle(event: RestarterEvent): Promise<RestartOutcome[]> {
    if (event.source === 'aws.states' && event.detail?.name && event.detail.input) {
      const input = JSON.parse(event.detail.input) as { connector?: string; task?: number };
      if (typeof input.connector !== 'string' || typeof input.task !== 'number') return [];
      const trace = `Task execution ${event.detail.name} ended ${event.detail.status ?? 'abnormally'}${event.detail.error ? `: ${event.detail.error}` : ''}${event.detail.cause ? `\n${event.detail.cause}` : ''}`;
      return [await this.restartOrphan(input.connector, input.task, event.detail.name, trace)];
    }
    // Alarms, ECS task stops and scheduled sweeps all come down to: find stale tasks.
    return this.sweep();
  }

  /**
   * Restarts a task whose execution ended, if that execution still owned it. A task the state
   * machine left FAILED (its restart budget spent) is judged by the failure policy; any other
   * end (timed out, aborted, the interpreter lost) lost the runner, not the connector.
   */
  async restartOrphan(connector: string, task: number, execution: string, trace: string): Promise<RestartOutcome> {
    const s = await this.deps.store.getState(connector);
    const lease = s?.leases.get(task);
    if (!s || s.connector.targetState !== 'RUNNING' || lease?.owner !== execution) {
      return { connector, task, action: 'skipped', reason: 'the task is not running or another execution owns it' };
    }
    const failed = s.taskStatuses.find((t) => t.id === task)?.state === 'FAILED';
    return this.restart(connector, task, trace, failed ? 'connector' : 'infrastructure');
  }

  /** Restarts RUNNING connectors' tasks whose runners stopped reporting. */
  async sweep(now = Date.now()): Promise<RestartOutcome[]> {
    const out: RestartOutcome[] = [];
    for (const name of await this.deps.store.listConnectors()) {
      const s = await this.deps.store.getState(name);
      if (!s || s.connector.targetState !== 'RUNNING') continue;
      for (let task = 0; task < (s.tasks?.configs.length ?? 0); task++) {
        const st = s.taskStatuses.find((t) => t.id === task);
        const lease = s.leases.get(task);
        const last = Math.max(st?.heartbeatAt ?? 0, lease?.updatedAt ?? 0, st?.updatedAt ?? 0);
        if (st?.state === 'FAILED' || now - last < this.staleAfterMs) continue;
        out.push(await this.restart(name, task, `No heartbeat from the task's runner for ${Math.round((now - last) / 1000)} s`, 'infrastructure'));
      }
    }
    return out;
  }

  private async restart(connector: string, task: number, trace: string, kind: FailureKind): Promise<RestartOutcome> {
    const s = await this.deps.store.getState(connector);
    if (!s) return { connector, task, action: 'skipped', reason: 'connector deleted' };
    const st = s.taskStatuses.find((t) => t.id === task);
    const generation = s.connector.generation;
    const rerun = kind === 'infrastructure' ? decideRerun(s.connector.config, st?.reruns) : undefined;
    if (rerun) {
      await this.deps.store.putTaskStatus(connector, task, { state: 'RESTARTING', workerId: this.deps.workerId, generation }, { restartNote: `${rerun.reason}: ${trace.split('\n')[0] ?? ''}`, rerunAt: Date.now() });
      if (rerun.recent.length !== (st?.reruns?.length ?? 0) + 1) await this.deps.store.trimRestarts(connector, task, rerun.recent, 'reruns');
      await startTaskExecution(this.deps.store, this.deps.orchestrator, connector, task);
      this.deps.log.info('Task re-run', { connector, task, reason: rerun.reason });
      return { connector, task, action: 'restarted', reason: rerun.reason };
    }
    const decision = decideRestart(s.connector.config, st?.restarts);
    if (!decision.restart) {
      // A task that already failed keeps its own trace: it says more than how its execution ended.
      const keep = st?.state === 'FAILED' && st.trace ? st.trace : trace;
      await this.deps.store.putTaskStatus(connector, task, { state: 'FAILED', workerId: st?.workerId ?? this.deps.workerId, trace: keep, generation }, { restartNote: decision.reason });
      this.deps.log.warn('Task not restarted', { connector, task, reason: decision.reason });
      return { connector, task, action: 'gave-up', reason: decision.reason };
    }
    const note = `restarted by the restarter: ${decision.reason}`;
    await this.deps.store.putTaskStatus(connector, task, { state: 'RESTARTING', workerId: this.deps.workerId, generation }, { restartNote: note, restartAt: Date.now() });
    if (decision.recent.length !== (st?.restarts?.length ?? 0) + 1) await this.deps.store.trimRestarts(connector, task, decision.recent);
    await startTaskExecution(this.deps.store, this.deps.orchestrator, connector, task);
    this.deps.log.info('Task restarted', { connector, task, reason: decision.reason });
    return { connector, task, action: 'restarted', reason: decision.reason };
  }
}
