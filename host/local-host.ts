/**
 * The local host: everything Tributary runs on AWS, on 127.0.0.1. A real Kafka broker and
 * DynamoDB Local (started, reused, or taken from the environment), the REST API served by
 * the API Lambda's handler, the state machine in the ASL interpreter, runner child
 * processes, and the restarter fed the events EventBridge would send.
 */
import type { Server } from 'node:http';
import { createApiHandler } from '../functions/api-handler.ts';
import { createLifecycleHandler } from '../functions/lifecycle-handler.ts';
import { createRestarterHandler } from '../functions/restarter-handler.ts';
import { readEnv, restarterEnvSchema } from '../lib/config/function-env.ts';
import type { RestarterEvent } from '../lib/control/task-restarter.ts';
import { startTaskExecution, type Orchestrator } from '../lib/orchestrator/orchestrator-port.ts';
import { createKafka } from '../lib/kafka/kafka-factory.ts';
import { DEFAULT_OFFSETS_TOPIC, SourceOffsetStore } from '../lib/runtime/source-offset-store.ts';
import { createLogger, type Logger } from '../lib/observability/structured-logger.ts';
import { statusBody } from '../lib/api/status-format.ts';
import { createStore } from '../lib/store/store-factory.ts';
import { fileAssetSource } from '../lib/console/file-asset-source.ts';
import { ensureDynamoDb, type DynamoEndpoint } from './dynamodb-launcher.ts';
import { startHttpServer } from './http-server.ts';
import { MetricsHistory } from './metrics-history.ts';
import { createPrometheusExporter, type ConnectorStatus } from './prometheus-exporter.ts';
import { ensureKafka, type KafkaEndpoint } from './kafka-launcher.ts';
import { ensureSchemaRegistry, type SchemaRegistryEndpoint } from './schema-registry-launcher.ts';
import { lambdaContext } from './lambda-context.ts';
import { LocalOrchestrator } from './local-orchestrator.ts';
import { consoleDir, dataDir } from './local-paths.ts';
import { runnerEntry, type RunnerEntry } from './runner-bundle.ts';
import { RunnerPool } from './runner-pool.ts';

export interface LocalHostOptions {
  readonly port?: number;
  readonly host?: string;
  readonly dataDir?: string;
  readonly tableName?: string;
  readonly log?: (line: string) => void;
}

export interface LocalHost {
  readonly restUrl: string;
  readonly bootstrapServers: string;
  readonly dynamoEndpoint: string;
  /** The Confluent-compatible Schema Registry URL, when TRIBUTARY_SCHEMA_REGISTRY=1 started one (or SCHEMA_REGISTRY_URL names one). */
  readonly schemaRegistryUrl: string | undefined;
  readonly runners: RunnerPool;
  stop(): Promise<void>;
}

/** A Schema Registry only on request: it is a JVM of its own, which most laptops running Tributary do not need. */
function maybeSchemaRegistry(dir: string, say: (line: string) => void): Promise<SchemaRegistryEndpoint | undefined> {
  const wanted = process.env.TRIBUTARY_SCHEMA_REGISTRY === '1' || Boolean(process.env.SCHEMA_REGISTRY_URL);
  if (!wanted) return Promise.resolve(undefined);
  return ensureSchemaRegistry({ dataDir: dir, port: Number(process.env.TRIBUTARY_SCHEMA_REGISTRY_PORT ?? 8081), log: say });
}

const SWEEP_INTERVAL_MS = 15_000;
const RESTARTER_ATTEMPTS = 10;
const RESTARTER_RETRY_MS = 1000;

export async function startLocalHost(o: LocalHostOptions = {}): Promise<LocalHost> {
  const say = o.log ?? (() => {});
  const dir = o.dataDir ?? dataDir();
  const port = o.port ?? Number(process.env.TRIBUTARY_PORT ?? 8083);
  const host = o.host ?? '127.0.0.1';
  const [kafka, dynamo, registry, entry]: [KafkaEndpoint, DynamoEndpoint, SchemaRegistryEndpoint | undefined, RunnerEntry] = await Promise.all([
    ensureKafka({ dataDir: dir, log: say }),
    ensureDynamoDb({ dataDir: dir, log: say }),
    maybeSchemaRegistry(dir, say),
    runnerEntry(process.env),
  ]);
  const tableName = o.tableName ?? process.env.TABLE_NAME ?? 'tributary';
  const restUrl = `http://${host}:${port}`;

  // The functions read their settings from the environment, exactly as on Lambda.
  Object.assign(process.env, {
    TABLE_NAME: tableName,
    DYNAMODB_ENDPOINT: dynamo.endpoint,
    KAFKA_BOOTSTRAP_SERVERS: kafka.bootstrapServers,
    STATE_MACHINE_ARN: 'arn:aws:states:local:000000000000:stateMachine:tributary-task-lifecycle',
    WORKER_ID: process.env.WORKER_ID ?? `${host}:${port}`,
    SLICE_BUDGET_MS: process.env.SLICE_BUDGET_MS ?? '60000',
    IDLE_BACKOFF_MAX_MS: process.env.IDLE_BACKOFF_MAX_MS ?? '10000',
    AWS_REGION: process.env.AWS_REGION ?? 'us-east-1',
    AWS_ACCESS_KEY_ID: process.env.AWS_ACCESS_KEY_ID ?? 'local',
    AWS_SECRET_ACCESS_KEY: process.env.AWS_SECRET_ACCESS_KEY ?? 'local',
    STALE_AFTER_MS: process.env.STALE_AFTER_MS ?? '180000',
  });
  const store = createStore({ tableName, endpoint: dynamo.endpoint });
  await store.ensureTable();

  const log = createLogger('tributary-local');
  const runnerEnv = { ...process.env, WORKER_ID: undefined, TRIBUTARY_METRICS: process.env.TRIBUTARY_METRICS ?? 'off' };
  // What runners count, kept by the host: the Prometheus endpoint and the metrics route read it.
  const metrics = new MetricsHistory();
  const runners = new RunnerPool(runnerEnv, entry, (samples) => {
    for (const s of samples) metrics.add(s);
  });
  runners.prewarm();
  // The handlers and the interpreter need each other; the handlers only call it later.
  const orchestratorRef: Orchestrator = { startExecution: (name, input) => orchestrator.startExecution(name, input), targetChanged: (connector) => orchestrator.targetChanged(connector) };
  const restarter = createRestarterHandler(() => orchestratorRef);
  // As Lambda retries a failed asynchronous invocation from EventBridge: an execution's end must
  // not be lost because the store was briefly unreachable, or its task would wait for the sweep.
  const restart = (event: RestarterEvent, attempt = 1): Promise<unknown> =>
    restarter(event, lambdaContext('tributary-restarter') as never).catch((e: unknown) => {
      const retry = event.source === 'aws.states' && attempt < RESTARTER_ATTEMPTS;
      log.error('Restarter failed', { error: (e as Error).message, attempt, retrying: retry });
      if (retry) setTimeout(() => void restart(event, attempt + 1), RESTARTER_RETRY_MS * attempt).unref();
    });
  const lifecycle = createLifecycleHandler(() => orchestratorRef);
  const orchestrator = new LocalOrchestrator({
    lifecycle: lifecycle as never,
    runSlice: (input) => runners.invoke(input),
    runFargate: (input) => runners.invoke(input),
    onExecutionFailed: (event) => void restart(event),
    onTargetChanged: (connector) => runners.targetChanged(connector),
    // A task nobody runs any more (deleted, stopped, paused, failed for good) frees its runner.
    onExecutionEnded: ({ connector, task }) => {
      if (!orchestrator.runsTask(connector, task)) runners.release(connector, task);
      // A deleted connector's series go with it.
      void store.getConnector(connector).then((c) => c || metrics.drop(connector), () => {});
    },
    log,
  });
  const api = createApiHandler(() => orchestratorRef, () => metrics);
  const statuses = async (): Promise<ConnectorStatus[]> => {
    const names = await store.listConnectors();
    metrics.keepOnly(names);
    const states = await Promise.all(names.map((n) => store.getState(n)));
    return states.flatMap((s) => {
      if (!s) return [];
      const b = statusBody(s, process.env.WORKER_ID ?? '', null);
      return [{ name: b.name, type: b.type, state: b.connector.state, tasks: b.tasks.map((t) => ({ id: t.id, state: t.state })) }];
    });
  };

  let server: Server;
  try {
    server = await startHttpServer({
      host,
      port,
      handler: api as never,
      token: process.env.TRIBUTARY_API_TOKEN,
      console: fileAssetSource(consoleDir),
      extraRoutes: { '/tributary/runners': () => runners.list(), '/tributary/runner-spares': () => runners.spareStats(), '/tributary/executions': () => orchestrator.executions() },
      prometheus: createPrometheusExporter(metrics, statuses),
    });
  } catch (e) {
    await Promise.all([kafka.stop(), dynamo.stop(), registry?.stop()]);
    throw e;
  }

  void warmUpKafka(kafka.bootstrapServers, log);

  // Resume every connector where it left off: new executions, new epochs.
  const names = await store.listConnectors();
  for (const name of names) {
    const s = await store.getState(name);
    if (!s || s.connector.targetState !== 'RUNNING') continue;
    for (let task = 0; task < (s.tasks?.configs.length ?? 0); task++) await startTaskExecution(store, orchestrator, name, task);
  }
  readEnv(restarterEnvSchema);
  const sweep = setInterval(() => void restart({ source: 'tributary.local', 'detail-type': 'Scheduled sweep' }), SWEEP_INTERVAL_MS);
  sweep.unref();

  let stopped: Promise<void> | undefined;
  return {
    restUrl,
    bootstrapServers: kafka.bootstrapServers,
    dynamoEndpoint: dynamo.endpoint,
    schemaRegistryUrl: registry?.url,
    runners,
    stop: () => {
      stopped ??= (async () => {
        clearInterval(sweep);
        // Order matters: no new slices, then runners commit and exit, then the API, then the stores they wrote to.
        orchestrator.close();
        await runners.shutdown();
        await new Promise<void>((r) => server.close(() => r()));
        server.closeAllConnections();
        await Promise.all([kafka.stop(), dynamo.stop(), registry?.stop()]);
      })();
      return stopped;
    },
  };
}

/**
 * A fresh broker creates its offsets topic and `__consumer_offsets` on first use, which takes
 * seconds; doing it now, in the background, spares the first connector that wait.
 */
async function warmUpKafka(bootstrapServers: string, log: Logger): Promise<void> {
  const kafka = await createKafka({ KAFKA_BOOTSTRAP_SERVERS: bootstrapServers }, 'tributary-warm-up');
  try {
    await SourceOffsetStore.ensureTopic(kafka, DEFAULT_OFFSETS_TOPIC);
    const admin = await kafka.admin();
    await admin.committedOffsets('tributary-warm-up', [DEFAULT_OFFSETS_TOPIC]);
  } catch (e) {
    log.debug('Kafka warm-up did not finish', { error: (e as Error).message });
  } finally {
    await kafka.close().catch(() => {});
  }
}
