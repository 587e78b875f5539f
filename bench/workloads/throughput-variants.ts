/**
 * Throughput beyond one task with the defaults: several tasks on a 4-partition topic (sink) and
 * several files (source), a chain of three SMTs, and an exactly-once source. Each is timed as
 * workloads 1 and 2 are, from the first POST until every record arrived.
 */
import { join } from 'node:path';
import { uniqueName } from '../support/bench-names.ts';
import { createConnector, deleteConnector, waitForProgress } from '../support/connector-calls.ts';
import type { BenchTarget } from '../support/bench-target.ts';
import { LineCounter } from './sink-throughput.ts';
import type { Workload, WorkloadContext } from './workload.ts';

const TASKS = [1, 2, 4] as const;
const PARTITIONS = 4;
const T = 'org.apache.kafka.connect.transforms.';

/** Three SMTs on each line: wrap it in a struct, add a static field, rename the line's field. */
export const SMT_CHAIN: Readonly<Record<string, string>> = {
  transforms: 'hoist,insert,rename',
  'transforms.hoist.type': `${T}HoistField$Value`,
  'transforms.hoist.field': 'line',
  'transforms.insert.type': `${T}InsertField$Value`,
  'transforms.insert.static.field': 'origin',
  'transforms.insert.static.value': 'bench',
  'transforms.rename.type': `${T}ReplaceField$Value`,
  'transforms.rename.renames': 'line:text',
};

/** Copies `n` lines split over `files` files, one FileStreamSource each, into one topic; records/s from the first POST. */
async function sourceRun(target: BenchTarget, ctx: WorkloadContext, files: number, extra: Record<string, string>, topicPartitions = 1): Promise<{ rate: number; seconds: number }> {
  const n = ctx.options.records;
  const per = Math.ceil(n / files);
  const inputs = await Promise.all(Array.from({ length: files }, (_, f) => ctx.inputs.writeLines(join(ctx.workDir, `${uniqueName('variant')}.txt`), f * per, Math.min(n, (f + 1) * per))));
  const topic = await ctx.kafka.createTopic('bench-variant', topicPartitions);
  const names = inputs.map(() => uniqueName('bench-variant-source'));
  const started = performance.now();
  try {
    for (let f = 0; f < files; f++) await createConnector(target, names[f] as string, { 'connector.class': 'FileStreamSource', file: inputs[f] as string, topic, 'tasks.max': '1', ...extra });
    let at = 0;
    const done = await waitForProgress(target, names[0] as string, async () => (at = await ctx.kafka.endOffset(topic)) >= n, {
      deadline: ctx.deadline(),
      what: () => `${n} records in the topic (${at} so far)`,
    });
    const seconds = (done - started) / 1000;
    return { rate: n / seconds, seconds };
  } finally {
    for (const name of names) await deleteConnector(target, name);
    await ctx.kafka.deleteTopics([topic]);
  }
}

export const sourceScaling: Workload = {
  id: 'scaling',
  metrics: [
    ...TASKS.map((k) => ({ key: `scaling.source.${k}`, group: '8. Source, several files', name: `${k} FileStreamSource${k > 1 ? 's' : ''} (1 task each), ${k} file${k > 1 ? 's' : ''}`, label: `${k} file${k > 1 ? 's' : ''}`, unit: 'records/s', better: 'higher' as const })),
    ...TASKS.map((k) => ({ key: `scaling.sink.${k}`, group: '9. Sink, tasks.max on 4 partitions', name: `FileStreamSink, tasks.max=${k}, 4 partitions`, label: `tasks.max=${k}`, unit: 'records/s', better: 'higher' as const })),
  ],
  async run(target, ctx) {
    const values: Record<string, number> = {};
    const detail: Record<string, unknown> = {};
    for (const k of TASKS) {
      const r = await sourceRun(target, ctx, k, {}, PARTITIONS);
      values[`scaling.source.${k}`] = r.rate;
      detail[`source${k}Seconds`] = r.seconds;
    }
    const n = ctx.options.sinkRecords ?? ctx.options.records;
    const topic = await ctx.inputs.sink(n, PARTITIONS);
    for (const k of TASKS) {
      const name = uniqueName('bench-sink-tasks');
      const file = join(ctx.workDir, `${name}.txt`);
      const lines = new LineCounter(file);
      const started = performance.now();
      try {
        await createConnector(target, name, { 'connector.class': 'FileStreamSink', file, topics: topic, 'tasks.max': String(k) });
        const done = await waitForProgress(target, name, async () => lines.count() >= n, { deadline: ctx.deadline(), intervalMs: 50, what: () => `${n} lines in the sink file (${lines.count()} so far)` });
        const seconds = (done - started) / 1000;
        values[`scaling.sink.${k}`] = n / seconds;
        detail[`sink${k}Seconds`] = seconds;
      } finally {
        lines.close();
        await deleteConnector(target, name);
      }
    }
    return { values, detail };
  },
};

export const smtChain: Workload = {
  id: 'smt-chain',
  metrics: [{ key: 'smt.source', group: '10. Source, 3 SMTs', name: 'FileStreamSource → HoistField, InsertField, ReplaceField → JsonConverter (schemas)', label: '3 SMTs', unit: 'records/s', better: 'higher' }],
  async run(target, ctx) {
    const r = await sourceRun(target, ctx, 1, SMT_CHAIN);
    return { values: { 'smt.source': r.rate }, detail: { seconds: r.seconds } };
  },
};

/**
 * The exactly-once source: Tributary's connector asks for it (`exactly.once.support=required`);
 * Connect needs it enabled on the worker, so its run gets a worker of its own with
 * `exactly.once.source.support=enabled` (transaction per poll, Connect's default boundary).
 */
export const exactlyOnceSource: Workload = {
  id: 'eos',
  metrics: [{ key: 'eos.source', group: '11. Exactly-once source', name: 'FileStreamSource, exactly.once.support=required', label: 'exactly-once', unit: 'records/s', better: 'higher' }],
  async run(target, ctx) {
    const eos = target.exactlyOnce ? await target.exactlyOnce() : { target, release: async () => {} };
    try {
      const r = await sourceRun(eos.target, ctx, 1, { 'exactly.once.support': 'required' });
      return { values: { 'eos.source': r.rate }, detail: { seconds: r.seconds } };
    } finally {
      await eos.release();
    }
  },
};
