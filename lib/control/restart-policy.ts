/**
 * The restart policy: whether a failed task is restarted automatically, after how long,
 * and when its budget (restarts per hour) is spent. Shared by the state machine's failure
 * path and the CloudWatch-driven restarter.
 */
import type { ConnectorConfig } from '../store/store-model.ts';

const HOUR = 3_600_000;

export interface RestartDecision {
  readonly restart: boolean;
  readonly waitMs: number;
  /** Restarts in the last hour, including this one when it happens. */
  readonly recent: readonly number[];
  readonly reason: string;
}

export function decideRestart(config: ConnectorConfig, history: readonly number[] = [], now = Date.now()): RestartDecision {
  const recent = history.filter((t) => now - t < HOUR);
  const num = (k: string, d: number) => (config[k] === undefined ? d : Number(config[k]));
  if ((config['tributary.restart.policy'] ?? 'on-failure') === 'never') {
    return { restart: false, waitMs: 0, recent, reason: 'restart policy is never' };
  }
  const budget = num('tributary.restart.max.per.hour', 10);
  if (recent.length >= budget) {
    return { restart: false, waitMs: 0, recent, reason: `restart budget spent: ${recent.length} restarts in the last hour (tributary.restart.max.per.hour=${budget})` };
  }
  const initial = num('tributary.restart.backoff.initial.ms', 1000);
  const max = num('tributary.restart.backoff.max.ms', 60_000);
  const waitMs = Math.min(max, initial * 2 ** recent.length);
  return { restart: true, waitMs, recent: [...recent, now], reason: `automatic restart ${recent.length + 1} of ${budget} this hour, after ${waitMs} ms` };
}
