/** The idle-core reading the local runner pool loads its spares by. */
import { describe, expect, it } from 'vitest';
import { CpuLoadProbe } from '../../../host/cpu-load-probe.ts';

/** Cores whose counters advance by `busy` and `idle` ms each per step. */
function machine(cores: number) {
  let t = 0;
  const counters = Array.from({ length: cores }, () => ({ user: 0, nice: 0, sys: 0, idle: 0, irq: 0 }));
  return {
    now: () => t,
    read: () => counters.map((times) => ({ times: { ...times } })),
    /** `ms` pass with each core `busyShare` busy (user and sys), the rest idle. */
    run(ms: number, busyShare: number) {
      t += ms;
      for (const c of counters) {
        c.user += (ms * busyShare) / 2;
        c.sys += (ms * busyShare) / 2;
        c.idle += ms * (1 - busyShare);
      }
    },
  };
}

describe('CpuLoadProbe', () => {
  it('counts idle cores over the window since it last answered', () => {
    const m = machine(2);
    const probe = new CpuLoadProbe(m.read, m.now);
    m.run(1_000, 0.5);
    expect(probe.idleCores()).toBeCloseTo(1, 5);
    m.run(1_000, 0.9);
    expect(probe.idleCores()).toBeCloseTo(0.2, 5);
    m.run(1_000, 0);
    expect(probe.idleCores()).toBeCloseTo(2, 5);
  });

  it('gives no answer for a window under half a second, and keeps that window going', () => {
    const m = machine(4);
    const probe = new CpuLoadProbe(m.read, m.now);
    m.run(300, 1);
    expect(probe.idleCores()).toBeUndefined();
    m.run(300, 0);
    // The busy 300 ms still count: the window began at construction.
    expect(probe.idleCores()).toBeCloseTo(2, 5);
  });

  it('answers nothing for a stale window and begins a new one, so an idle minute does not hide a busy second', () => {
    const m = machine(2);
    const probe = new CpuLoadProbe(m.read, m.now);
    m.run(60_000, 0);
    m.run(1_000, 1);
    expect(probe.idleCores()).toBeUndefined();
    m.run(1_000, 1);
    expect(probe.idleCores()).toBeCloseTo(0, 5);
  });

  it('restarts its window on demand, so a quiet past does not speak for the moment a task starts', () => {
    const m = machine(2);
    const probe = new CpuLoadProbe(m.read, m.now);
    m.run(2_000, 0);
    probe.restart();
    expect(probe.idleCores()).toBeUndefined();
    m.run(1_000, 1);
    // Without the restart the window would hold two idle seconds and answer 1.33 idle cores.
    expect(probe.idleCores()).toBeCloseTo(0, 5);
  });

  it('counts a machine whose counters cannot be read as one idle core', () => {
    const m = machine(0);
    const probe = new CpuLoadProbe(m.read, m.now);
    m.run(1_000, 1);
    expect(probe.idleCores()).toBe(1);
  });

  it('reads the real counters of this machine', () => {
    const clock = machine(0);
    const probe = new CpuLoadProbe(undefined, clock.now);
    clock.run(1_000, 0);
    expect(probe.idleCores()).toBeGreaterThanOrEqual(0);
  });
});
