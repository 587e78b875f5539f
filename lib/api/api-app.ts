/** Wires the REST API from its parts; the API Lambda and the local host both build it here. */
import { ConnectorService } from '../control/connector-service.ts';
import { OffsetsService } from '../control/offsets-service.ts';
import type { KafkaPort } from '../kafka/kafka-port.ts';
import type { Orchestrator } from '../orchestrator/orchestrator-port.ts';
import type { PluginRegistry } from '../plugins/plugin-registry.ts';
import type { Logger } from '../observability/structured-logger.ts';
import type { ConnectorStore } from '../store/store-ports.ts';
import { createConnectApi, type ConnectApi } from './connect-api.ts';
import type { MetricsSource } from './metrics-source.ts';

export interface ApiAppDeps {
  readonly store: ConnectorStore;
  readonly kafka: KafkaPort;
  readonly registry: PluginRegistry;
  readonly orchestrator: Orchestrator;
  readonly workerId: string;
  readonly log: Logger;
  readonly metrics?: MetricsSource | undefined;
}

export function buildApi(d: ApiAppDeps): { api: ConnectApi; control: ConnectorService } {
  const control = new ConnectorService({ store: d.store, registry: d.registry, orchestrator: d.orchestrator, workerId: d.workerId });
  let clusterId: Promise<string> | undefined;
  const api = createConnectApi({
    control,
    workerId: d.workerId,
    metrics: d.metrics,
    offsets: new OffsetsService({ store: d.store, kafka: d.kafka, registry: d.registry }),
    clusterId: () => {
      clusterId ??= d.kafka.admin().then(async (a) => {
        try {
          return await a.clusterId();
        } finally {
          await a.close();
        }
      });
      return clusterId.catch((e: unknown) => {
        clusterId = undefined;
        throw e;
      });
    },
    healthy: () => d.store.listConnectors().then(() => true, () => false),
    loggers: d.store,
    onUnexpected: (e, req) => d.log.error('Unexpected API error', { method: req.method, path: req.path, error: (e as Error).message, stack: (e as Error).stack }),
  });
  return { api, control };
}
