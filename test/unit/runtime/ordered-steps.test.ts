/**
 * The order a source task's acknowledgments keep while several batches are on the wire: steps
 * run in the order their sends started, whatever order the sends finish in, none runs after a
 * failure, and the caller is held back once too many are unfinished.
 */
import { describe, expect, it } from 'vitest';
import { OrderedSteps } from '../../../lib/runtime/ordered-steps.ts';

function deferred<T>(): { promise: Promise<T>; resolve: (v: T) => void; reject: (e: unknown) => void } {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('OrderedSteps', () => {
  it('runs steps in the order their work started, even when later work finishes first', async () => {
    const steps = new OrderedSteps(3);
    const seen: number[] = [];
    const a = deferred<number>();
    const b = deferred<number>();
    await steps.after(a.promise, async (v) => {
      await tick();
      seen.push(v);
    });
    await steps.after(b.promise, (v) => void seen.push(v));
    b.resolve(2);
    await tick();
    expect(seen).toEqual([]);
    a.resolve(1);
    await steps.drain();
    expect(seen).toEqual([1, 2]);
  });

  it('runs no step after a failure and reports it to whoever waits next', async () => {
    const steps = new OrderedSteps(3);
    const seen: string[] = [];
    const failed = deferred<string>();
    await steps.after(failed.promise, (v) => void seen.push(v));
    await steps.after(Promise.resolve('later'), (v) => void seen.push(v));
    failed.reject(new Error('produce failed'));
    await expect(steps.drain()).rejects.toThrow('produce failed');
    expect(seen).toEqual([]);
    await expect(steps.after(Promise.resolve('after'), (v) => void seen.push(v))).resolves.toBeUndefined();
    await expect(steps.drain()).rejects.toThrow('produce failed');
    await steps.settle();
    expect(seen).toEqual([]);
  });

  it('holds the caller back while more than its limit of steps are unfinished', async () => {
    const steps = new OrderedSteps(1);
    const first = deferred<void>();
    await steps.after(first.promise, () => {});
    let returned = false;
    const second = steps.after(Promise.resolve(), () => {}).then(() => (returned = true));
    await tick();
    expect(returned).toBe(false);
    first.resolve();
    await second;
    expect(returned).toBe(true);
  });

  it('queues a step between others without holding the caller back, in order, and reports its failure to the steps after it', async () => {
    const steps = new OrderedSteps(1);
    const seen: string[] = [];
    const sent = deferred<string>();
    const commit = deferred<void>();
    await steps.after(sent.promise, (v) => void seen.push(v));
    steps.between(async () => {
      await commit.promise;
      seen.push('commit');
    });
    // The caller goes on while the commit waits: only the step before it counts against the limit.
    let returned = false;
    const next = steps.after(Promise.resolve('next'), (v) => void seen.push(v)).then(() => (returned = true));
    await tick();
    expect(returned).toBe(false);
    sent.resolve('first');
    await next;
    expect(returned).toBe(true);
    expect(seen).toEqual(['first']);
    commit.resolve();
    await steps.drain();
    expect(seen).toEqual(['first', 'commit', 'next']);

    steps.between(() => {
      throw new Error('fenced');
    });
    await steps.after(Promise.resolve('after the failure'), (v) => void seen.push(v));
    await expect(steps.after(Promise.resolve('later still'), (v) => void seen.push(v))).rejects.toThrow('fenced');
    await expect(steps.drain()).rejects.toThrow('fenced');
    expect(seen).toEqual(['first', 'commit', 'next']);
  });
});
