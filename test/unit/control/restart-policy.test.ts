/** The restart policy on its own: which failures are the infrastructure's, the two budgets, and the backoff reset. */
import { describe, expect, it } from 'vitest';
import { decideRerun, decideRestart, failureKind, failureStreak } from '../../../lib/control/restart-policy.ts';

const NOW = 10 * 3_600_000;
const SEC = 1000;

describe('failureKind', () => {
  it.each([
    ['a local runner process killed', { Error: 'Runtime.ExitError', Cause: '{"errorType":"Runtime.ExitError","errorMessage":"Runner process 7 exited (SIGKILL) during a slice"}' }],
    ['a Lambda out of memory', { Error: 'Runtime.OutOfMemory', Cause: '{"errorType":"Runtime.OutOfMemory","errorMessage":"Runtime exited with error: signal: killed"}' }],
    ['a Lambda timeout', { Error: 'Sandbox.Timedout', Cause: '{"errorMessage":"2026-11-30T05:00:00.000Z abc Task timed out after 900.00 seconds"}' }],
    ['a Lambda timeout reported as a plain task failure', { Error: 'States.TaskFailed', Cause: '{"errorMessage":"Task timed out after 900.00 seconds"}' }],
    ['a Step Functions task timeout', { Error: 'States.Timeout', Cause: '' }],
    ['Lambda unavailable after the retries', { Error: 'Lambda.ServiceException', Cause: 'Service unavailable' }],
    ['a Fargate task stopped by ECS', { Error: 'States.TaskFailed', Cause: '{"StopCode":"SpotInterruption","StoppedReason":"Your Spot Task was interrupted.","Containers":[{"ExitCode":143}]}' }],
    ['a Fargate container out of memory', { Error: 'States.TaskFailed', Cause: '{"StopCode":"EssentialContainerExited","Containers":[{"ExitCode":137,"Reason":"OutOfMemoryError: Container killed due to memory usage"}]}' }],
  ])('is the infrastructure for %s', (_what, error) => {
    expect(failureKind(error)).toBe('infrastructure');
  });

  it.each([
    ['a connector error from the runner Lambda', { Error: 'ConnectorError', Cause: '{"errorType":"ConnectorError","errorMessage":"Couldn\'t find or create file"}' }],
    ['a tolerance exceeded', { Error: 'ToleranceExceededError', Cause: '{"errorType":"ToleranceExceededError","errorMessage":"Tolerance exceeded in error handler"}' }],
    ['a Fargate runner that exited on its own error', { Error: 'States.TaskFailed', Cause: '{"StopCode":"EssentialContainerExited","Containers":[{"ExitCode":1}]}' }],
    ['a plain-text cause', { Error: 'Error', Cause: 'something broke' }],
    ['no error at all', {}],
  ])('is the connector for %s', (_what, error) => {
    expect(failureKind(error)).toBe('connector');
  });
});

describe('decideRestart (connector failures)', () => {
  it('backs off exponentially within a run of failures, up to the maximum', () => {
    const history: number[] = [];
    const waits: number[] = [];
    let t = NOW;
    for (let i = 0; i < 8; i++) {
      const d = decideRestart({ 'tributary.restart.max.per.hour': '100' }, history, t);
      waits.push(d.waitMs);
      history.push(t);
      t += d.waitMs + SEC;
    }
    expect(waits).toEqual([1000, 2000, 4000, 8000, 16_000, 32_000, 60_000, 60_000]);
  });

  it('starts the backoff over once the task ran healthily for the reset period', () => {
    const config = { 'tributary.restart.max.per.hour': '100', 'tributary.restart.backoff.reset.ms': '60000', 'tributary.restart.backoff.max.ms': '8000' };
    const history = [NOW - 30 * SEC, NOW - 25 * SEC, NOW - 20 * SEC];
    expect(decideRestart(config, history, NOW - 10 * SEC).waitMs).toBe(8000);
    // 70 s after the last restart (60 s reset + 8 s longest backoff passed): healthy, so 1 s again.
    expect(decideRestart(config, history, NOW - 20 * SEC + 70 * SEC).waitMs).toBe(1000);
  });

  it('gives up when the hour’s budget is spent, whatever the backoff', () => {
    const history = [NOW - 50 * 60 * SEC, NOW - 40 * 60 * SEC, NOW - 30 * 60 * SEC];
    const d = decideRestart({ 'tributary.restart.max.per.hour': '3' }, history, NOW);
    expect(d.restart).toBe(false);
    expect(d.reason).toMatch(/restart budget spent: 3 restarts/);
    // An hour later the oldest has aged out.
    expect(decideRestart({ 'tributary.restart.max.per.hour': '3' }, history, NOW + 11 * 60 * SEC).restart).toBe(true);
  });

  it('never restarts with policy never', () => {
    expect(decideRestart({ 'tributary.restart.policy': 'never' }, [], NOW).restart).toBe(false);
  });
});

describe('decideRerun (runners lost to the infrastructure)', () => {
  it('re-runs at once, kill after kill, without touching the failure budget', () => {
    const history: number[] = [];
    for (let i = 0; i < 20; i++) {
      const d = decideRerun({}, history, NOW + i * SEC);
      expect(d?.waitMs).toBe(0);
      history.push(NOW + i * SEC);
    }
    expect(decideRestart({ 'tributary.restart.max.per.hour': '3' }, [], NOW).restart).toBe(true);
  });

  it('stops re-running at once when its own budget is spent (a crash loop), leaving it to the failure policy', () => {
    const history = Array.from({ length: 5 }, (_, i) => NOW - i * SEC);
    expect(decideRerun({ 'tributary.restart.infrastructure.max.per.hour': '5' }, history, NOW)).toBeUndefined();
    expect(decideRerun({ 'tributary.restart.infrastructure.max.per.hour': '6' }, history, NOW)?.recent).toHaveLength(6);
    expect(decideRerun({ 'tributary.restart.policy': 'never' }, [], NOW)).toBeUndefined();
  });
});

describe('failureStreak', () => {
  it('counts back from now until a gap as long as the healthy period', () => {
    expect(failureStreak([], NOW, 1000)).toBe(0);
    expect(failureStreak([NOW - 3000, NOW - 2500, NOW - 500], NOW, 1000)).toBe(1);
    expect(failureStreak([NOW - 1500, NOW - 800, NOW - 500], NOW, 1000)).toBe(3);
    expect(failureStreak([NOW - 5000], NOW, 1000)).toBe(0);
  });
});
