/** Apache Kafka Connect 4.1.1 as a benchmark target: one distributed worker, replaced by a new one after a crash. */
import { startApacheConnect, type ApacheConnectOptions, type ApacheConnectWorker } from '../../host/apache-connect-launcher.ts';
import { freePort } from '../../host/net-probe.ts';
import { eventually, rest } from '../../cli/connect-rest-client.ts';
import { BenchTargetError, type BenchTarget, type StatusBody } from './bench-target.ts';

type WorkerSettings = Omit<ApacheConnectOptions, 'port' | 'cluster'>;

export async function startConnectTarget(settings: WorkerSettings): Promise<BenchTarget> {
  let worker: ApacheConnectWorker = await startApacheConnect({ ...settings, port: await freePort() });
  const workers = [worker];
  let replacement: Promise<ApacheConnectWorker> | undefined;

  return {
    system: 'connect',
    get restUrl() {
      return worker.restUrl;
    },
    workerPids: async () => [worker.pid],
    async crash() {
      const victim = worker;
      await victim.kill();
      // What an orchestrator does for a dead worker: start another in the same group. A new
      // port gives it a new worker_id, so its RUNNING cannot be confused with the dead one's.
      replacement = freePort().then((port) => startApacheConnect({ ...settings, port, cluster: victim.cluster }));
      replacement.then((w) => void workers.push(w), () => {});
      return victim.pid;
    },
    async waitRecovered(connector, deadline) {
      if (!replacement) throw new BenchTargetError('waitRecovered() before crash()');
      worker = await replacement;
      const { restUrl } = worker;
      const workerId = new URL(restUrl).host;
      return eventually(
        async () => {
          const task = (await rest<StatusBody>(restUrl, 'GET', `/connectors/${connector}/status`)).body.tasks?.find((t) => t.id === 0);
          return task?.state === 'RUNNING' && task.worker_id === workerId && performance.now();
        },
        { timeoutMs: deadline - Date.now(), intervalMs: 25, what: `${connector} task 0 RUNNING on the replacement worker ${workerId}` },
      );
    },
    async exactlyOnce() {
      const eos = await startConnectTarget({ ...settings, workerProperties: { ...settings.workerProperties, 'exactly.once.source.support': 'enabled' } });
      return { target: eos, release: () => eos.stop() };
    },
    async stop() {
      await replacement?.catch(() => undefined);
      for (const w of workers) await w.stop();
    },
  };
}
