/** The benchmark's results: one row per metric, Tributary beside Connect, and the ratio oriented so > 1 means Tributary is ahead. */

/** A metric a workload reports, with the direction that counts as better. */
export interface MetricSpec {
  readonly key: string;
  /** The workload it belongs to, e.g. `1. Source throughput`: the chart groups bars by it. */
  readonly group: string;
  readonly name: string;
  /** A few words under the chart's bar; `\n` breaks the line. */
  readonly label: string;
  readonly unit: string;
  readonly better: 'higher' | 'lower';
}

/** What one workload measured on one system: metric values by key, and anything worth keeping beside them. */
export interface Measurement {
  readonly values: Readonly<Record<string, number>>;
  readonly detail?: Readonly<Record<string, unknown>>;
}

export interface WorkloadResult {
  readonly group: string;
  readonly name: string;
  /** The chart's short label for the bar. */
  readonly label?: string;
  readonly unit: string;
  readonly better: 'higher' | 'lower';
  readonly tributary: number | null;
  readonly connect: number | null;
  /** tributary/connect for throughput, connect/tributary for times and memory; null when either is missing. */
  readonly ratio: number | null;
  /** The broker's own limit for the same records, where it applies. */
  readonly ceiling?: number;
  readonly detail?: Record<string, unknown>;
}

export function ratioOf(spec: Pick<MetricSpec, 'better'>, tributary: number | null, connect: number | null): number | null {
  if (tributary === null || connect === null || !Number.isFinite(tributary) || !Number.isFinite(connect) || tributary <= 0 || connect <= 0) return null;
  return spec.better === 'higher' ? tributary / connect : connect / tributary;
}

const fmt = (v: number | null | undefined): string => {
  if (v === null || v === undefined || !Number.isFinite(v)) return '-';
  if (Math.abs(v) >= 1000) return Math.round(v).toLocaleString('en-US');
  return v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2);
};

/** The table printed at the end of a run. */
export function formatResults(rows: readonly WorkloadResult[], notes: readonly string[]): string {
  const header = ['workload', 'metric', 'unit', 'Tributary', 'Connect', 'ratio', 'ceiling'];
  const cells = rows.map((r) => [r.group, r.name, r.unit, fmt(r.tributary), fmt(r.connect), r.ratio === null ? '-' : `${r.ratio.toFixed(2)}x`, fmt(r.ceiling)]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const numeric = new Set([3, 4, 5, 6]);
  const line = (c: string[]) => c.map((x, i) => (numeric.has(i) ? x.padStart(widths[i]!) : x.padEnd(widths[i]!))).join('  ');
  return [
    line(header),
    widths.map((w) => '-'.repeat(w)).join('  '),
    ...cells.map(line),
    '',
    'ratio > 1: Tributary ahead (throughput: Tributary/Connect; latency, recovery time, memory: Connect/Tributary).',
    ...notes,
  ].join('\n');
}
