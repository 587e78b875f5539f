/**
 * The SQS source and sink connectors, under the class names of Nordstrom's kafka-connect-sqs.
 * The source runs one task per queue (more would only compete for the same messages); the
 * sink gives every task the same config. Validation checks the keys, then that the queue
 * exists and may be used.
 */
import type { ConfigDef, ConfigValueType } from '../../config/config-def.ts';
import type { Props, SinkConnector, SinkTask, SourceConnector, SourceTask } from '../../plugins/plugin-types.ts';
import { parseSqsSinkSettings, parseSqsSourceSettings, sqsCrossKeyErrors, sqsSinkConfigDef, sqsSourceConfigDef, type SqsSettings } from './sqs-config.ts';
import { checkQueue } from './sqs-queue.ts';
import { SqsSinkTask } from './sqs-sink-task.ts';
import { SqsSourceTask } from './sqs-source-task.ts';
import { SQS_CONNECTOR_VERSION } from './sqs-version.ts';

export const SQS_SOURCE_CLASS = 'com.nordstrom.kafka.connect.sqs.SqsSourceConnector';
export const SQS_SINK_CLASS = 'com.nordstrom.kafka.connect.sqs.SqsSinkConnector';

async function validateSqs(def: ConfigDef, props: Props, parse: (p: Props) => SqsSettings): Promise<Record<string, string[]>> {
  const results = def.validate(props);
  const parsed: Record<string, ConfigValueType> = {};
  for (const r of results) parsed[r.name] = r.value;
  const errors = sqsCrossKeyErrors(parsed);
  if (Object.keys(errors).length > 0 || results.some((r) => r.errors.length > 0)) return errors;
  return checkQueue(parse(props));
}

export class SqsSourceConnector implements SourceConnector {
  readonly type = 'source';
  private props: Props = {};

  version(): string {
    return SQS_CONNECTOR_VERSION;
  }

  config(): ConfigDef {
    return sqsSourceConfigDef();
  }

  validate(props: Props): Promise<Record<string, string[]>> {
    return validateSqs(sqsSourceConfigDef(), props, (p) => parseSqsSourceSettings(p));
  }

  start(props: Props): void {
    parseSqsSourceSettings(props);
    this.props = props;
  }

  taskConfigs(maxTasks: number): Props[] {
    // Several receivers on one queue only add duplicates on redelivery and break FIFO order.
    return maxTasks > 0 ? [{ ...this.props }] : [];
  }

  createTask(): SourceTask {
    return new SqsSourceTask();
  }

  /** Offsets are informational (the last message ID): the queue itself is the position. */
  alterOffsets(): boolean {
    return true;
  }

  stop(): void {}
}

export class SqsSinkConnector implements SinkConnector {
  readonly type = 'sink';
  private props: Props = {};

  version(): string {
    return SQS_CONNECTOR_VERSION;
  }

  config(): ConfigDef {
    return sqsSinkConfigDef();
  }

  validate(props: Props): Promise<Record<string, string[]>> {
    return validateSqs(sqsSinkConfigDef(), props, (p) => parseSqsSinkSettings(p));
  }

  start(props: Props): void {
    parseSqsSinkSettings(props);
    this.props = props;
  }

  taskConfigs(maxTasks: number): Props[] {
    return Array.from({ length: Math.max(1, maxTasks) }, () => ({ ...this.props }));
  }

  createTask(): SinkTask {
    return new SqsSinkTask();
  }

  stop(): void {}
}
