/** Workload 2: one FileStreamSink task writes N records from a topic to a file; timed from the POST until the file has N lines. */
import { closeSync, existsSync, openSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { uniqueName } from '../support/bench-names.ts';
import { createConnector, deleteConnector, waitForProgress } from '../support/connector-calls.ts';
import type { Workload } from './workload.ts';

export const sinkThroughput: Workload = {
  id: 'sink',
  metrics: [
    { key: 'sink.records', group: '2. Sink throughput', name: 'FileStreamSink, 1 task', label: 'records/s', unit: 'records/s', better: 'higher' },
    { key: 'sink.mb', group: '2. Sink throughput', name: 'FileStreamSink, 1 task', label: 'MB/s', unit: 'MB/s', better: 'higher' },
  ],
  async run(target, ctx) {
    const n = ctx.options.sinkRecords ?? ctx.options.records;
    const topic = await ctx.inputs.sink(n);
    const name = uniqueName('bench-sink');
    const file = join(ctx.workDir, `${name}.txt`);
    const lines = new LineCounter(file);
    const started = performance.now();
    try {
      await createConnector(target, name, { 'connector.class': 'FileStreamSink', file, topics: topic, 'tasks.max': '1' });
      const done = await waitForProgress(target, name, async () => lines.count() >= n, { deadline: ctx.deadline(), intervalMs: 50, what: () => `${n} lines in the sink file (${lines.count()} so far)` });
      const seconds = (done - started) / 1000;
      return { values: { 'sink.records': n / seconds, 'sink.mb': (n * ctx.options.recordSize) / 2 ** 20 / seconds }, detail: { seconds, records: n } };
    } finally {
      lines.close();
      await deleteConnector(target, name);
    }
  },
};

/** Counts the newlines of a file that is still being written, reading only what is new each time. */
export class LineCounter {
  private fd: number | undefined;
  private lines = 0;
  private readonly buffer = Buffer.allocUnsafe(1 << 20);

  constructor(private readonly file: string) {}

  count(): number {
    if (this.fd === undefined) {
      if (!existsSync(this.file)) return 0;
      this.fd = openSync(this.file, 'r');
    }
    for (;;) {
      const read = readSync(this.fd, this.buffer, 0, this.buffer.length, null);
      if (read === 0) return this.lines;
      const chunk = this.buffer.subarray(0, read);
      for (let at = chunk.indexOf(0x0a); at !== -1; at = chunk.indexOf(0x0a, at + 1)) this.lines++;
    }
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
  }
}
