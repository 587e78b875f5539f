/**
 * What the state machine hands a runner, declared once: the lifecycle step that acquires the
 * lease builds it, the ASL passes it on (as the runner Lambda's payload, or as the Fargate
 * container's TRIBUTARY_RUNNER_INPUT), and every runner — Lambda, Fargate, local process —
 * parses it with the same schema.
 */
import { z } from 'zod';
import type { SliceHint } from './task-worker.ts';

/**
 * Default of `tributary.offset.flush.max.records`: a commit begins every 20,000 records (~0.05 s
 * at full speed). A commit every ~6,700 (a third of the earlier default, 20,000) cost a source a
 * quarter of its throughput: each commit's offsets record takes the producer's one request in flight.
 */
export const DEFAULT_COMMIT_MAX_RECORDS = 60_000;

export const runnerInputSchema = z.object({
  connector: z.string().min(1),
  task: z.number().int().nonnegative(),
  /** The lease epoch: the runner commits only while the lease still has it. */
  epoch: z.number().int().nonnegative(),
  /** How long this slice may run before it commits and returns. */
  budgetMs: z.number().positive(),
  /** End the slice as idle after this long without data. */
  idleMs: z.number().positive(),
  commitIntervalMs: z.number().positive(),
  /** Commit after at most this many records as well (`tributary.offset.flush.max.records`). */
  commitMaxRecords: z.number().int().positive().default(DEFAULT_COMMIT_MAX_RECORDS),
});

export type RunnerInput = z.input<typeof runnerInputSchema>;

/** What a runner returns after a slice. */
export interface RunnerResult {
  readonly hint: SliceHint;
  readonly records: number;
  readonly workerId: string;
}

/** Validates a runner input from an untrusted edge (an event payload, an environment variable). */
export function parseRunnerInput(raw: unknown): z.output<typeof runnerInputSchema> {
  return runnerInputSchema.parse(raw);
}
