/**
 * Local runners as child processes, one per task, kept warm between slices like Lambda
 * containers. A runner that dies (even by SIGKILL) fails its slice with an error the state
 * machine catches, and the next slice gets a fresh process.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { RunnerInput, RunnerResult } from '../lib/runtime/slice-runner.ts';
import { projectRoot } from './local-paths.ts';

interface Pending {
  resolve(r: RunnerResult): void;
  reject(e: Error): void;
}

interface Runner {
  readonly key: string;
  readonly child: ChildProcess;
  readonly pending: Map<number, Pending>;
  exited: boolean;
}

/** The error a dead runner's invocation fails with: shaped like a Lambda runtime error. */
export class RunnerExitError extends Error {
  override readonly name = 'Runtime.ExitError';
}

/** Warm processes kept ready: two, so creating connectors back to back still finds one. */
const SPARES = 2;

export class RunnerPool {
  private readonly runners = new Map<string, Runner>();
  private seq = 0;
  /** Started, unassigned processes, so a new task does not wait for Node and the runtime to load. */
  private spares: ChildProcess[] = [];
  private closed = false;

  constructor(private readonly env: NodeJS.ProcessEnv) {}

  /** Keeps SPARES warm processes ready (Lambda's provisioned concurrency, locally). */
  prewarm(): void {
    this.spares = this.spares.filter((c) => c.exitCode === null && c.signalCode === null);
    while (!this.closed && this.spares.length < SPARES) this.spares.push(this.fork());
  }

  /** Runner processes with the task each serves (GET /tributary/runners). */
  list(): { connector: string; task: number; pid: number | undefined }[] {
    return [...this.runners.values()].map((r) => {
      const [connector = '', task = '0'] = splitKey(r.key);
      return { connector, task: Number(task), pid: r.child.pid };
    });
  }

  invoke(input: RunnerInput): Promise<RunnerResult> {
    const runner = this.runnerFor(`${input.connector}\u0000${input.task}`);
    const id = ++this.seq;
    return new Promise<RunnerResult>((resolve, reject) => {
      runner.pending.set(id, { resolve, reject });
      runner.child.send({ type: 'invoke', id, input }, (err) => {
        if (err) {
          runner.pending.delete(id);
          reject(new RunnerExitError(`Runner process ${runner.child.pid} could not be reached: ${err.message}`));
        }
      });
    });
  }

  /** Asks every runner to commit and exit, and waits (up to `timeoutMs`) for them. */
  async shutdown(timeoutMs = 30_000): Promise<void> {
    this.closed = true;
    for (const c of this.spares) c.kill('SIGTERM');
    this.spares = [];
    const all = [...this.runners.values()];
    await Promise.all(
      all.map(
        (r) =>
          new Promise<void>((resolve) => {
            if (r.exited) return resolve();
            const timer = setTimeout(() => {
              r.child.kill('SIGKILL');
              resolve();
            }, timeoutMs);
            r.child.once('exit', () => {
              clearTimeout(timer);
              resolve();
            });
            r.child.send({ type: 'shutdown' }, () => {});
          }),
      ),
    );
  }

  private fork(): ChildProcess {
    return fork(join(projectRoot, 'host', 'runner-process.ts'), [], {
      execArgv: ['--disable-warning=TimeoutNegativeWarning', '--import', 'tsx', ...profileArgs(this.env)],
      env: this.env,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      detached: true, // Ctrl-C goes to the host, which stops runners in order
    });
  }

  private runnerFor(key: string): Runner {
    const existing = this.runners.get(key);
    if (existing && !existing.exited) return existing;
    this.spares = this.spares.filter((c) => c.exitCode === null && c.signalCode === null);
    const child = this.spares.shift() ?? this.fork();
    this.prewarm();
    const runner: Runner = { key, child, pending: new Map(), exited: false };
    child.on('message', (m: { type: string; id?: number; result?: RunnerResult; error?: { errorType: string; errorMessage: string; trace: string } }) => {
      if (m.id === undefined) return;
      const p = runner.pending.get(m.id);
      if (!p) return;
      runner.pending.delete(m.id);
      if (m.type === 'result' && m.result) p.resolve(m.result);
      else {
        // As Lambda reports errors to Step Functions: the name as Error, details as a JSON Cause.
        const e = new Error(JSON.stringify(m.error));
        e.name = m.error?.errorType ?? 'Error';
        p.reject(e);
      }
    });
    child.on('exit', (code, signal) => {
      runner.exited = true;
      if (this.runners.get(key) === runner) this.runners.delete(key);
      for (const p of runner.pending.values()) {
        const e = new RunnerExitError(JSON.stringify({ errorType: 'Runtime.ExitError', errorMessage: `Runner process ${child.pid} exited (${signal ?? code}) during a slice`, trace: `Runtime.ExitError: runner process ${child.pid} exited with ${signal ?? `code ${code}`}` }));
        p.reject(e);
      }
      runner.pending.clear();
    });
    this.runners.set(key, runner);
    return runner;
  }
}

/** TRIBUTARY_RUNNER_CPU_PROF_DIR: each runner writes a V8 CPU profile there when it exits (profiling the record pipeline). */
function profileArgs(env: NodeJS.ProcessEnv): string[] {
  const dir = env.TRIBUTARY_RUNNER_CPU_PROF_DIR;
  return dir ? ['--cpu-prof', `--cpu-prof-dir=${dir}`] : [];
}

function splitKey(key: string): string[] {
  return key.split('\u0000');
}
