/** Apache Kafka Connect 4.1.1 as a benchmark target: one distributed worker, replaced by a new one after a crash. */
import { startApacheConnect, type ApacheConnectOptions, type ApacheConnectWorker } from '../../test/support/apache-connect.ts';
import { freePort } from '../../test/support/local-host-process.ts';
import { rest } from '../../test/support/rest-client.ts';
import { sleep } from './kafka-tools.ts';
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
      const workerId = new URL(worker.restUrl).host;
      for (;;) {
        const r = await rest<StatusBody>(worker.restUrl, 'GET', `/connectors/${connector}/status`).catch(() => undefined);
        const task = r?.body.tasks?.find((t) => t.id === 0);
        if (task?.state === 'RUNNING' && task.worker_id === workerId) return performance.now();
        if (Date.now() > deadline) throw new BenchTargetError(`Connect did not run ${connector} on the replacement worker in time`);
        await sleep(25);
      }
    },
    async stop() {
      await replacement?.catch(() => undefined);
      for (const w of workers) await w.stop();
    },
  };
}
