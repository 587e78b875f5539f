/**
 * A local runner: a child process that behaves as a warm runner Lambda. It receives slice
 * invocations over IPC, runs them through the runner Lambda's own handler, lets its tasks go
 * when the host hands it to other tasks (a release message), looks at once at the target of a
 * connector the host says was changed (a target-changed message), and on SIGTERM (or a shutdown
 * message) lets the running slice commit before it exits.
 */
import type { Context } from 'aws-lambda';
import { handleRunnerInvocation, releaseTasks, shutdownRunner, stopRequested, takeTaskFigures, targetChanged, warmUpRunner } from '../functions/runner-handler.ts';
import type { RunnerInput } from '../lib/runtime/runner-input.ts';
import { traceOf } from '../lib/runtime/runtime-errors.ts';
import { lambdaContext } from './lambda-context.ts';

interface Invoke {
  readonly type: 'invoke';
  readonly id: number;
  readonly input: RunnerInput;
}

process.env.WORKER_ID ??= `127.0.0.1:runner-${process.pid}`;
const send = (m: unknown) => process.send?.(m);
const MAX_TIMER_MS = 2_000_000_000;
const EXIT_GRACE_MS = 30_000;
/** How often the task figures go to the host: finer than its 10-second buckets. */
const FIGURES_INTERVAL_MS = 2_000;
let inflight = 0;
let exiting = false;

async function exit(): Promise<void> {
  if (exiting) return;
  exiting = true;
  // Committing needs Kafka and the store; if they are gone, the next runner replays instead.
  setTimeout(() => process.exit(1), EXIT_GRACE_MS).unref();
  stopRequested();
  while (inflight > 0) await new Promise((r) => setTimeout(r, 20));
  await shutdownRunner();
  await reportFigures();
  process.exit(0);
}

/** Sends the host what the tasks counted since the last report (the figures' only reader here). */
function reportFigures(): Promise<void> {
  const samples = takeTaskFigures().filter((s) => s.lag.length > 0 || Object.values(s.figures).some((v) => v !== 0));
  if (!samples.length || !process.connected) return Promise.resolve();
  return new Promise((resolve) => process.send?.({ type: 'metrics', samples }, () => resolve()) ?? resolve());
}
setInterval(() => void reportFigures(), FIGURES_INTERVAL_MS).unref();

process.on('SIGTERM', () => void exit());
process.on('SIGINT', () => {}); // Ctrl-C reaches the whole group; the host decides the order of shutdown.
process.on('disconnect', () => void exit());
process.on('message', (m: Invoke | { type: 'shutdown' } | { type: 'release' } | { type: 'target-changed'; connector: string }) => {
  if (m.type === 'shutdown') {
    void exit();
    return;
  }
  if (m.type === 'target-changed') {
    targetChanged(m.connector);
    return;
  }
  if (m.type === 'release') {
    // A task that cannot commit now is replayed from its last commit by its next runner.
    releaseTasks().then(reportFigures, () => {});
    return;
  }
  inflight++;
  // A Fargate-style slice has no real bound; timers overflow past 2^31 ms, so cap the context there.
  const context: Context = lambdaContext('tributary-runner', Math.min(m.input.budgetMs + 60_000, MAX_TIMER_MS));
  handleRunnerInvocation(m.input, context)
    .then((result) => {
      void reportFigures();
      send({ type: 'result', id: m.id, result });
    })
    .catch((e: unknown) => {
      void reportFigures();
      const err = e as Error;
      send({ type: 'error', id: m.id, error: { errorType: err.name ?? 'Error', errorMessage: err.message ?? String(e), trace: traceOf(e) } });
    })
    .finally(() => {
      inflight--;
    });
});
void reportFigures(); // from now on the figures come to the host, not to the slice's metric lines
// Ready once warm: plugins loaded, Kafka and the store connected, so the first slice starts at
// once. A failed warm-up is no failure: the first slice builds the runner again and reports why.
warmUpRunner()
  .catch(() => {})
  .finally(() => send({ type: 'ready', pid: process.pid }));
