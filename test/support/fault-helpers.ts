/** What the fault tests share: runner kills, recovery timing, line counts in a sink file, process counts. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import type { ConnectorStore } from '../../lib/store/store-ports.ts';
import { eventually, rest } from './rest-client.ts';

/**
 * The pid of the runner process serving a connector's task, once it has one; with `other`, a
 * runner other than that process (the one that replaced a killed runner).
 */
export async function runnerPid(restUrl: string, connector: string, task = 0, o: { other?: number; timeoutMs?: number; intervalMs?: number } = {}): Promise<number> {
  return eventually(
    async () => {
      const runners = (await rest<{ connector: string; task: number; pid: number }[]>(restUrl, 'GET', '/tributary/runners')).body;
      return runners.find((r) => r.connector === connector && r.task === task && r.pid !== o.other)?.pid;
    },
    { what: `a ${o.other === undefined ? '' : 'new '}runner for ${connector}/${task}`, intervalMs: o.intervalMs ?? 20, timeoutMs: o.timeoutMs ?? 60_000 },
  );
}

/** SIGKILLs a connector's runner, as a crash would; resolves with the pid killed, or undefined when it had none at that moment. */
export async function killRunner(restUrl: string, connector: string): Promise<number | undefined> {
  const runners = (await rest<{ connector: string; pid: number }[]>(restUrl, 'GET', '/tributary/runners')).body;
  const victim = runners.find((r) => r.connector === connector);
  if (!victim) return undefined;
  process.kill(victim.pid, 'SIGKILL');
  return victim.pid;
}

/**
 * SIGKILLs the runner of a task and measures how long until a new runner reported the task
 * RUNNING again (a status written after the kill). Returns seconds.
 */
export async function killAndTimeRecovery(restUrl: string, store: ConnectorStore, connector: string, task = 0): Promise<number> {
  const pid = await runnerPid(restUrl, connector, task);
  const killedAt = Date.now();
  process.kill(pid, 'SIGKILL');
  await eventually(
    async () => {
      const s = (await store.getState(connector))?.taskStatuses.find((t) => t.id === task);
      return s?.state === 'RUNNING' && s.updatedAt > killedAt;
    },
    { what: `${connector}/${task} RUNNING again after the kill`, intervalMs: 20, timeoutMs: 120_000 },
  );
  return (Date.now() - killedAt) / 1000;
}

/** How often each numbered line (test/support/kafka-helpers.ts writeNumberedLines) appears in a file. */
export function countLinesInFile(file: string, total: number): { missing: number; duplicated: number; counts: Uint32Array } {
  const counts = new Uint32Array(total);
  if (existsSync(file)) {
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      // A line cut by a kill mid-write is not one of ours; its full copy comes with the replay.
      if (line.length !== 99) continue;
      const n = Number(line.slice(0, 10));
      if (Number.isInteger(n) && n >= 0 && n < total) counts[n] = (counts[n] ?? 0) + 1;
    }
  }
  let missing = 0;
  let duplicated = 0;
  for (const c of counts) {
    if (c === 0) missing++;
    else duplicated += c - 1;
  }
  return { missing, duplicated, counts };
}

/** Lines in a file so far (cheap progress probe). */
export function lineCount(file: string): number {
  if (!existsSync(file)) return 0;
  const buf = readFileSync(file);
  let n = 0;
  for (let i = buf.indexOf(10); i >= 0; i = buf.indexOf(10, i + 1)) n++;
  return n;
}

/** The local host's live runner processes (Linux /proc): its children running host/runner-process.ts. */
export function runnerProcesses(hostPid: number): number[] {
  return childProcesses(hostPid).filter((pid) => {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('runner-process');
    } catch {
      return false;
    }
  });
}

/** Live child processes of a process (Linux /proc). */
export function childProcesses(ppid: number): number[] {
  const out: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // Fields after the command (which may hold spaces): state, ppid, …
      const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(rest[1]) === ppid && rest[0] !== 'Z') out.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return out;
}
