/**
 * Workloads 1 and 6: one FileStreamSource task copies N lines into a topic. Timed from the
 * POST until the topic's end offset reaches N; meanwhile the peak RSS of the process doing
 * the work (Connect's worker JVM, Tributary's runner) is sampled.
 */
import { uniqueName } from '../support/bench-names.ts';
import { createConnector, deleteConnector, waitForProgress } from '../support/connector-calls.ts';
import { peakRssKiB, samplePeakRss } from '../support/process-memory.ts';
import type { BenchTarget } from '../support/bench-target.ts';
import type { Workload } from './workload.ts';

export const sourceThroughput: Workload = {
  id: 'source',
  metrics: [
    { key: 'source.records', group: '1. Source throughput', name: 'FileStreamSource, 1 task', label: 'records/s', unit: 'records/s', better: 'higher' },
    { key: 'source.mb', group: '1. Source throughput', name: 'FileStreamSource, 1 task', label: 'MB/s', unit: 'MB/s', better: 'higher' },
    { key: 'memory.peak', group: '6. Memory', name: 'peak RSS during workload 1', label: 'peak RSS', unit: 'MiB', better: 'lower' },
  ],
  async run(target, ctx) {
    const n = ctx.options.records;
    const file = await ctx.inputs.source(n);
    const topic = await ctx.kafka.createTopic('bench-source');
    const name = uniqueName('bench-source');
    const memory = samplePeakRss(() => target.workerPids(name));
    const started = performance.now();
    try {
      await createConnector(target, name, { 'connector.class': 'FileStreamSource', file, topic, 'tasks.max': '1' });
      let at = 0;
      const done = await waitForProgress(target, name, async () => (at = await ctx.kafka.endOffset(topic)) >= n, {
        deadline: ctx.deadline(),
        what: () => `${n} records in the topic (${at} so far)`,
      });
      const seconds = (done - started) / 1000;
      const peaks = await memory.stop();
      const peakKiB = Math.max(0, ...peaks.values());
      return {
        values: {
          'source.records': n / seconds,
          'source.mb': (n * ctx.options.recordSize) / 2 ** 20 / seconds,
          ...(peakKiB > 0 ? { 'memory.peak': peakKiB / 1024 } : {}),
        },
        detail: { seconds, records: n, recordSize: ctx.options.recordSize, sampledPids: [...peaks.keys()], ...controlPlaneMemory(target) },
      };
    } finally {
      await memory.stop();
      await deleteConnector(target, name);
      await ctx.kafka.deleteTopics([topic]);
    }
  },
};

/** Tributary's local host process serves the API and orchestration that run on Lambda in AWS: reported beside, not in, the ratio. */
function controlPlaneMemory(target: BenchTarget): Record<string, number> {
  const kib = target.controlPlanePid === undefined ? undefined : peakRssKiB(target.controlPlanePid);
  return kib === undefined ? {} : { controlPlanePeakMiB: kib / 1024 };
}
