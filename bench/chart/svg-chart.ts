/**
 * The README's chart: one bar per metric, grouped by workload, showing the ratio on a log
 * scale so 2× ahead and 2× behind are the same height; a line marks 1.0 (parity).
 */
import type { WorkloadResult } from '../support/bench-results.ts';

const WIDTH = 980;
const HEIGHT = 540;
const MARGIN = { top: 92, right: 24, bottom: 92, left: 64 };
const AHEAD = '#2e7d32';
const BEHIND = '#d84315';
const MISSING = '#9e9e9e';

export interface ChartOptions {
  readonly title: string;
  readonly subtitle?: string;
}

/** An SVG document of the rows' ratios; rows without a ratio show as `n/a` at the 1.0 line. */
export function ratioChart(rows: readonly WorkloadResult[], o: ChartOptions): string {
  const groups = groupRows(rows);
  const bars = groups.reduce((n, g) => n + g.rows.length, 0);
  const plotW = WIDTH - MARGIN.left - MARGIN.right;
  const plotH = HEIGHT - MARGIN.top - MARGIN.bottom;
  const gap = 18;
  const slot = bars === 0 ? plotW : (plotW - gap * Math.max(0, groups.length - 1)) / bars;
  const barW = Math.min(46, slot * 0.7);

  const logs = rows.flatMap((r) => (r.ratio === null ? [] : [Math.log2(r.ratio)]));
  const span = Math.max(2, Math.ceil(Math.max(0, ...logs.map(Math.abs)) + 0.25));
  const y = (ratio: number) => MARGIN.top + plotH / 2 - (Math.log2(ratio) / span) * (plotH / 2);

  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="Helvetica, Arial, sans-serif">`);
  out.push(`<rect width="${WIDTH}" height="${HEIGHT}" fill="#ffffff"/>`);
  out.push(text(WIDTH / 2, 26, o.title, { size: 17, anchor: 'middle', weight: 'bold' }));
  if (o.subtitle) out.push(text(WIDTH / 2, 46, o.subtitle, { size: 12, anchor: 'middle', fill: '#555' }));

  // Axis: powers of two, labelled as ratios.
  for (let e = -span; e <= span; e++) {
    const ratio = 2 ** e;
    const yy = y(ratio);
    out.push(`<line x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${f(yy)}" y2="${f(yy)}" stroke="#eeeeee"/>`);
    out.push(text(MARGIN.left - 8, yy + 4, `${ratio >= 1 ? ratio : `1/${2 ** -e}`}×`, { size: 11, anchor: 'end', fill: '#555' }));
  }
  out.push(text(16, MARGIN.top + plotH / 2, 'ratio (log scale)', { size: 11, anchor: 'middle', fill: '#555', rotate: -90 }));

  let x = MARGIN.left;
  groups.forEach((g, gi) => {
    const groupW = g.rows.length * slot;
    if (gi % 2 === 0) out.push(`<rect x="${f(x - gap / 2)}" y="${MARGIN.top}" width="${f(groupW + gap)}" height="${plotH}" fill="#f6f8fa"/>`);
    wrap(g.group, (groupW + gap) / 7.8).forEach((line, li, all) =>
      out.push(text(x + groupW / 2, MARGIN.top - 8 - (all.length - 1 - li) * 14, line, { size: 12, anchor: 'middle', weight: 'bold' })),
    );
    g.rows.forEach((r, i) => {
      const cx = x + slot * i + slot / 2;
      const label = `${r.name} (${r.unit})`;
      // Short labels under the bars; the full name is in each bar's tooltip and in the table.
      (r.label ?? r.name).split('\n').forEach((line, li) => out.push(text(cx, MARGIN.top + plotH + 16 + li * 13, line, { size: 10.5, anchor: 'middle', fill: '#333' })));
      if (r.ratio === null) {
        out.push(`<circle cx="${f(cx)}" cy="${f(y(1))}" r="4" fill="${MISSING}"/>`);
        out.push(text(cx, y(1) - 8, 'n/a', { size: 11, anchor: 'middle', fill: MISSING }));
      } else {
        const top = Math.min(y(1), y(r.ratio));
        const h = Math.max(1, Math.abs(y(r.ratio) - y(1)));
        const color = r.ratio >= 1 ? AHEAD : BEHIND;
        out.push(`<rect x="${f(cx - barW / 2)}" y="${f(top)}" width="${f(barW)}" height="${f(h)}" fill="${color}"><title>${esc(`${g.group}: ${label}: ${r.ratio.toFixed(2)}×`)}</title></rect>`);
        const ly = r.ratio >= 1 ? top - 5 : top + h + 13;
        out.push(text(cx, ly, `${r.ratio >= 10 ? r.ratio.toFixed(0) : r.ratio.toFixed(2)}×`, { size: 11, anchor: 'middle', fill: color, weight: 'bold' }));
      }
    });
    x += groupW + gap;
  });

  out.push(`<line x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${f(y(1))}" y2="${f(y(1))}" stroke="#222" stroke-width="1.5" stroke-dasharray="6 4"/>`);

  const ly = HEIGHT - 16;
  out.push(`<rect x="${MARGIN.left}" y="${ly - 10}" width="12" height="12" fill="${AHEAD}"/>`);
  out.push(text(MARGIN.left + 18, ly, 'Tributary ahead', { size: 12 }));
  out.push(`<rect x="${MARGIN.left + 140}" y="${ly - 10}" width="12" height="12" fill="${BEHIND}"/>`);
  out.push(text(MARGIN.left + 158, ly, 'Apache Kafka Connect ahead', { size: 12 }));
  out.push(`<circle cx="${MARGIN.left + 376}" cy="${ly - 4}" r="5" fill="${MISSING}"/>`);
  out.push(text(MARGIN.left + 388, ly, 'not measured', { size: 12 }));
  out.push(`<line x1="${MARGIN.left + 510}" x2="${MARGIN.left + 540}" y1="${ly - 4}" y2="${ly - 4}" stroke="#222" stroke-width="1.5" stroke-dasharray="6 4"/>`);
  out.push(text(MARGIN.left + 548, ly, '1.0 = parity', { size: 12 }));
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}

/** Rows grouped by workload, groups in the order of their leading number (`3. Control plane`). */
function groupRows(rows: readonly WorkloadResult[]): { group: string; rows: WorkloadResult[] }[] {
  const groups: { group: string; rows: WorkloadResult[] }[] = [];
  for (const r of rows) {
    const g = groups.find((x) => x.group === r.group);
    if (g) g.rows.push(r);
    else groups.push({ group: r.group, rows: [r] });
  }
  return groups.sort((a, b) => parseFloat(a.group) - parseFloat(b.group) || 0);
}

/** Splits a title into lines of at most about `maxChars` characters, at spaces. */
function wrap(s: string, maxChars: number): string[] {
  const lines: string[] = [];
  for (const word of s.split(' ')) {
    const last = lines[lines.length - 1];
    if (last !== undefined && (last + ' ' + word).length <= maxChars) lines[lines.length - 1] = `${last} ${word}`;
    else lines.push(word);
  }
  return lines;
}

const f = (n: number) => n.toFixed(1);

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function text(x: number, y: number, s: string, o: { size: number; anchor?: 'start' | 'middle' | 'end'; fill?: string; weight?: string; rotate?: number }): string {
  const transform = o.rotate ? ` transform="rotate(${o.rotate} ${f(x)} ${f(y)})"` : '';
  return `<text x="${f(x)}" y="${f(y)}" font-size="${o.size}" text-anchor="${o.anchor ?? 'start'}" fill="${o.fill ?? '#111'}"${o.weight ? ` font-weight="${o.weight}"` : ''}${transform}>${esc(s)}</text>`;
}
