/** The REST calls workloads make on either system, with the checks that make a measurement trustworthy. */
import { eventually, rest } from '../../cli/connect-rest-client.ts';
import { sleep } from './kafka-tools.ts';
import { BenchTargetError, type BenchTarget, type StatusBody } from './bench-target.ts';

export async function createConnector(target: BenchTarget, name: string, config: Record<string, string>): Promise<void> {
  const r = await rest(target.restUrl, 'POST', '/connectors', { name, config });
  if (r.status !== 201) throw new BenchTargetError(`${target.system}: POST /connectors ${name} answered ${r.status}: ${JSON.stringify(r.body).slice(0, 300)}`);
}

export async function deleteConnector(target: BenchTarget, name: string): Promise<void> {
  await rest(target.restUrl, 'DELETE', `/connectors/${name}`).catch(() => undefined);
}

/** True when the connector and all of its (at least one) tasks are RUNNING. */
export function allRunning(s: StatusBody | undefined): boolean {
  return s?.connector?.state === 'RUNNING' && (s.tasks?.length ?? 0) > 0 && s.tasks!.every((t) => t.state === 'RUNNING');
}

/** Polls the status until everything is RUNNING; resolves with `performance.now()` at that moment. */
export function waitRunning(target: BenchTarget, name: string, deadline: number, intervalMs = 50): Promise<number> {
  return eventually(
    async () => {
      const r = await rest<StatusBody>(target.restUrl, 'GET', `/connectors/${name}/status`);
      return r.status === 200 && allRunning(r.body) && performance.now();
    },
    { timeoutMs: deadline - Date.now(), intervalMs, what: `${target.system}: ${name} RUNNING` },
  );
}

/** The first line of the trace of a FAILED connector or task, or undefined while nothing has failed. */
export async function failure(target: BenchTarget, name: string): Promise<string | undefined> {
  const r = await rest<StatusBody & { connector?: { trace?: string }; tasks?: { trace?: string }[] }>(target.restUrl, 'GET', `/connectors/${name}/status`).catch(() => undefined);
  const failed = [r?.body.connector, ...(r?.body.tasks ?? [])].find((s) => s?.state === 'FAILED');
  return failed ? `${target.system}: ${name} ${failed === r?.body.connector ? 'connector' : 'task'} FAILED: ${(failed.trace ?? 'no trace').split('\n')[0]}` : undefined;
}

/**
 * Waits until `done()` holds, checking every `intervalMs`; fails early (with the trace) when
 * the connector or a task is FAILED, since a throughput figure would then mean nothing.
 */
export async function waitForProgress(target: BenchTarget, name: string, done: () => Promise<boolean>, o: { deadline: number; intervalMs?: number; what: () => string }): Promise<number> {
  let lastStatusCheck = Date.now();
  for (;;) {
    if (await done()) return performance.now();
    if (Date.now() - lastStatusCheck >= 1000) {
      lastStatusCheck = Date.now();
      const failed = await failure(target, name);
      if (failed) throw new BenchTargetError(failed);
    }
    if (Date.now() > o.deadline) throw new BenchTargetError(`${target.system}: ${o.what()} did not happen in time`);
    await sleep(o.intervalMs ?? 100);
  }
}
