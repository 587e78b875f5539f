/**
 * The restart policy: whether a failed task is restarted automatically, after how long,
 * and when its budget (restarts per hour) is spent. Shared by the state machine's failure
 * path and the CloudWatch-driven restarter.
 *
 * Two kinds of failure are kept apart. A connector failure (the task threw) restarts with an
 * exponential backoff under `tributary.restart.max.per.hour`; the backoff starts over once
 * the task has run healthily for `tributary.restart.backoff.reset.ms`. A runner lost to the
 * infrastructure (process killed, Lambda timeout or out of memory, Fargate task stopped) says
 * nothing about the connector: it is re-run at once, under its own budget
 * (`tributary.restart.infrastructure.max.per.hour`); once that is spent too — a runner that is
 * lost again and again is a crash loop — further losses count as connector failures.
 */
import type { ConnectorConfig } from '../store/store-model.ts';

const HOUR = 3_600_000;

export type FailureKind = 'connector' | 'infrastructure';

export interface RestartDecision {
  readonly restart: boolean;
  readonly waitMs: number;
  /** Restarts of this kind in the last hour, including this one when it happens. */
  readonly recent: readonly number[];
  readonly reason: string;
}

/** Error names of a runner that did not fail by itself: its process, container or invocation was lost. */
const INFRASTRUCTURE_ERRORS = new Set([
  'Runtime.ExitError',
  'Runtime.OutOfMemory',
  'Sandbox.Timedout',
  'States.Timeout',
  'States.HeartbeatTimeout',
  'Lambda.Unknown',
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
  'Lambda.TooManyRequestsException',
]);

/** Exit code of a Node runner that ended on an uncaught error: the connector failed, not the container. */
const RUNNER_ERROR_EXIT_CODE = 1;

/**
 * Tells a connector failure from a runner lost to the infrastructure, from the error Step
 * Functions caught: Lambda's error name (or the errorType in its Cause), a Lambda timeout's
 * message, or for a Fargate task the stopped task's description (its container did not exit
 * with the runner's own error code).
 */
export function failureKind(error: { Error?: string; Cause?: string }): FailureKind {
  if (error.Error && INFRASTRUCTURE_ERRORS.has(error.Error)) return 'infrastructure';
  let cause: Record<string, unknown> | undefined;
  try {
    const parsed: unknown = JSON.parse(error.Cause ?? '');
    if (parsed && typeof parsed === 'object') cause = parsed as Record<string, unknown>;
  } catch {
    return /Task timed out after/.test(error.Cause ?? '') ? 'infrastructure' : 'connector';
  }
  if (!cause) return 'connector';
  if (typeof cause.errorType === 'string' && INFRASTRUCTURE_ERRORS.has(cause.errorType)) return 'infrastructure';
  if (typeof cause.errorMessage === 'string' && /Task timed out after/.test(cause.errorMessage)) return 'infrastructure';
  // ECS RunTask .sync: the stopped task's description.
  const containers = (cause.Containers ?? cause.containers) as { ExitCode?: number; exitCode?: number }[] | undefined;
  if (Array.isArray(containers) || 'StopCode' in cause || 'stopCode' in cause) {
    const failedByItself = (containers ?? []).some((c) => (c.ExitCode ?? c.exitCode) === RUNNER_ERROR_EXIT_CODE);
    return failedByItself ? 'connector' : 'infrastructure';
  }
  return 'connector';
}

const num = (config: ConnectorConfig, k: string, d: number) => (config[k] === undefined ? d : Number(config[k]));

/** After a connector failure: restart after a backoff, or give up when the budget is spent. */
export function decideRestart(config: ConnectorConfig, history: readonly number[] = [], now = Date.now()): RestartDecision {
  const recent = history.filter((t) => now - t < HOUR);
  if ((config['tributary.restart.policy'] ?? 'on-failure') === 'never') {
    return { restart: false, waitMs: 0, recent, reason: 'restart policy is never' };
  }
  const budget = num(config, 'tributary.restart.max.per.hour', 10);
  if (recent.length >= budget) {
    return { restart: false, waitMs: 0, recent, reason: `restart budget spent: ${recent.length} restarts in the last hour (tributary.restart.max.per.hour=${budget})` };
  }
  const initial = num(config, 'tributary.restart.backoff.initial.ms', 1000);
  const max = num(config, 'tributary.restart.backoff.max.ms', 60_000);
  const streak = failureStreak(recent, now, num(config, 'tributary.restart.backoff.reset.ms', 300_000) + max);
  const waitMs = Math.min(max, initial * 2 ** streak);
  return { restart: true, waitMs, recent: [...recent, now], reason: `automatic restart ${recent.length + 1} of ${budget} this hour, after ${waitMs} ms` };
}

/**
 * After a runner was lost to the infrastructure: re-run at once while the infrastructure
 * budget lasts. Undefined when it is spent, and the loss must count as a connector failure.
 */
export function decideRerun(config: ConnectorConfig, history: readonly number[] = [], now = Date.now()): RestartDecision | undefined {
  const recent = history.filter((t) => now - t < HOUR);
  if ((config['tributary.restart.policy'] ?? 'on-failure') === 'never') return undefined;
  const budget = num(config, 'tributary.restart.infrastructure.max.per.hour', 60);
  if (recent.length >= budget) return undefined;
  return { restart: true, waitMs: 0, recent: [...recent, now], reason: `runner lost to the infrastructure, re-run at once (${recent.length + 1} of ${budget} this hour, tributary.restart.infrastructure.max.per.hour)` };
}

/**
 * Restarts in the current run of failures: counting back from now, until a gap longer than
 * `healthyGapMs` (the reset period plus the longest backoff), which means the task ran
 * healthily in between and the backoff starts over.
 */
export function failureStreak(restarts: readonly number[], now: number, healthyGapMs: number): number {
  let streak = 0;
  let later = now;
  for (let i = restarts.length - 1; i >= 0; i--) {
    const t = restarts[i] as number;
    if (later - t >= healthyGapMs) break;
    streak++;
    later = t;
  }
  return streak;
}
