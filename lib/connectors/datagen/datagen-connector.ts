/**
 * The Datagen source connector (io.confluent.kafka.connect.datagen.DatagenConnector): generates
 * mock records from a built-in quickstart or a JSON Schema. Each task produces its own sequence.
 */
import type { ConfigDef, ConfigValueType } from '../../config/config-def.ts';
import type { Props, SourceConnector, SourceTask } from '../../plugins/plugin-types.ts';
import { datagenConfigDef, datagenCrossKeyErrors, parseDatagenSettings, TASK_ID_CONFIG } from './datagen-config.ts';
import { DatagenTask } from './datagen-task.ts';
import { DATAGEN_VERSION } from './datagen-version.ts';

export const DATAGEN_CLASS = 'io.confluent.kafka.connect.datagen.DatagenConnector';

export class DatagenConnector implements SourceConnector {
  readonly type = 'source';
  private props: Props = {};

  version(): string {
    return DATAGEN_VERSION;
  }

  config(): ConfigDef {
    return datagenConfigDef();
  }

  validate(props: Props): Record<string, string[]> {
    const parsed: Record<string, ConfigValueType> = {};
    for (const r of datagenConfigDef().validate(props)) parsed[r.name] = r.value;
    return datagenCrossKeyErrors(parsed);
  }

  start(props: Props): void {
    parseDatagenSettings(props);
    this.props = props;
  }

  taskConfigs(maxTasks: number): Props[] {
    return Array.from({ length: Math.max(1, maxTasks) }, (_, i) => ({ ...this.props, [TASK_ID_CONFIG]: String(i) }));
  }

  createTask(): SourceTask {
    return new DatagenTask();
  }

  stop(): void {}
}
