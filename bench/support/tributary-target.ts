/**
 * Tributary as a benchmark target: its local host (`tsx cli/tributary-cli.ts start`) as a child
 * process on the benchmark's broker and DynamoDB Local; task runners are its child processes,
 * found through `GET /tributary/runners`.
 */
import { startHostProcess } from '../../host/host-process.ts';
import { freePort } from '../../host/net-probe.ts';
import { uniqueName } from './bench-names.ts';
import { eventually, rest } from '../../cli/connect-rest-client.ts';
import { BenchTargetError, isAlive, type BenchTarget, type StatusBody } from './bench-target.ts';

interface RunnerEntry {
  readonly connector: string;
  readonly task: number;
  readonly pid?: number;
}

export interface TributaryTargetSettings {
  readonly bootstrapServers: string;
  readonly dynamoEndpoint: string;
  readonly dataDir: string;
}

/** The longest a workload waits for the runner spares to finish loading. */
const SETTLE_MS = 20_000;

export async function startTributaryTarget(s: TributaryTargetSettings): Promise<BenchTarget> {
  const host = await startHostProcess({
    kafkaBootstrap: s.bootstrapServers,
    dynamoEndpoint: s.dynamoEndpoint,
    dataDir: s.dataDir,
    tableName: uniqueName('tributary-bench'),
    port: await freePort(),
  });
  // Runners are detached process groups; if the host dies hard they would outlive it.
  const seen = new Set<number>();
  const crashed = new Map<string, number>();

  const runners = async (connector: string): Promise<RunnerEntry[]> => {
    const r = await rest<RunnerEntry[]>(host.restUrl, 'GET', '/tributary/runners');
    if (r.status !== 200 || !Array.isArray(r.body)) throw new BenchTargetError(`GET /tributary/runners answered ${r.status}: ${JSON.stringify(r.body).slice(0, 200)}`);
    for (const e of r.body) if (e.pid) seen.add(e.pid);
    return r.body.filter((e) => e.connector === connector);
  };

  return {
    system: 'tributary',
    restUrl: host.restUrl,
    controlPlanePid: host.child.pid,
    workerPids: async (connector) => (await runners(connector)).flatMap((e) => (e.pid ? [e.pid] : [])),
    async crash(connector) {
      const pid = (await runners(connector)).find((e) => e.task === 0)?.pid;
      if (!pid) throw new BenchTargetError(`No runner process for ${connector} task 0 in GET /tributary/runners`);
      process.kill(pid, 'SIGKILL');
      crashed.set(connector, pid);
      return pid;
    },
    async waitRecovered(connector, deadline) {
      const old = crashed.get(connector);
      return eventually(
        async () => {
          const pid = (await runners(connector)).find((e) => e.task === 0)?.pid;
          if (!pid || pid === old) return false;
          const r = await rest<StatusBody>(host.restUrl, 'GET', `/connectors/${connector}/status`);
          return r.body.tasks?.find((t) => t.id === 0)?.state === 'RUNNING' && performance.now();
        },
        { timeoutMs: deadline - Date.now(), intervalMs: 25, what: `${connector} task 0 RUNNING in a new runner process` },
      );
    },
    async settled() {
      // Spares load after the host starts and after tasks take them; a workload that began
      // meanwhile shared the two cores with up to a second of a runner's loading. Not waited
      // for past SETTLE_MS: a pool that never settles is measured as it is.
      await eventually(
        async () => {
          const r = await rest<{ loading?: number }>(host.restUrl, 'GET', '/tributary/runner-spares');
          return r.status === 200 && r.body.loading === 0;
        },
        { timeoutMs: SETTLE_MS, intervalMs: 100, what: 'no runner spare loading' },
      ).catch(() => {});
    },
    async stop() {
      const timer = setTimeout(() => host.child.kill('SIGKILL'), 45_000);
      await host.stop('SIGTERM');
      clearTimeout(timer);
      for (const pid of seen) if (isAlive(pid)) process.kill(pid, 'SIGKILL');
    },
  };
}
