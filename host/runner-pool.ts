/**
 * Local runners as child processes, one per task, kept warm between slices like Lambda
 * containers. A runner that dies (even by SIGKILL) fails its slice with an error the state
 * machine catches, and the next slice gets a fresh process. A runner whose task no longer
 * needs it (its slice came back stopped or fenced, or its execution ended) is freed at once:
 * it lets the task go and becomes a spare, loaded and connected, as a warm Lambda container
 * takes the next invocation. So the pool holds at most one process per live task plus the
 * spares that recent demand calls for.
 */
import { fork, type ChildProcess } from 'node:child_process';
import type { TaskSample } from '../lib/observability/metric-catalog.ts';
import type { RunnerInput, RunnerResult } from '../lib/runtime/runner-input.ts';
import { RUNNER_NODE_FLAGS } from '../lib/runtime/runner-node-flags.ts';
import type { RunnerEntry } from './runner-bundle.ts';
import { CpuLoadProbe } from './cpu-load-probe.ts';
import { BURST_MS, nextSpareStep, SpareDemand, spareSizingFromEnv } from './spare-sizing.ts';

interface Pending {
  resolve(r: RunnerResult): void;
  reject(e: Error): void;
}

interface Runner {
  readonly key: string;
  readonly child: ChildProcess;
  readonly pending: Map<number, Pending>;
  /** No longer this task's: exited, retired or back among the spares. */
  exited: boolean;
  /** This task's listeners on the process (its invocations' answers), removed when it goes back to the spares. */
  detach(): void;
}

/** The error a dead runner's invocation fails with: shaped like a Lambda runtime error. */
export class RunnerExitError extends Error {
  override readonly name = 'Runtime.ExitError';
}

/** How often the spare count is checked against demand when nothing is handed out, so an idle pool shrinks. */
const SIZING_CHECK_MS = 5_000;
/** While the next spare waits for a free core, how often the pool looks again. */
const IDLE_RECHECK_MS = 1_000;

const alive = (c: ChildProcess) => c.exitCode === null && c.signalCode === null;
/** A retired runner has nothing left to commit (its slice ended with a commit); past this, it is killed. */
const RETIRE_GRACE_MS = 10_000;
/** Tasks one runner process serves, one after another, before it is replaced by a fresh one. */
const MAX_TASKS_PER_RUNNER = 25;

export class RunnerPool {
  private readonly runners = new Map<string, Runner>();
  private seq = 0;
  /** Started, unassigned processes, so a new task does not wait for Node and the runtime to load. */
  private spares: ChildProcess[] = [];
  /** Processes that reported they finished loading. */
  private readonly loaded = new WeakSet<ChildProcess>();
  /** How many tasks each process has been handed. */
  private readonly served = new WeakMap<ChildProcess, number>();
  private closed = false;
  /** Warm processes kept ready, as many as recent demand calls for (spare-sizing.ts). */
  private readonly demand: SpareDemand;
  private sizingTimer: NodeJS.Timeout | undefined;
  /** The next look while a spare waits for a free core. */
  private recheck: NodeJS.Timeout | undefined;
  private readonly cpu = new CpuLoadProbe();

  constructor(
    private readonly env: NodeJS.ProcessEnv,
    /** The module runners start from (runner-bundle.ts). */
    private readonly entry: RunnerEntry,
    /** Told what runners counted about their tasks (every few seconds while they run). */
    private readonly onSamples: (samples: readonly TaskSample[]) => void = () => {},
  ) {
    this.demand = new SpareDemand(spareSizingFromEnv(env));
  }

  /**
   * Keeps as many spare processes ready as recent demand calls for (Lambda's provisioned
   * concurrency, locally): forks the missing ones, and lets the newest surplus ones go once
   * demand has been quiet.
   */
  prewarm(): void {
    this.spares = this.spares.filter(alive);
    if (this.closed) return;
    const wanted = this.demand.wanted();
    const step = nextSpareStep({ ...this.spareCounts(), wanted, serving: this.runners.size, burst: this.demand.within(BURST_MS) }, () => this.cpu.idleCores());
    if (step === 'load') this.spares.push(this.fork());
    else if (step === 'wait') {
      this.recheck ??= setTimeout(() => {
        this.recheck = undefined;
        this.prewarm();
      }, IDLE_RECHECK_MS).unref();
    }
    while (this.spares.length > wanted) this.spares.pop()?.kill('SIGTERM');
    if (!this.sizingTimer) {
      this.sizingTimer = setInterval(() => this.prewarm(), SIZING_CHECK_MS);
      this.sizingTimer.unref();
    }
  }

  /** Spare processes alive and loaded, those loading, and how many recent demand calls for (GET /tributary/runner-spares). */
  spareStats(): { ready: number; loading: number; wanted: number } {
    return { ...this.spareCounts(), wanted: this.demand.wanted() };
  }

  /** Spares alive and loaded, and those alive and still loading. */
  private spareCounts(): { ready: number; loading: number } {
    const living = this.spares.filter(alive);
    const ready = living.filter((c) => this.loaded.has(c)).length;
    return { ready, loading: living.length - ready };
  }

  /** Runner processes with the task each serves (GET /tributary/runners). */
  list(): { connector: string; task: number; pid: number | undefined }[] {
    return [...this.runners.values()].map((r) => {
      const [connector = '', task = '0'] = splitKey(r.key);
      return { connector, task: Number(task), pid: r.child.pid };
    });
  }

  invoke(input: RunnerInput): Promise<RunnerResult> {
    const runner = this.runnerFor(keyOf(input.connector, input.task));
    const id = ++this.seq;
    return new Promise<RunnerResult>((resolve, reject) => {
      runner.pending.set(id, {
        resolve: (r) => {
          // The runner let its task go (stopped, deleted, reassigned): it is free for another.
          if (r.hint === 'stopped' || r.hint === 'fenced') this.retire(runner);
          resolve(r);
        },
        reject,
      });
      runner.child.send({ type: 'invoke', id, input }, (err) => {
        if (err) {
          runner.pending.delete(id);
          reject(new RunnerExitError(`Runner process ${runner.child.pid} could not be reached: ${err.message}`));
        }
      });
    });
  }

  /**
   * Tells the runners serving the connector's tasks that its target changed, so a deleted,
   * paused or stopped connector's runner commits and comes back to the spares at once, not
   * when its next look at the store falls due.
   */
  targetChanged(connector: string): void {
    for (const r of this.runners.values()) {
      if (!r.exited && splitKey(r.key)[0] === connector) r.child.send({ type: 'target-changed', connector }, () => {});
    }
  }

  /** Frees the runner of a task whose execution ended (no slice will come for it). */
  release(connector: string, task: number): void {
    const runner = this.runners.get(keyOf(connector, task));
    if (runner) this.retire(runner);
  }

  /**
   * Frees an idle runner; one still serving a slice (a newer epoch's) stays. It lets its task
   * go and becomes the first spare, loaded and connected (surplus spares are the newest, so
   * they go first), unless it has served MAX_TASKS_PER_RUNNER tasks: then it exits, so what
   * a connector's code may leak in a process does not pile up.
   */
  private retire(runner: Runner): void {
    if (runner.pending.size > 0 || runner.exited) return;
    if (this.runners.get(runner.key) === runner) this.runners.delete(runner.key);
    runner.exited = true;
    runner.detach();
    const child = runner.child;
    if (!this.closed && alive(child) && (this.served.get(child) ?? 0) < MAX_TASKS_PER_RUNNER) {
      child.send({ type: 'release' }, () => {});
      this.spares.unshift(child);
      this.prewarm();
      return;
    }
    child.send({ type: 'shutdown' }, () => {});
    const timer = setTimeout(() => child.kill('SIGKILL'), RETIRE_GRACE_MS);
    timer.unref();
    child.once('exit', () => clearTimeout(timer));
  }

  /** Asks every runner to commit and exit, and waits (up to `timeoutMs`) for them. */
  async shutdown(timeoutMs = 30_000): Promise<void> {
    this.closed = true;
    clearInterval(this.sizingTimer);
    clearTimeout(this.recheck);
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
    const child = fork(this.entry.entry, [], {
      execArgv: ['--disable-warning=TimeoutNegativeWarning', ...RUNNER_NODE_FLAGS, ...this.entry.execArgv, ...profileArgs(this.env)],
      env: this.env,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      detached: true, // Ctrl-C goes to the host, which stops runners in order
    });
    // What the process counted comes whichever task it serves, also once it is back among the
    // spares (the figures of the commit that let its task go).
    child.on('message', (m: { type?: string; samples?: TaskSample[] }) => {
      if (m.type === 'ready') {
        this.loaded.add(child);
        this.prewarm();
      }
      if (m.type === 'metrics' && Array.isArray(m.samples)) this.onSamples(m.samples);
    });
    return child;
  }

  private runnerFor(key: string): Runner {
    const existing = this.runners.get(key);
    if (existing && !existing.exited) return existing;
    this.spares = this.spares.filter(alive);
    // A loaded spare first; else the oldest, the furthest along.
    const ready = this.spares.findIndex((c) => this.loaded.has(c));
    const child = (ready >= 0 ? this.spares.splice(ready, 1)[0] : this.spares.shift()) ?? this.fork();
    this.served.set(child, (this.served.get(child) ?? 0) + 1);
    this.demand.record();
    const runner: Runner = { key, child, pending: new Map(), exited: false, detach: () => {} };
    const onMessage = (m: { type: string; id?: number; result?: RunnerResult; error?: { errorType: string; errorMessage: string; trace: string } }) => {
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
    };
    const onExit = (code: number | null, signal: NodeJS.Signals | null) => {
      runner.exited = true;
      if (this.runners.get(key) === runner) this.runners.delete(key);
      for (const p of runner.pending.values()) {
        const e = new RunnerExitError(JSON.stringify({ errorType: 'Runtime.ExitError', errorMessage: `Runner process ${child.pid} exited (${signal ?? code}) during a slice`, trace: `Runtime.ExitError: runner process ${child.pid} exited with ${signal ?? `code ${code}`}` }));
        p.reject(e);
      }
      runner.pending.clear();
    };
    child.on('message', onMessage);
    child.on('exit', onExit);
    runner.detach = () => {
      child.off('message', onMessage);
      child.off('exit', onExit);
    };
    this.runners.set(key, runner);
    // Once the runner counts as serving: the next spare then waits for a free core unless none
    // is ready. The idle cores that count are those seen once this task is under way; judged by
    // the quiet second before it, a spare loaded while the task started and took the core the
    // task was about to use.
    this.cpu.restart();
    this.prewarm();
    return runner;
  }
}

const keyOf = (connector: string, task: number) => `${connector}\u0000${task}`;

/** TRIBUTARY_RUNNER_CPU_PROF_DIR: each runner writes a V8 CPU profile there when it exits (profiling the record pipeline). */
function profileArgs(env: NodeJS.ProcessEnv): string[] {
  const dir = env.TRIBUTARY_RUNNER_CPU_PROF_DIR;
  return dir ? ['--cpu-prof', `--cpu-prof-dir=${dir}`] : [];
}

function splitKey(key: string): string[] {
  return key.split('\u0000');
}
