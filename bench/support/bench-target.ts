/** One system under test, as the workloads see it: a REST URL, its processes, and a way to crash it. */
import type { System } from './bench-options.ts';

export interface BenchTarget {
  readonly system: System;
  /** Changes when a Connect worker is replaced during the recovery workload. */
  readonly restUrl: string;
  /** A process that serves only the control plane (Tributary's local host), if any. */
  readonly controlPlanePid?: number;
  /** The processes doing the connector's work: the worker JVM, or the connector's runner processes. */
  workerPids(connector: string): Promise<number[]>;
  /**
   * `kill -9` of the process running the connector's task 0, then whatever a deployment does
   * on its own to get the work back (for Connect: a new worker joins the group). Returns the
   * killed process id; does not wait for the recovery.
   */
  crash(connector: string): Promise<number>;
  /** Resolves (with `performance.now()`) once task 0 is RUNNING again in a process started after the crash. */
  waitRecovered(connector: string, deadline: number): Promise<number>;
  /**
   * A target whose source tasks may run exactly-once, when that is a worker setting (Connect's
   * `exactly.once.source.support`); absent when the connector config alone asks for it.
   */
  exactlyOnce?(): Promise<{ target: BenchTarget; release(): Promise<void> }>;
  /**
   * Resolves once the target has finished the background work it began on its own (Tributary:
   * warm runner processes loading), so each workload starts on a machine at rest, as a Connect
   * worker that has finished starting is.
   */
  settled?(): Promise<void>;
  /** Stops everything this target started, including processes a crash left behind. */
  stop(): Promise<void>;
}

/** Thrown when a target cannot do what a workload asks; the workload records it and the run goes on. */
export class BenchTargetError extends Error {
  override readonly name = 'BenchTargetError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

export interface StatusBody {
  connector?: { state?: string; worker_id?: string };
  tasks?: { id?: number; state?: string; worker_id?: string }[];
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
