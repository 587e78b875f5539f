/**
 * Change data capture benchmark: Tributary's PostgreSQL connector beside Debezium 3.6.1 (in the
 * reference Apache Kafka Connect), one after the other on the same broker and database:
 *
 * - burst: change events/s while an UPDATE of `--rows` rows in one transaction reaches Kafka
 *   (timed from the COMMIT until the topic holds every event);
 * - latency: `--latency-events` single-row inserts at `--rate`/s; for each, the Kafka record's
 *   CreateTime minus the commit time in `source.ts_ms` (commit-to-Kafka), p50 and p99.
 *
 * Run: `npx tsx bench/cdc-bench.ts [--rows=100000] [--latency-events=300] [--rate=50] [--systems=tributary,debezium]`.
 * Writes bench/results/cdc-latest.json.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { eventually, rest } from '../cli/connect-rest-client.ts';
import { startDebeziumConnect } from '../host/debezium-connect-launcher.ts';
import { ensureDynamoDb } from '../host/dynamodb-launcher.ts';
import { startHostProcess } from '../host/host-process.ts';
import { ensureKafka } from '../host/kafka-launcher.ts';
import { freePort } from '../host/net-probe.ts';
import { startPostgresCdc } from '../host/postgres-cdc-launcher.ts';
import { uniqueName } from './support/bench-names.ts';
import { BenchKafka } from './support/kafka-tools.ts';
import { percentile, round } from './support/stats.ts';

const arg = (name: string, fallback: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback;
const ROWS = Number(arg('rows', '100000'));
const LATENCY_EVENTS = Number(arg('latency-events', '300'));
const RATE = Number(arg('rate', '50'));
const SYSTEMS = arg('systems', 'tributary,debezium').split(',');
const log = (line: string) => console.log(`[cdc bench] ${line}`);

interface Figures {
  burstEventsPerSec: number;
  burstSeconds: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'tributary-cdc-bench-'));
  const stops: (() => Promise<unknown>)[] = [];
  const results: Record<string, Figures> = {};
  try {
    const { KAFKA_BOOTSTRAP_SERVERS: _k, DYNAMODB_ENDPOINT: _d, ...env } = process.env;
    const kafkaPort = await freePort();
    const [kafkaEp, dynamo, pgServer] = await Promise.all([
      ensureKafka({ dataDir: dir, port: kafkaPort, controllerPort: await freePort(), log, env }),
      ensureDynamoDb({ dataDir: dir, port: await freePort(), log, env }),
      startPostgresCdc({ port: await freePort(), log }),
    ]);
    stops.push(() => kafkaEp.stop(), () => dynamo.stop(), () => pgServer.stop());
    const kafka = new BenchKafka(kafkaEp.bootstrapServers);
    stops.push(() => kafka.close());
    const db = new pg.Client({ host: pgServer.host, port: pgServer.port, user: 'postgres', password: 'postgres', database: 'postgres' });
    await db.connect();
    stops.push(() => db.end());
    await db.query('CREATE TABLE bench (id int PRIMARY KEY, n int NOT NULL, pad text)');
    await db.query(`INSERT INTO bench SELECT i, 0, repeat('x', 50) FROM generate_series(1, ${ROWS}) AS i`);
    await db.query('CREATE TABLE lat (id serial PRIMARY KEY, at timestamptz NOT NULL DEFAULT now())');

    for (const system of SYSTEMS) {
      const name = uniqueName(`cdc-${system}`).replace(/-/g, '_');
      const config = {
        'connector.class': 'io.debezium.connector.postgresql.PostgresConnector',
        'database.hostname': pgServer.host,
        'database.port': String(pgServer.port),
        'database.user': 'postgres',
        'database.password': 'postgres',
        'database.dbname': 'postgres',
        'plugin.name': 'pgoutput',
        'topic.prefix': name,
        'slot.name': name,
        'publication.name': name,
        'publication.autocreate.mode': 'filtered',
        'table.include.list': 'public.bench,public.lat',
        'snapshot.mode': 'no_data',
        'key.converter': 'org.apache.kafka.connect.json.JsonConverter',
        'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
      };
      let restUrl: string;
      let stop: () => Promise<unknown>;
      if (system === 'tributary') {
        const host = await startHostProcess({ kafkaBootstrap: kafkaEp.bootstrapServers, dynamoEndpoint: dynamo.endpoint, dataDir: join(dir, 'tributary'), tableName: uniqueName('cdc-bench'), env: { IDLE_BACKOFF_MAX_MS: '1000' } });
        restUrl = host.restUrl;
        stop = () => host.stop();
      } else {
        const work = join(dir, 'connect');
        mkdirSync(work, { recursive: true });
        const worker = await startDebeziumConnect({ bootstrapServers: kafkaEp.bootstrapServers, workDir: work, log });
        restUrl = worker.restUrl;
        stop = () => worker.stop();
      }
      try {
        const created = await rest(restUrl, 'POST', '/connectors', { name, config });
        if (created.status !== 201) throw new Error(`${system}: create failed: ${JSON.stringify(created.body)}`);
        await eventually(
          async () => {
            const task = (await rest<{ tasks?: { state?: string; trace?: string }[] }>(restUrl, 'GET', `/connectors/${name}/status`)).body.tasks?.[0];
            if (task?.state === 'FAILED') throw new Error(`${system} task failed: ${task.trace?.split('\n').slice(0, 3).join(' ')}`);
            return ((await db.query(`SELECT 1 FROM pg_replication_slots WHERE slot_name = $1 AND active`, [name])).rowCount ?? 0) > 0;
          },
          { what: `${system} streaming`, timeoutMs: 600_000, intervalMs: 1000 },
        );
        // Latency first, while the connector is warm and idle between events.
        const latTopic = `${name}.public.lat`;
        for (let i = 0; i < LATENCY_EVENTS; i++) {
          await db.query('INSERT INTO lat DEFAULT VALUES');
          await new Promise((r) => setTimeout(r, 1000 / RATE));
        }
        const lat = (await kafka.records(latTopic, LATENCY_EVENTS, Date.now() + 120_000)).map((r) => r.timestamp - (JSON.parse(r.value) as { payload: { source: { ts_ms: number } } }).payload.source.ts_ms);
        // Burst: one transaction updating every row.
        const topic = `${name}.public.bench`;
        await db.query('UPDATE bench SET n = n + 1');
        const committed = Date.now();
        await kafka.waitForEndOffset(topic, ROWS, { deadline: Date.now() + 600_000 });
        const seconds = (Date.now() - committed) / 1000;
        results[system] = { burstEventsPerSec: round(ROWS / seconds, 0), burstSeconds: round(seconds, 2), latencyP50Ms: percentile(lat, 50), latencyP99Ms: percentile(lat, 99) };
        log(`${system}: ${JSON.stringify(results[system])}`);
        await rest(restUrl, 'DELETE', `/connectors/${name}`);
      } finally {
        await stop();
        await db.query(`SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = $1 AND NOT active`, [name]).catch(() => undefined);
      }
    }
    const out = { generatedAt: new Date().toISOString(), options: { rows: ROWS, latencyEvents: LATENCY_EVENTS, rate: RATE }, results };
    mkdirSync(join(import.meta.dirname, 'results'), { recursive: true });
    writeFileSync(join(import.meta.dirname, 'results', 'cdc-latest.json'), `${JSON.stringify(out, null, 2)}\n`);
    console.table(results);
  } finally {
    for (const s of stops.reverse()) await s().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
