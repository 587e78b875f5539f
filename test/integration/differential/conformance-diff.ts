/** Differences between Apache's and Tributary's answer to each scripted step, and the table that shows them. */
import type { Step, StepResult } from './conformance-script.ts';
import { diffShapes, valueAt } from './response-shape.ts';

export interface Difference {
  /** `status`, `shape:<path>`, `value:<path>` or `header:<name>`. */
  readonly key: string;
  readonly apache: string;
  readonly tributary: string;
}

/** A difference Tributary has on purpose. Keep this list short; every entry needs its reason. */
export interface ExpectedDifference {
  readonly step: string;
  /** Matches a difference's key exactly, or as a prefix when it ends with `*`. */
  readonly key: string;
  readonly reason: string;
}

export const EXPECTED_DIFFERENCES: readonly ExpectedDifference[] = [
  {
    step: 'create',
    key: 'shape:$.tasks[]*',
    reason: 'Apache writes task configs asynchronously after answering, so its 201 lists no tasks yet; Tributary plans them before answering. Clients cannot rely on either, and GET /connectors/{name} agrees once tasks exist.',
  },
  {
    step: 'bad JSON body',
    key: 'status',
    reason: 'Apache lets the Jackson parse error escape as a 500; a malformed body is the client\'s mistake, so Tributary answers 400 in the same {error_code, message} format.',
  },
  { step: 'bad JSON body', key: 'value:$.error_code', reason: 'follows from the status above' },
];

export interface StepComparison {
  readonly differences: readonly Difference[];
  /** The differences EXPECTED_DIFFERENCES accepts. */
  readonly accepted: readonly Difference[];
}

export function compareStep(step: Step, apache: StepResult, tributary: StepResult, expected = EXPECTED_DIFFERENCES): StepComparison {
  const found: Difference[] = [];
  if (tributary.problem) found.push({ key: 'problem', apache: apache.problem ?? 'none', tributary: tributary.problem });
  if (apache.status !== tributary.status) found.push({ key: 'status', apache: String(apache.status), tributary: String(tributary.status) });
  for (const d of diffShapes(apache.body, tributary.body)) found.push({ key: `shape:${d.path}`, apache: d.reference, tributary: d.candidate });
  for (const path of step.sameValues ?? []) {
    const a = canonical(valueAt(apache.body, path));
    const t = canonical(valueAt(tributary.body, path));
    if (a !== t) found.push({ key: `value:${path}`, apache: a, tributary: t });
  }
  for (const h of step.sameHeaders ?? []) {
    const a = apache.headers[h] ?? 'absent';
    const t = tributary.headers[h] ?? 'absent';
    if (a !== t) found.push({ key: `header:${h}`, apache: a, tributary: t });
  }
  const isExpected = (d: Difference) =>
    expected.some((e) => e.step === step.id && (e.key.endsWith('*') ? d.key.startsWith(e.key.slice(0, -1)) : d.key === e.key));
  return { differences: found.filter((d) => !isExpected(d)), accepted: found.filter(isExpected) };
}

/** A plain-text table: one row per step, then every unexpected difference in full. */
export function formatTable(steps: readonly Step[], apache: readonly StepResult[], tributary: readonly StepResult[], comparisons: readonly StepComparison[]): string {
  const rows = steps.map((s, i) => {
    const c = comparisons[i]!;
    const verdict = c.differences.length === 0 ? (c.accepted.length ? 'same*' : 'same') : `DIFF (${c.differences.length})`;
    return [String(i + 1), s.id, `${s.method} ${s.path}`, String(apache[i]?.status ?? '-'), String(tributary[i]?.status ?? '-'), verdict];
  });
  const header = ['#', 'step', 'call', 'Apache', 'Tributary', 'verdict'];
  const widths = header.map((h, col) => Math.min(60, Math.max(h.length, ...rows.map((r) => r[col]!.length))));
  const line = (cells: string[]) => cells.map((c, col) => c.slice(0, widths[col]).padEnd(widths[col]!)).join(' | ');
  const out = [line(header), widths.map((w) => '-'.repeat(w)).join('-+-'), ...rows.map(line)];
  const same = comparisons.filter((c) => c.differences.length === 0).length;
  out.push('', `${same}/${steps.length} steps match Apache Kafka Connect 4.1.1 (* = only expected differences).`);
  comparisons.forEach((c, i) => {
    if (c.differences.length === 0) return;
    out.push('', `${i + 1}. ${steps[i]!.id}:`);
    for (const d of c.differences) out.push(`   ${d.key}: Apache ${clip(d.apache)} | Tributary ${clip(d.tributary)}`);
  });
  return out.join('\n');
}

/** JSON with object keys sorted: a config map's key order carries no meaning. */
function canonical(value: unknown): string {
  if (value === undefined) return 'absent';
  const sort = (v: unknown): unknown =>
    Array.isArray(v) ? v.map(sort) : v !== null && typeof v === 'object' ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b)).map(([k, x]) => [k, sort(x)])) : v;
  return JSON.stringify(sort(value));
}

const clip = (s: string) => (s.length > 240 ? `${s.slice(0, 237)}...` : s);
