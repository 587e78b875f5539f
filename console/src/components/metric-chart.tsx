/**
 * One time-series chart drawn by uPlot. Series may carry different timestamps: they are joined
 * on the union of their times (gaps as null, which uPlot leaves undrawn). A text summary of
 * the latest values sits beside the canvas for screen readers and tests.
 */
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { latestValue } from './latest-value.ts';

export interface ChartLine {
  label: string;
  points: [number, number][];
}

const COLOURS = ['#2563eb', '#dc2626', '#059669', '#d97706', '#7c3aed', '#0891b2', '#db2777', '#4b5563'];

export function alignLines(lines: readonly ChartLine[]): uPlot.AlignedData {
  const times = [...new Set(lines.flatMap((l) => l.points.map((p) => p[0])))].sort((a, b) => a - b);
  const index = new Map(times.map((t, i) => [t, i]));
  const columns = lines.map((l) => {
    const col: (number | null)[] = new Array(times.length).fill(null);
    for (const [t, v] of l.points) col[index.get(t) as number] = v;
    return col;
  });
  return [times.map((t) => t / 1000), ...columns];
}

export function MetricChart(props: { id: string; title: string; unit: string; lines: ChartLine[]; stepMs: number }) {
  const box = useRef<HTMLDivElement>(null);
  const hasData = props.lines.some((l) => l.points.length > 0);
  useEffect(() => {
    const el = box.current;
    if (!el || !hasData) return undefined;
    const width = () => Math.max(240, el.clientWidth);
    const plot = new uPlot(
      {
        width: width(),
        height: 200,
        series: [{}, ...props.lines.map((l, i) => ({ label: l.label, stroke: COLOURS[i % COLOURS.length], width: 2, spanGaps: false }))],
        axes: [{}, { label: props.unit, size: 60 }],
        legend: { live: true },
      },
      alignLines(props.lines),
      el,
    );
    const resize = new ResizeObserver(() => plot.setSize({ width: width(), height: 200 }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [props.lines, hasData]);
  const now = Date.now();
  const latest = props.lines.map((l) => ({ label: l.label, value: latestValue(l.points, props.stepMs, now) }));
  return (
    <figure class="chart" id={props.id} data-has-data={hasData ? 'true' : 'false'}>
      <figcaption>
        <strong>{props.title}</strong>
        {hasData ? (
          <span class="muted">
            {' '}
            latest:{' '}
            {latest
              .filter((l) => l.value !== undefined)
              .map((l) => `${l.label} ${format(l.value as number)} ${props.unit}`)
              .join(', ')}
          </span>
        ) : null}
      </figcaption>
      {hasData ? <div ref={box} class="plot" /> : <p class="muted no-data">No data yet</p>}
    </figure>
  );
}

function format(v: number): string {
  return Math.abs(v) >= 100 || Number.isInteger(v) ? String(Math.round(v)) : v.toFixed(2);
}
