/**
 * Workload 16 (Tributary only: the Connect worker has no Cassandra plugin, and DataStax's is not
 * on Maven Central): the Cassandra sink writes `cassandraRecords` records of the sink workload's
 * input, one row each (`id=now(), payload=value`), to a single Cassandra node the workload
 * starts; timed from the POST until the sink's committed offsets cover every record (a sink task
 * commits only what Cassandra acknowledged), then the rows are counted once as a check. A
 * `COUNT(*)` polled while writes run would time the count, not the sink, on a busy node.
 */
import { auth, Client } from 'cassandra-driver';
import { rest } from '../../cli/connect-rest-client.ts';
import { startCassandra } from '../../host/cassandra-launcher.ts';
import { uniqueName } from '../support/bench-names.ts';
import { BenchTargetError } from '../support/bench-target.ts';
import { createConnector, deleteConnector, waitForProgress } from '../support/connector-calls.ts';
import type { Workload } from './workload.ts';

export const cassandraSinkThroughput: Workload = {
  id: 'cassandra-sink',
  only: 'tributary',
  metrics: [{ key: 'cassandra-sink.records', group: '16. Cassandra sink throughput', name: 'CassandraSinkConnector, 1 task, 1 row per record', label: 'records/s', unit: 'records/s', better: 'higher' }],
  async run(target, ctx) {
    const n = ctx.options.cassandraRecords;
    const topic = await ctx.inputs.sink(n);
    const server = await startCassandra(ctx.workDir, ctx.log);
    const cql = new Client({ contactPoints: [server.contactPoint], localDataCenter: server.localDc, authProvider: new auth.PlainTextAuthProvider(server.username, server.password) });
    const keyspace = uniqueName('bench').replaceAll('-', '_');
    const name = uniqueName('bench-cassandra-sink');
    try {
      await cql.connect();
      await cql.execute(`CREATE KEYSPACE ${keyspace} WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}`);
      await cql.execute(`CREATE TABLE ${keyspace}.records (id timeuuid PRIMARY KEY, payload text)`);
      let committed = 0;
      const committedRecords = async () => {
        const r = await rest<{ offsets?: { offset?: { kafka_offset?: number } }[] }>(target.restUrl, 'GET', `/connectors/${name}/offsets`).catch(() => undefined);
        return (r?.body.offsets ?? []).reduce((sum, o) => sum + (o.offset?.kafka_offset ?? 0), 0);
      };
      const started = performance.now();
      await createConnector(target, name, {
        'connector.class': 'com.datastax.oss.kafka.sink.CassandraSinkConnector',
        topics: topic,
        'tasks.max': '1',
        contactPoints: server.contactPoint,
        'loadBalancing.localDc': server.localDc,
        'auth.provider': 'PLAIN',
        'auth.username': server.username,
        'auth.password': server.password,
        [`topic.${topic}.${keyspace}.records.mapping`]: 'id=now(), payload=value',
      });
      const done = await waitForProgress(target, name, async () => (committed = await committedRecords()) >= n, { deadline: ctx.deadline(), intervalMs: 100, what: () => `${n} records committed (${committed} so far)` });
      const seconds = (done - started) / 1000;
      const rows = Number((await cql.execute(`SELECT COUNT(*) AS n FROM ${keyspace}.records`, [], { readTimeout: 60_000 })).first()?.get('n'));
      if (rows < n) throw new BenchTargetError(`tributary: ${n} records committed but ${rows} rows in Cassandra`);
      return { values: { 'cassandra-sink.records': n / seconds }, detail: { seconds, records: n } };
    } finally {
      await deleteConnector(target, name);
      await cql.shutdown().catch(() => undefined);
      await server.stop();
    }
  },
};
