/**
 * Workload 5: GET /connectors/{name}/status at a fixed rate (open loop: requests go out on
 * schedule whether or not earlier ones have answered) over keep-alive connections.
 */
import { Agent, request } from 'node:http';
import { join } from 'node:path';
import { uniqueName } from '../support/bench-names.ts';
import { createConnector, deleteConnector, waitRunning } from '../support/connector-calls.ts';
import { sleep } from '../support/kafka-tools.ts';
import { percentile } from '../support/stats.ts';
import type { Workload } from './workload.ts';

const group = '5. REST under load';

export const restLatency: Workload = {
  id: 'rest-latency',
  metrics: [
    { key: 'rest.p50', group, name: 'GET status, p50', label: 'p50', unit: 'ms', better: 'lower' },
    { key: 'rest.p99', group, name: 'GET status, p99', label: 'p99', unit: 'ms', better: 'lower' },
  ],
  async run(target, ctx) {
    const { restRate: rate, restSeconds: seconds } = ctx.options;
    const file = await ctx.inputs.writeLines(join(ctx.workDir, 'rest-latency.txt'), 0, 10);
    const topic = await ctx.kafka.createTopic('bench-rest');
    const name = uniqueName('bench-rest');
    try {
      await createConnector(target, name, { 'connector.class': 'FileStreamSource', file, topic, 'tasks.max': '1' });
      await waitRunning(target, name, ctx.deadline());
      const r = await fixedRateLoad(new URL(`/connectors/${name}/status`, target.restUrl), rate, seconds);
      return {
        values: { 'rest.p50': percentile(r.latencies, 50), 'rest.p99': percentile(r.latencies, 99) },
        detail: { rate, seconds, requests: r.latencies.length + r.errors, errors: r.errors, achievedRate: r.achievedRate, maxMs: Math.max(...r.latencies) },
      };
    } finally {
      await deleteConnector(target, name);
      await ctx.kafka.deleteTopics([topic]);
    }
  },
};

/** Sends `rate` requests per second for `seconds`; latency is from the write of a request to the end of its answer. */
async function fixedRateLoad(url: URL, rate: number, seconds: number): Promise<{ latencies: number[]; errors: number; achievedRate: number }> {
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const latencies: number[] = [];
  let errors = 0;
  const inflight: Promise<void>[] = [];
  const total = rate * seconds;
  const interval = 1000 / rate;
  const start = performance.now();
  try {
    for (let sent = 0; sent < total; ) {
      const due = Math.min(total, Math.floor((performance.now() - start) / interval) + 1);
      for (; sent < due; sent++) {
        inflight.push(
          once(url, agent).then(
            (ms) => void latencies.push(ms),
            () => void errors++,
          ),
        );
      }
      await sleep(1);
    }
    await Promise.all(inflight);
  } finally {
    agent.destroy();
  }
  return { latencies, errors, achievedRate: total / ((performance.now() - start) / 1000) };
}

function once(url: URL, agent: Agent): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const req = request(url, { agent, method: 'GET', timeout: 10_000 }, (res) => {
      res.resume();
      res.once('end', () => (res.statusCode === 200 ? resolve(performance.now() - started) : reject(new Error(`status ${res.statusCode}`))));
    });
    req.once('timeout', () => req.destroy(new Error('timeout')));
    req.once('error', reject);
    req.end();
  });
}
