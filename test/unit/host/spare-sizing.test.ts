/** The warm-spare pool's sizing policy: spares follow recent demand, bounded, and shrink when idle. */
import { describe, expect, it } from 'vitest';
import { DEFAULT_SPARE_SIZING, nextSpareStep, SpareDemand, sparesFor, spareSizingFromEnv } from '../../../host/spare-sizing.ts';

const sizing = { min: 2, max: 6, windowMs: 60_000 };

describe('sparesFor', () => {
  it('keeps the floor without demand, one more per recent demand, and never more than the ceiling', () => {
    expect([0, 1, 2, 3, 4, 5, 50].map((d) => sparesFor(d, sizing))).toEqual([2, 3, 4, 5, 6, 6, 6]);
  });

  it('treats a ceiling below the floor as the floor', () => {
    expect(sparesFor(10, { min: 3, max: 1, windowMs: 1000 })).toBe(3);
    expect(sparesFor(0, { min: 0, max: 0, windowMs: 1000 })).toBe(0);
  });
});

describe('SpareDemand', () => {
  it('grows with back-to-back demand and shrinks back to the floor once the window has passed', () => {
    const demand = new SpareDemand(sizing);
    const t0 = 1_000_000;
    expect(demand.wanted(t0)).toBe(2);
    const wanted: number[] = [];
    for (let k = 0; k < 5; k++) {
      demand.record(t0 + k * 2_000);
      wanted.push(demand.wanted(t0 + k * 2_000));
    }
    expect(wanted).toEqual([3, 4, 5, 6, 6]);
    // A burst counts the handouts of the last seconds only: those at 6 and 8 s, seen at 9 s.
    expect(demand.within(5_000, t0 + 9_000)).toBe(2);
    // The first handed-out runner leaves the window first.
    expect(demand.wanted(t0 + 60_000)).toBe(6);
    expect(demand.wanted(t0 + 62_000)).toBe(5);
    expect(demand.wanted(t0 + 8_000 + 60_000)).toBe(2);
  });
});

describe('spareSizingFromEnv', () => {
  it('reads the floor and the ceiling, and keeps the defaults for invalid values', () => {
    expect(spareSizingFromEnv({})).toEqual(DEFAULT_SPARE_SIZING);
    expect(spareSizingFromEnv({ TRIBUTARY_RUNNER_SPARES: '1', TRIBUTARY_RUNNER_SPARES_MAX: '4' })).toMatchObject({ min: 1, max: 4 });
    expect(spareSizingFromEnv({ TRIBUTARY_RUNNER_SPARES: '-1', TRIBUTARY_RUNNER_SPARES_MAX: 'many' })).toMatchObject({ min: DEFAULT_SPARE_SIZING.min, max: DEFAULT_SPARE_SIZING.max });
    // A floor above the default ceiling raises the ceiling with it.
    expect(spareSizingFromEnv({ TRIBUTARY_RUNNER_SPARES: '8' })).toMatchObject({ min: 8, max: 8 });
    expect(spareSizingFromEnv({ TRIBUTARY_RUNNER_SPARES: '0', TRIBUTARY_RUNNER_SPARES_MAX: '0' })).toMatchObject({ min: 0, max: 0 });
  });
});

describe('nextSpareStep', () => {
  const idle = (cores: number | undefined) => () => cores;
  const pool = (ready: number, loading: number, wanted: number, serving = 1, burst = 1) => ({ ready, loading, wanted, serving, burst });

  it('loads nothing while a spare is loading, or once enough are kept', () => {
    expect(nextSpareStep(pool(0, 1, 3), idle(2))).toBe('none');
    expect(nextSpareStep(pool(3, 0, 3), idle(2))).toBe('none');
    expect(nextSpareStep(pool(4, 0, 3), idle(2))).toBe('none');
  });

  it('while tasks run and a spare is ready, loads the next from a free core only', () => {
    expect(nextSpareStep(pool(1, 0, 3), idle(1.2))).toBe('load');
    expect(nextSpareStep(pool(1, 0, 3), idle(0.4))).toBe('wait');
    expect(nextSpareStep(pool(2, 0, 3), idle(undefined))).toBe('wait');
  });

  it('loads at once when no spare is ready, or no runner serves a task', () => {
    expect(nextSpareStep(pool(0, 0, 2), idle(0))).toBe('load');
    expect(nextSpareStep(pool(1, 0, 2, 0), idle(0))).toBe('load');
    expect(nextSpareStep(pool(1, 0, 2, 0), idle(undefined))).toBe('load');
  });

  it('in a burst of handouts, loads at once while fewer are ready than were handed out', () => {
    // A lone task start with a spare still ready waits for a free core; a second start within the burst window does not.
    expect(nextSpareStep(pool(1, 0, 3, 1, 1), idle(0))).toBe('wait');
    expect(nextSpareStep(pool(1, 0, 4, 2, 2), idle(0))).toBe('load');
    expect(nextSpareStep(pool(2, 0, 4, 2, 2), idle(0))).toBe('wait');
  });

  it('asks the machine only when the answer matters', () => {
    let asked = 0;
    const probe = () => (asked++, 2);
    nextSpareStep(pool(0, 1, 3), probe);
    nextSpareStep(pool(3, 0, 3), probe);
    nextSpareStep(pool(0, 0, 3), probe);
    nextSpareStep(pool(1, 0, 3, 0), probe);
    expect(asked).toBe(0);
    nextSpareStep(pool(1, 0, 3), probe);
    expect(asked).toBe(1);
  });
});
