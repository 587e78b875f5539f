/**
 * What a chart's caption gives as a line's latest value: its last point whose step has ended.
 * The step under way holds only what was counted since it began (nothing at all in its first
 * seconds, before the runners report), so a rate there reads low; it is drawn, but not given
 * as the latest value.
 */
export function latestValue(points: readonly [number, number][], stepMs: number, now: number): number | undefined {
  for (let i = points.length - 1; i >= 0; i--) {
    const [t, v] = points[i] as [number, number];
    if (t + stepMs <= now) return v;
  }
  return points.at(-1)?.[1];
}
