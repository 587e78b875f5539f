/**
 * Workload 3: connectors created one after another, each a FileStreamSource of a few lines
 * into its own (already created) topic. For each: POST → connector and tasks RUNNING, and
 * POST → the first record in the topic. Reported as p50 and p95.
 */
import { join } from 'node:path';
import { uniqueName } from '../support/bench-names.ts';
import { createConnector, deleteConnector, waitRunning } from '../support/connector-calls.ts';
import { percentile } from '../support/stats.ts';
import type { Workload } from './workload.ts';

const group = '3. Control plane (POST →)';

export const controlPlaneLatency: Workload = {
  id: 'control-plane',
  metrics: [
    { key: 'create.running.p50', group, name: 'POST → tasks RUNNING, p50', label: 'RUNNING\np50', unit: 'ms', better: 'lower' },
    { key: 'create.running.p95', group, name: 'POST → tasks RUNNING, p95', label: 'RUNNING\np95', unit: 'ms', better: 'lower' },
    { key: 'create.first.p50', group, name: 'POST → first record, p50', label: '1st record\np50', unit: 'ms', better: 'lower' },
    { key: 'create.first.p95', group, name: 'POST → first record, p95', label: '1st record\np95', unit: 'ms', better: 'lower' },
  ],
  async run(target, ctx) {
    const count = ctx.options.latencyConnectors;
    const file = await ctx.inputs.writeLines(join(ctx.workDir, 'control-plane.txt'), 0, 10);
    const topics: string[] = [];
    for (let i = 0; i < count; i++) topics.push(await ctx.kafka.createTopic('bench-latency'));
    const running: number[] = [];
    const first: number[] = [];
    try {
      for (const topic of topics) {
        const name = uniqueName('bench-latency');
        const deadline = ctx.deadline();
        const started = performance.now();
        try {
          await createConnector(target, name, { 'connector.class': 'FileStreamSource', file, topic, 'tasks.max': '1' });
          const [r, f] = await Promise.all([waitRunning(target, name, deadline, 20), ctx.kafka.waitForEndOffset(topic, 1, { deadline, intervalMs: 20 })]);
          running.push(r - started);
          first.push(f - started);
        } finally {
          await deleteConnector(target, name);
        }
      }
    } finally {
      await ctx.kafka.deleteTopics(topics);
    }
    return {
      values: {
        'create.running.p50': percentile(running, 50),
        'create.running.p95': percentile(running, 95),
        'create.first.p50': percentile(first, 50),
        'create.first.p95': percentile(first, 95),
      },
      detail: { connectors: count, runningMs: running.map(Math.round), firstRecordMs: first.map(Math.round) },
    };
  },
};
