import type { PluginDescriptor } from '../../plugins/plugin-types.ts';
import { CASSANDRA_SINK_CLASS, CassandraSinkConnector } from './cassandra-sink-connector.ts';
import { CASSANDRA_SINK_VERSION } from './cassandra-version.ts';

export const cassandraPlugins: PluginDescriptor[] = [
  { className: CASSANDRA_SINK_CLASS, aliases: ['CassandraSinkConnector', 'CassandraSink'], type: 'sink', version: CASSANDRA_SINK_VERSION, create: () => new CassandraSinkConnector() },
];
