/**
 * The Cassandra sink under the DataStax Apache Kafka Connector's class name. Every task gets
 * the same config and writes the topic partitions it is assigned.
 */
import type { ConfigDef } from '../../config/config-def.ts';
import type { Props, SinkConnector, SinkTask } from '../../plugins/plugin-types.ts';
import { cassandraSinkConfigDef, parseTableSettings, unmappedTopics } from './cassandra-sink-config.ts';
import { CassandraSinkTask } from './cassandra-sink-task.ts';
import { checkTable } from './cassandra-table-writer.ts';
import { classify, openSession } from './cassandra-session.ts';
import { CASSANDRA_SINK_VERSION } from './cassandra-version.ts';

export const CASSANDRA_SINK_CLASS = 'com.datastax.oss.kafka.sink.CassandraSinkConnector';

const CONNECTION_KEYS = ['contactPoints', 'port', 'loadBalancing.localDc', 'auth.provider', 'auth.username', 'auth.password', 'ssl.provider', 'queryExecutionTimeout', 'connectionPoolLocalSize'];

/** Cross-key checks, then the cluster: reachable, credentials accepted, every mapped table and column there. */
export async function validateCassandraSink(props: Props): Promise<Record<string, string[]>> {
  const def = cassandraSinkConfigDef();
  const { tables, errors } = parseTableSettings(props);
  const fail = (key: string, message: string) => (errors[key] ??= []).push(message);
  for (const topic of unmappedTopics(props, tables)) fail('topics', `Topic ${topic} has no topic.${topic}.<keyspace>.<table>.mapping setting: at least one table must be mapped for each topic.`);
  if ((props.contactPoints ?? '').trim() !== '' && !(props['loadBalancing.localDc'] ?? '').trim()) fail('loadBalancing.localDc', 'loadBalancing.localDc is required when contactPoints is set.');
  if (props['auth.provider'] === 'PLAIN' && !(props['auth.username'] ?? '').trim()) fail('auth.username', 'auth.username is required with auth.provider=PLAIN.');
  if (def.validate(props).some((r) => CONNECTION_KEYS.includes(r.name) && r.errors.length > 0) || Object.keys(errors).some((k) => CONNECTION_KEYS.includes(k))) return errors;

  let client;
  try {
    client = await openSession(props, { connectTimeoutMs: 5000 });
  } catch (e) {
    const err = classify(e, props);
    fail(err.key ?? 'contactPoints', err.message);
    return errors;
  }
  try {
    for (const spec of tables) for (const m of (await checkTable(client, spec)).errors) fail(`${spec.prefix}mapping`, m);
  } finally {
    await client.shutdown().catch(() => undefined);
  }
  return errors;
}

export class CassandraSinkConnector implements SinkConnector {
  readonly type = 'sink';
  private props: Props = {};

  version(): string {
    return CASSANDRA_SINK_VERSION;
  }
  config(): ConfigDef {
    return cassandraSinkConfigDef();
  }
  validate(props: Props): Promise<Record<string, string[]>> {
    return validateCassandraSink(props);
  }
  start(props: Props): void {
    cassandraSinkConfigDef().parse(props);
    this.props = props;
  }
  taskConfigs(maxTasks: number): Props[] {
    return Array.from({ length: Math.max(1, maxTasks) }, () => ({ ...this.props }));
  }
  createTask(): SinkTask {
    return new CassandraSinkTask();
  }
  stop(): void {}
  /** Positions are Connect's consumer offsets only: any may be written. */
  alterOffsets(): boolean {
    return true;
  }
}
