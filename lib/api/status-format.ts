/** Connect's status bodies (ConnectorStateInfo) from what the store holds. */
import type { ConnectorState, InstanceStatus, TaskStatus } from '../store/store-model.ts';

export interface InstanceBody {
  state: string;
  worker_id: string;
  version: string | null;
  trace?: string;
  /** Tributary's extension, only on tasks it restarted automatically: what the restart policy did. */
  tributary?: { restarts: string[]; infrastructure_restarts: string[]; last_restart: string | null };
}

export interface StatusBody {
  name: string;
  connector: InstanceBody;
  tasks: (InstanceBody & { id: number })[];
  type: string;
}

/**
 * One connector or task instance; `trace` only when FAILED, as Connect shows it. A task that
 * was restarted automatically also carries `tributary.restarts` (after its own failures, this hour),
 * `tributary.infrastructure_restarts` (re-runs after its runner was lost, this hour) and the policy's note.
 */
export function instanceBody(s: InstanceStatus | TaskStatus | undefined, fallbackWorker: string, version: string | null): InstanceBody {
  const out: InstanceBody = { state: s?.state ?? 'UNASSIGNED', worker_id: s?.workerId ?? fallbackWorker, version };
  if (s?.state === 'FAILED') out.trace = s.trace ?? '';
  const lastHour = (list: readonly number[] | undefined) => (list ?? []).filter((t) => Date.now() - t < 3_600_000).map((t) => new Date(t).toISOString());
  const restarts = s && 'restarts' in s ? lastHour(s.restarts) : [];
  const reruns = s && 'reruns' in s ? lastHour(s.reruns) : [];
  if (s && 'lastRestart' in s && (restarts.length || reruns.length || s.lastRestart)) {
    out.tributary = { restarts, infrastructure_restarts: reruns, last_restart: s.lastRestart ?? null };
  }
  return out;
}

/** The status of a connector and of each of its current tasks (none while STOPPED). */
export function statusBody(s: ConnectorState, workerId: string, version: string | null): StatusBody {
  const tasks = [];
  for (let id = 0; id < (s.tasks?.configs.length ?? 0); id++) {
    tasks.push({ id, ...instanceBody(s.taskStatuses.find((t) => t.id === id), workerId, version) });
  }
  return { name: s.connector.name, connector: instanceBody(s.status, workerId, version), tasks, type: s.connector.type };
}
