/**
 * The JDBC sink connector (io.confluent.connect.jdbc.JdbcSinkConnector): every task gets the
 * same config; Kafka spreads the topic partitions over them.
 */
import type { ConfigDef, ConfigValueType } from '../../config/config-def.ts';
import type { Props, SinkConnector, SinkTask } from '../../plugins/plugin-types.ts';
import { checkConnectivity } from './connection-config.ts';
import { jdbcSinkConfigDef, parseSinkSettings, sinkCrossKeyErrors } from './jdbc-sink-config.ts';
import { JdbcSinkTask } from './jdbc-sink-task.ts';
import { JDBC_CONNECTOR_VERSION } from './jdbc-version.ts';

export const JDBC_SINK_CLASS = 'io.confluent.connect.jdbc.JdbcSinkConnector';

export class JdbcSinkConnector implements SinkConnector {
  readonly type = 'sink';
  private props: Props = {};

  version(): string {
    return JDBC_CONNECTOR_VERSION;
  }

  config(): ConfigDef {
    return jdbcSinkConfigDef();
  }

  async validate(props: Props): Promise<Record<string, string[]>> {
    const def = jdbcSinkConfigDef();
    const parsed: Record<string, ConfigValueType> = {};
    for (const r of def.validate(props)) parsed[r.name] = r.value;
    const errors = sinkCrossKeyErrors(parsed);
    for (const [k, msgs] of Object.entries(await checkConnectivity(def, props))) errors[k] = [...(errors[k] ?? []), ...msgs];
    return errors;
  }

  start(props: Props): void {
    parseSinkSettings(props);
    this.props = props;
  }

  taskConfigs(maxTasks: number): Props[] {
    return Array.from({ length: Math.max(1, maxTasks) }, () => ({ ...this.props }));
  }

  createTask(): SinkTask {
    return new JdbcSinkTask();
  }

  stop(): void {}
}
