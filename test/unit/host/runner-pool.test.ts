/**
 * The local runner pool's spares around a task's start, with stand-in runner processes that
 * only say they are ready. A task handed a spare while another is ready has the next wait for
 * a core seen idle with the task under way, not judged by how quiet the machine was before the
 * task began; a task handed the last ready spare has the next load at once. A connector's
 * target change reaches the runners of its tasks alone.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RunnerPool } from '../../../host/runner-pool.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('RunnerPool spares', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tributary-pool-'));
  const started = join(dir, 'started.txt');
  const told = join(dir, 'told.txt');
  const entry = join(dir, 'stand-in-runner.mjs');
  // Says it is ready, records that it started and which connectors' target changes it was told
  // of, takes invocations without answering, leaves when told.
  writeFileSync(
    entry,
    `import { appendFileSync } from 'node:fs';
appendFileSync(${JSON.stringify(started)}, process.pid + '\\n');
process.on('message', (m) => {
  if (m.type === 'shutdown') process.exit(0);
  if (m.type === 'target-changed') appendFileSync(${JSON.stringify(told)}, process.pid + ' ' + m.connector + '\\n');
});
process.on('disconnect', () => process.exit(0));
process.send({ type: 'ready', pid: process.pid });
`,
  );
  let pool: RunnerPool | undefined;
  const forks = () => readFileSync(started, 'utf8').trim().split('\n').filter(Boolean).length;

  beforeEach(() => {
    writeFileSync(started, '');
    writeFileSync(told, '');
  });
  afterEach(async () => {
    await pool?.shutdown(2_000);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('loads no spare beside the start of a task handed one while another is ready, but keeps ahead of a burst', async () => {
    pool = new RunnerPool({ ...process.env, TRIBUTARY_RUNNER_SPARES: '3', TRIBUTARY_RUNNER_SPARES_MAX: '6' }, { entry, execArgv: [] });
    pool.prewarm();
    for (let i = 0; i < 200 && pool.spareStats().ready < 3; i++) await sleep(50);
    expect(pool.spareStats()).toEqual({ ready: 3, loading: 0, wanted: 3 });
    const invoke = (task: number) => void pool?.invoke({ connector: 'c', task, epoch: 1, budgetMs: 60_000, idleMs: 1_000, commitIntervalMs: 1_000 }).catch(() => {});

    // A task takes a ready spare; demand now calls for four, and two are still ready.
    invoke(0);
    expect(pool.list().map((r) => r.task)).toEqual([0]);
    // The quiet before the task says nothing of the CPU it is about to take: the next spare
    // waits for a core seen idle with the task under way (spare-sizing.test.ts has that rule).
    expect(pool.spareStats()).toEqual({ ready: 2, loading: 0, wanted: 4 });
    await sleep(300);
    expect(pool.spareStats()).toEqual({ ready: 2, loading: 0, wanted: 4 });
    expect(forks()).toBe(3);

    // A second task within seconds: a burst, so a spare loads at once.
    invoke(1);
    expect(pool.spareStats()).toEqual({ ready: 1, loading: 1, wanted: 5 });
  });

  it("tells a connector's target change to the runners of its tasks, and to no other", async () => {
    pool = new RunnerPool({ ...process.env, TRIBUTARY_RUNNER_SPARES: '3', TRIBUTARY_RUNNER_SPARES_MAX: '6' }, { entry, execArgv: [] });
    pool.prewarm();
    for (let i = 0; i < 200 && pool.spareStats().ready < 3; i++) await sleep(50);
    for (const [connector, task] of [['orders', 0], ['orders-archive', 0], ['orders', 1]] as const) {
      void pool.invoke({ connector, task, epoch: 1, budgetMs: 60_000, idleMs: 1_000, commitIntervalMs: 1_000 }).catch(() => {});
    }
    const pids = (connector: string) => pool?.list().filter((r) => r.connector === connector).map((r) => String(r.pid)).sort();
    pool.targetChanged('orders');
    const lines = () => readFileSync(told, 'utf8').trim().split('\n').filter(Boolean);
    for (let i = 0; i < 100 && lines().length < 2; i++) await sleep(20);
    await sleep(200); // time for a message that should not come
    expect(lines().map((l) => l.split(' ')[1])).toEqual(['orders', 'orders']);
    expect(lines().map((l) => l.split(' ')[0]).sort()).toEqual(pids('orders'));
    expect(pids('orders-archive')).toHaveLength(1);
  });

  it('loads a spare at once when the task took the last one ready', async () => {
    pool = new RunnerPool({ ...process.env, TRIBUTARY_RUNNER_SPARES: '1', TRIBUTARY_RUNNER_SPARES_MAX: '2' }, { entry, execArgv: [] });
    pool.prewarm();
    for (let i = 0; i < 200 && pool.spareStats().ready < 1; i++) await sleep(50);
    void pool.invoke({ connector: 'c', task: 0, epoch: 1, budgetMs: 60_000, idleMs: 1_000, commitIntervalMs: 1_000 }).catch(() => {});
    expect(pool.spareStats()).toEqual({ ready: 0, loading: 1, wanted: 2 });
    for (let i = 0; i < 200 && pool.spareStats().ready < 1; i++) await sleep(50);
    expect(forks()).toBe(2);
  });
});
