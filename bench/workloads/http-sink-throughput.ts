/**
 * Workload 8: one HttpSinkConnector task sends N records from a topic to a local HTTP server
 * in batches of 500 (newline-separated bodies); timed from the POST until the server has
 * received N records. Tributary only: the benchmark's Connect worker has no HTTP sink plugin.
 */
import { createServer } from 'node:http';
import { uniqueName } from '../support/bench-names.ts';
import { BenchTargetError } from '../support/bench-target.ts';
import { createConnector, deleteConnector, waitForProgress } from '../support/connector-calls.ts';
import type { Workload } from './workload.ts';

const BATCH = 500;

export const httpSinkThroughput: Workload = {
  id: 'http-sink',
  metrics: [{ key: 'http-sink.records', group: '12. HTTP sink throughput', name: `HttpSinkConnector, 1 task, batches of ${BATCH}`, label: 'records/s', unit: 'records/s', better: 'higher' }],
  async run(target, ctx) {
    if (target.system !== 'tributary') throw new BenchTargetError('the Connect worker has no HTTP sink plugin installed (Confluent\'s is not on Maven Central)');
    const n = ctx.options.sinkRecords ?? ctx.options.records;
    const topic = await ctx.inputs.sink(n);
    let received = 0;
    let requests = 0;
    const server = createServer((req, res) => {
      let lines = 1;
      req.on('data', (chunk: Buffer) => {
        for (let at = chunk.indexOf(0x0a); at !== -1; at = chunk.indexOf(0x0a, at + 1)) lines++;
      });
      req.on('end', () => {
        received += lines;
        requests++;
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const name = uniqueName('bench-http-sink');
    const started = performance.now();
    try {
      await createConnector(target, name, {
        'connector.class': 'io.confluent.connect.http.HttpSinkConnector',
        topics: topic,
        'tasks.max': '1',
        'http.api.url': `http://127.0.0.1:${port}/ingest`,
        'batch.max.size': String(BATCH),
        'batch.separator': '\n',
      });
      const done = await waitForProgress(target, name, async () => received >= n, { deadline: ctx.deadline(), intervalMs: 50, what: () => `${n} records at the HTTP server (${received} so far)` });
      const seconds = (done - started) / 1000;
      return { values: { 'http-sink.records': n / seconds }, detail: { seconds, records: n, requests } };
    } finally {
      await deleteConnector(target, name);
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  },
};
