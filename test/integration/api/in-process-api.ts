/**
 * The REST API in the test process, on DynamoDB Local and the test broker, with an
 * orchestrator that only records which task executions were started.
 */
import { createConnectApi, type ConnectApi } from '../../../lib/api/connect-api.ts';
import { ConnectorService } from '../../../lib/control/connector-service.ts';
import { OffsetsService } from '../../../lib/control/offsets-service.ts';
import { createKafka } from '../../../lib/kafka/kafka-factory.ts';
import type { ProviderResolver } from '../../../lib/config/config-providers.ts';
import type { Orchestrator } from '../../../lib/orchestrator/orchestrator-port.ts';
import type { PluginRegistry } from '../../../lib/plugins/plugin-registry.ts';
import type { DynamoConnectorStore } from '../../../lib/store/dynamo-connector-store.ts';
import { createStore } from '../../../lib/store/store-factory.ts';
import { uniqueName } from '../../support/local-host-process.ts';

export interface InProcessApi {
  readonly store: DynamoConnectorStore;
  readonly control: ConnectorService;
  /** Names of the executions started, in order. */
  readonly started: string[];
  call(method: string, target: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown>; text: string }>;
  /** Calls the API with the request-target as written (no URL normalization) and a raw body. */
  raw(method: string, target: string, body?: string | null): Promise<{ status: number; body: unknown }>;
  /** Disconnects the Kafka clients. */
  close(): Promise<void>;
}

export async function inProcessApi(o: { kafkaBootstrap: string; dynamoEndpoint: string; registry: PluginRegistry; orchestrator?: Orchestrator; configProviders?: Record<string, ProviderResolver> }): Promise<InProcessApi> {
  const store = createStore({ tableName: uniqueName('in-process-api'), endpoint: o.dynamoEndpoint });
  await store.ensureTable();
  const started: string[] = [];
  const control = new ConnectorService({ store, registry: o.registry, orchestrator: o.orchestrator ?? { startExecution: async (name) => void started.push(name) }, workerId: 'test-api', ...(o.configProviders ? { configProviders: o.configProviders } : {}) });
  const kafka = await createKafka({ KAFKA_BOOTSTRAP_SERVERS: o.kafkaBootstrap });
  const api: ConnectApi = createConnectApi({
    control,
    offsets: new OffsetsService({ store, kafka, registry: o.registry }),
    workerId: 'test-api',
    clusterId: async () => 'test-cluster',
    healthy: async () => true,
    loggers: store,
    onUnexpected: (e, req) => console.error(`Unexpected API error on ${req.method} ${req.path}:`, e),
  });
  const call = async (method: string, target: string, body?: unknown) => {
    const url = new URL(target, 'http://localhost');
    const query: Record<string, string[]> = {};
    for (const [k, v] of url.searchParams) (query[k] ??= []).push(v);
    const res = await api({ method, path: url.pathname, query, headers: { 'content-type': 'application/json' }, body: body === undefined ? null : JSON.stringify(body) });
    return { status: res.status, body: res.body as Record<string, unknown>, text: JSON.stringify(res.body ?? null) };
  };
  const raw = async (method: string, target: string, body: string | null = null) => {
    const q = target.indexOf('?');
    const query: Record<string, string[]> = {};
    if (q >= 0) for (const [k, v] of new URLSearchParams(target.slice(q + 1))) (query[k] ??= []).push(v);
    const res = await api({ method, path: q >= 0 ? target.slice(0, q) : target, query, headers: { 'content-type': 'application/json' }, body });
    return { status: res.status, body: res.body };
  };
  return { store, control, started, call, raw, close: () => kafka.close() };
}
