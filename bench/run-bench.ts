/**
 * `npm run bench`: Tributary against Apache Kafka Connect 4.1.1 (distributed) on the same
 * local broker in one run, plus Kafka's own performance tools as the ceiling. Prints a table,
 * writes bench/results/latest.json and latest.svg. Knobs: bench/README.md.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { cpus, loadavg, totalmem, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ensureDynamoDb } from '../host/dynamodb-launcher.ts';
import { ensureKafka } from '../host/kafka-launcher.ts';
import { ensureSchemaRegistry } from '../host/schema-registry-launcher.ts';
import { avroConverterPluginPath } from '../host/apicurio-avro-converter.ts';
import { freePort } from '../host/net-probe.ts';
import { ratioChart } from './chart/svg-chart.ts';
import { BenchInputs } from './support/bench-inputs.ts';
import { BenchOptionsError, readBenchOptions, type BenchOptions, type System } from './support/bench-options.ts';
import { formatResults, ratioOf, type Measurement, type WorkloadResult } from './support/bench-results.ts';
import type { BenchTarget } from './support/bench-target.ts';
import { startConnectTarget } from './support/connect-target.ts';
import { BenchKafka } from './support/kafka-tools.ts';
import { round } from './support/stats.ts';
import { startTributaryTarget } from './support/tributary-target.ts';
import { controlPlaneLatency } from './workloads/control-plane-latency.ts';
import { cassandraSinkThroughput } from './workloads/cassandra-sink-throughput.ts';
import { httpSinkThroughput } from './workloads/http-sink-throughput.ts';
import { CEILING_METRICS, measureCeiling } from './workloads/kafka-ceiling.ts';
import { mqttSourceThroughput } from './workloads/mqtt-source-throughput.ts';
import { recovery } from './workloads/recovery.ts';
import { s3SinkThroughput, sqsSourceThroughput } from './workloads/aws-connectors.ts';
import { stopAwsBenchServers } from './support/aws-bench-servers.ts';
import { restLatency } from './workloads/rest-latency.ts';
import { avroSinkThroughput, avroSourceThroughput } from './workloads/avro-throughput.ts';
import { sinkThroughput } from './workloads/sink-throughput.ts';
import { sourceThroughput } from './workloads/source-throughput.ts';
import { exactlyOnceSource, smtChain, sourceScaling } from './workloads/throughput-variants.ts';
import type { Workload, WorkloadContext } from './workloads/workload.ts';

/** In this order on each system: memory is read during the first, and recovery replaces Connect's worker, so it comes last. */
const WORKLOADS: readonly Workload[] = [
  sourceThroughput,
  sinkThroughput,
  sourceScaling,
  smtChain,
  exactlyOnceSource,
  avroSourceThroughput,
  avroSinkThroughput,
  controlPlaneLatency,
  restLatency,
  httpSinkThroughput,
  mqttSourceThroughput,
  s3SinkThroughput,
  sqsSourceThroughput,
  cassandraSinkThroughput,
  recovery,
];

type Outcome = { ok: true; m: Measurement } | { ok: false; error: string };

const log = (line: string) => console.log(`[bench] ${line}`);
const cleanups: (() => Promise<void>)[] = [];

async function main(options: BenchOptions): Promise<void> {
  // Other work on the machine skews every figure; the load averages before and after say how much there was.
  const loadBefore = loadavg().map((l) => round(l));
  const dataDir = options.dataDir ? resolve(options.dataDir) : mkdtempSync(join(tmpdir(), 'tributary-bench-'));
  mkdirSync(dataDir, { recursive: true });
  if (!options.dataDir) cleanups.push(async () => rmSync(dataDir, { recursive: true, force: true }));
  cleanups.push(stopAwsBenchServers);

  const kafkaEndpoint = await ensureKafka({ dataDir, port: options.kafkaPort, log });
  cleanups.push(() => kafkaEndpoint.stop());
  log(`Kafka ${kafkaEndpoint.bootstrapServers} (${kafkaEndpoint.origin})`);
  const kafka = new BenchKafka(kafkaEndpoint.bootstrapServers);
  cleanups.push(() => kafka.close());
  const inputs = new BenchInputs(dataDir, options.recordSize, kafka);
  const deadline = () => Date.now() + options.timeoutSeconds * 1000;
  const avro = options.workloads.some((w) => w.startsWith('avro-'));
  let schemaRegistry: { url: string; apicurioUrl: string } | undefined;
  if (avro) {
    const registry = await ensureSchemaRegistry({ dataDir, port: await freePort(), log, env: {} });
    cleanups.push(() => registry.stop());
    schemaRegistry = { url: registry.url, apicurioUrl: registry.apicurioUrl ?? '' };
    log(`Schema Registry ${registry.url} (${registry.origin})`);
  }
  const shared = { options, kafka, inputs, log, deadline, schemaRegistry };

  const outcomes = new Map<string, Outcome>(); // `${system}/${workloadId}`, and `ceiling`
  if (options.workloads.includes('ceiling')) {
    log(`7. Ceiling: ProducerPerformance and ConsumerPerformance, ${options.records} records of ${options.recordSize} bytes...`);
    outcomes.set('ceiling', await attempt(() => measureCeiling(shared)));
  }

  for (const system of options.systems) {
    const selected = WORKLOADS.filter((w) => options.workloads.includes(w.id) && (!w.only || w.only === system));
    if (selected.length === 0) continue;
    const workDir = join(dataDir, system);
    mkdirSync(workDir, { recursive: true });
    log(`Starting ${label(system)}...`);
    let target: BenchTarget;
    try {
      target = await startTarget(system, options, kafkaEndpoint.bootstrapServers, workDir, avro);
    } catch (e) {
      const error = `${label(system)} did not start: ${(e as Error).message.slice(0, 1500)}`;
      log(error);
      for (const w of selected) outcomes.set(`${system}/${w.id}`, { ok: false, error });
      continue;
    }
    const stop = once(() => target.stop());
    cleanups.push(stop);
    const ctx: WorkloadContext = { ...shared, workDir };
    for (const w of selected) {
      log(`${label(system)}: ${w.metrics[0]?.group ?? w.id}...`);
      await target.settled?.();
      const outcome = await attempt(() => w.run(target, ctx));
      if (!outcome.ok) log(`  failed: ${outcome.error}`);
      else log(`  ${Object.entries(outcome.m.values).map(([k, v]) => `${k}=${round(v)}`).join(', ')}`);
      outcomes.set(`${system}/${w.id}`, outcome);
    }
    log(`Stopping ${label(system)}...`);
    await stop();
  }

  const rows = buildRows(outcomes);
  const notes = [...outcomes].filter(([, o]) => !o.ok).map(([k, o]) => `${k} failed: ${(o as { error: string }).error}`);
  console.log(`\n${formatResults(rows, notes)}\n`);
  if (Math.max(...loadBefore) > cpus().length) log(`The machine was already busy (load ${loadBefore.join(' ')} on ${cpus().length} cores): expect noisy figures.`);

  const resultsDir = resolve(options.resultsDir ?? join(import.meta.dirname, 'results'));
  mkdirSync(resultsDir, { recursive: true });
  const host = { ...machine(), loadAverage1m5m15m: { before: loadBefore, after: loadavg().map((l) => round(l)) } };
  const report = { generatedAt: new Date().toISOString(), machine: host, options: { ...options, dataDir: undefined }, workloads: rows, failures: notes };
  writeFileSync(join(resultsDir, 'latest.json'), `${JSON.stringify(report, null, 2)}\n`);
  const subtitle = `${options.records.toLocaleString('en-US')} records of ${options.recordSize} B · ${host.cpus} cores · ${report.generatedAt.slice(0, 10)} · > 1: Tributary ahead`;
  // The ceiling has no Tributary/Connect ratio; it is in the table and beside the throughput rows.
  const compared = rows.filter((r) => !CEILING_METRICS.some((m) => m.group === r.group));
  writeFileSync(join(resultsDir, 'latest.svg'), ratioChart(compared, { title: 'Tributary vs Apache Kafka Connect 4.1.1', subtitle }));
  log(`Wrote ${join(resultsDir, 'latest.json')} and latest.svg`);
}

function startTarget(system: System, o: BenchOptions, bootstrapServers: string, workDir: string, avro: boolean): Promise<BenchTarget> {
  if (system === 'connect') {
    return (async () => {
      // The Avro workloads give Connect Apicurio's AvroConverter (Confluent wire format) as a plugin.
      const workerProperties = avro ? { 'plugin.path': await avroConverterPluginPath(workDir) } : undefined;
      // On a loaded machine the worker (with a plugin.path to scan) can take longer than the launcher's default to start.
      return startConnectTarget({ bootstrapServers, workDir, xmx: o.connectXmx, offsetFlushIntervalMs: o.connectOffsetFlushMs, log, workerProperties, startTimeoutMs: o.timeoutSeconds * 1000 });
    })();
  }
  return (async () => {
    const dynamo = await ensureDynamoDb({ dataDir: workDir, port: o.dynamoPort, log });
    cleanups.push(() => dynamo.stop());
    return startTributaryTarget({ bootstrapServers, dynamoEndpoint: dynamo.endpoint, dataDir: workDir });
  })();
}

/** One row per metric; the ceiling's rows stand alone and its figures also sit beside the throughput rows they bound. */
function buildRows(outcomes: Map<string, Outcome>): WorkloadResult[] {
  const value = (key: string, metric: string): number | null => {
    const o = outcomes.get(key);
    return o?.ok && o.m.values[metric] !== undefined ? o.m.values[metric] : null;
  };
  const ceilingOf: Record<string, string> = {
    'source.records': 'ceiling.produce.records',
    'source.mb': 'ceiling.produce.mb',
    'sink.records': 'ceiling.consume.records',
    'sink.mb': 'ceiling.consume.mb',
  };
  const rows: WorkloadResult[] = [];
  for (const w of WORKLOADS) {
    if (![...outcomes.keys()].some((k) => k.endsWith(`/${w.id}`))) continue;
    for (const spec of w.metrics) {
      const tributary = value(`tributary/${w.id}`, spec.key);
      const connect = value(`connect/${w.id}`, spec.key);
      const ceilingKey = ceilingOf[spec.key];
      const ceiling = ceilingKey ? value('ceiling', ceilingKey) : null;
      const detail: Record<string, unknown> = {};
      for (const system of ['tributary', 'connect'] as const) {
        const o = outcomes.get(`${system}/${w.id}`);
        if (o?.ok && o.m.detail) detail[system] = o.m.detail;
        if (o && !o.ok) detail[`${system}Error`] = o.error;
        const v = system === 'tributary' ? tributary : connect;
        if (ceiling !== null && v !== null) detail[`${system}PercentOfCeiling`] = round((100 * v) / ceiling, 1);
      }
      rows.push({ group: spec.group, name: spec.name, label: spec.label, unit: spec.unit, better: spec.better, tributary, connect, ratio: ratioOf(spec, tributary, connect), ...(ceiling !== null ? { ceiling } : {}), detail });
    }
  }
  const c = outcomes.get('ceiling');
  if (c) {
    for (const spec of CEILING_METRICS) {
      const ceiling = value('ceiling', spec.key) ?? undefined;
      rows.push({ group: spec.group, name: spec.name, label: spec.label, unit: spec.unit, better: spec.better, tributary: null, connect: null, ratio: null, ceiling, detail: c.ok ? { ...c.m.detail } : { error: c.error } });
    }
  }
  return rows;
}

async function attempt(f: () => Promise<Measurement>): Promise<Outcome> {
  try {
    return { ok: true, m: await f() };
  } catch (e) {
    return { ok: false, error: (e as Error).message };
  }
}

function once(f: () => Promise<void>): () => Promise<void> {
  let p: Promise<void> | undefined;
  return () => (p ??= f());
}

const label = (s: System) => (s === 'connect' ? 'Apache Kafka Connect 4.1.1' : 'Tributary');

function machine() {
  const java = spawnSync('java', ['-version'], { encoding: 'utf8' }).stderr?.split('\n')[0] ?? 'unknown';
  return { cpus: cpus().length, cpuModel: cpus()[0]?.model, memoryGiB: round(totalmem() / 2 ** 30, 1), node: process.version, java };
}

async function cleanUp(): Promise<void> {
  for (const f of cleanups.splice(0).reverse()) await f().catch((e: unknown) => log(`cleanup: ${(e as Error).message}`));
}

// Some dependencies set negative timeouts under Node 24; `npm start` silences the same warning with a flag.
process.removeAllListeners('warning');
process.on('warning', (w) => {
  if (w.name !== 'TimeoutNegativeWarning') console.warn(w);
});

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    log(`${signal}: stopping everything started...`);
    // A workload still running may hold a cleanup step up; the children are gone by then.
    setTimeout(() => process.exit(130), 30_000).unref();
    void cleanUp().finally(() => process.exit(130));
  });
}

try {
  await main(readBenchOptions(process.argv.slice(2), process.env));
} catch (e) {
  console.error(e instanceof BenchOptionsError ? e.message : e);
  process.exitCode = 1;
} finally {
  await cleanUp();
}
// Clients and timers of failed workloads must not keep the process alive once everything is stopped.
process.exit(process.exitCode ?? 0);
