/** The latest value a chart's caption gives: the last step that has ended, not the one under way. */
import { describe, expect, it } from 'vitest';
import { latestValue } from '../../../console/src/components/latest-value.ts';

const STEP = 10_000;
const T0 = Date.UTC(2026, 11, 1, 0, 0, 0);

describe('latestValue', () => {
  it('skips the step under way, which holds only what was counted since it began', () => {
    const points: [number, number][] = [
      [T0, 90],
      [T0 + STEP, 100],
      [T0 + 2 * STEP, 0],
    ];
    // One second into the third step: nothing reported there yet.
    expect(latestValue(points, STEP, T0 + 2 * STEP + 1_000)).toBe(100);
    // Once it has ended, it is the latest.
    expect(latestValue(points, STEP, T0 + 3 * STEP)).toBe(0);
  });

  it('gives the last point when no step has ended yet, and nothing for no points', () => {
    expect(latestValue([[T0, 5]], STEP, T0 + 1)).toBe(5);
    expect(latestValue([], STEP, T0)).toBeUndefined();
  });
});
