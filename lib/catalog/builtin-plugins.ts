/** The registry of every built-in plugin, plus custom packages named in TRIBUTARY_PLUGINS. */
import { cassandraPlugins } from '../connectors/cassandra/index.ts';
import { datagenPlugins } from '../connectors/datagen/index.ts';
import { debeziumMySqlPlugins } from '../connectors/debezium-mysql/index.ts';
import { debeziumPostgresPlugin } from '../connectors/debezium-postgres/index.ts';
import { dynamoDbPlugins } from '../connectors/dynamodb/index.ts';
import { fileStreamPlugins } from '../connectors/file-stream/index.ts';
import { httpPlugins } from '../connectors/http/index.ts';
import { jdbcPlugins } from '../connectors/jdbc/index.ts';
import { mqttPlugins } from '../connectors/mqtt/index.ts';
import { rabbitmqPlugins } from '../connectors/rabbitmq/index.ts';
import { s3Plugins } from '../connectors/s3/index.ts';
import { sqsPlugins } from '../connectors/sqs/index.ts';
import { builtinConverters } from '../converters/index.ts';
import { builtinTransforms } from '../transforms/index.ts';
import { customPlugins } from './custom-plugins.ts';
import { PluginRegistry } from '../plugins/plugin-registry.ts';

let registry: Promise<PluginRegistry> | undefined;

/** The process-wide registry; custom plugin packages load once, on first use. */
export function pluginRegistry(env: NodeJS.ProcessEnv = process.env): Promise<PluginRegistry> {
  registry ??= (async () => {
    const r = new PluginRegistry().register(
      ...fileStreamPlugins,
      ...jdbcPlugins,
      ...datagenPlugins,
      ...httpPlugins,
      ...rabbitmqPlugins,
      ...mqttPlugins,
      ...cassandraPlugins,
      debeziumPostgresPlugin,
      ...debeziumMySqlPlugins,
      ...s3Plugins,
      ...sqsPlugins,
      ...dynamoDbPlugins,
      ...builtinConverters,
      ...builtinTransforms,
      ...customPlugins,
    );
    const custom = (env.TRIBUTARY_PLUGINS ?? '').split(',').map((s) => s.trim()).filter(Boolean);
    await r.loadPackages(custom);
    return r;
  })();
  return registry;
}
