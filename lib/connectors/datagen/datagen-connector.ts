/**
 * The Datagen source connector (io.confluent.kafka.connect.datagen.DatagenConnector): generates
 * mock records from a built-in quickstart or a JSON Schema. Each task produces its own sequence.
 */
import type { ConfigDef, ConfigValueType } from '../../config/config-def.ts';
import type { Props, SourceConnector, SourceTask } from '../../plugins/plugin-types.ts';
import { datagenConfigDef, datagenCrossKeyErrors, parseDatagenSettings, TASK_ID_CONFIG } from './datagen-config.ts';
import { integerValue, InvalidOffsetError, onlyKeys, type OffsetChange } from '../offset-checks.ts';
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

  /**
   * Accepts offsets in the shape the task writes: partition `{"task.id"}`, offset
   * `{"task.generation", "random.seed", "current.iteration"}` of whole numbers.
   */
  alterOffsets(_config: Props, offsets: readonly OffsetChange[]): boolean {
    for (const { partition, offset } of offsets) {
      if (!('task.id' in partition)) throw new InvalidOffsetError(`Partition objects must contain the key 'task.id'`);
      onlyKeys('Partition', partition, ['task.id']);
      integerValue('partition', 'task.id', partition['task.id'], { min: 0 });
      if (offset === null) continue;
      onlyKeys('Offset', offset, ['task.generation', 'random.seed', 'current.iteration']);
      if (!('current.iteration' in offset)) throw new InvalidOffsetError(`Offset objects must contain the key 'current.iteration'`);
      integerValue('offset', 'current.iteration', offset['current.iteration'], { min: 0 });
      if ('task.generation' in offset) integerValue('offset', 'task.generation', offset['task.generation'], { min: 0 });
      if ('random.seed' in offset) integerValue('offset', 'random.seed', offset['random.seed']);
    }
    return false;
  }

  createTask(): SourceTask {
    return new DatagenTask();
  }

  stop(): void {}
}
