/** Reads Prometheus' text exposition format in tests. */

/** A sample's value by metric name and labels (given in the order they are rendered), or undefined when absent. */
export function promSample(text: string, name: string, labels: Record<string, string>): number | undefined {
  const want = `${name}{${Object.entries(labels).map(([k, v]) => `${k}="${v}"`).join(',')}}`;
  const line = text.split('\n').find((l) => l.startsWith(`${want} `));
  return line === undefined ? undefined : Number(line.slice(want.length + 1));
}

/** The local host's `GET /metrics` text. */
export async function scrapeMetrics(restUrl: string): Promise<string> {
  const res = await fetch(`${restUrl}/metrics`);
  if (res.status !== 200) throw new Error(`GET /metrics answered ${res.status}: ${await res.text()}`);
  return res.text();
}
