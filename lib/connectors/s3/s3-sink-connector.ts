/**
 * The S3 sink connector (io.confluent.connect.s3.S3SinkConnector): every task gets the same
 * config; the runtime spreads the topic partitions over them. Validation checks the keys,
 * then that the bucket exists in `s3.region` and the credentials may use it.
 */
import type { ConfigDef, ConfigValueType } from '../../config/config-def.ts';
import type { Props, SinkConnector, SinkTask } from '../../plugins/plugin-types.ts';
import { parseS3SinkSettings, s3CrossKeyErrors, s3SinkConfigDef } from './s3-sink-config.ts';
import { S3SinkTask } from './s3-sink-task.ts';
import { S3Storage } from './s3-storage.ts';
import { S3_CONNECTOR_VERSION } from './s3-version.ts';

export const S3_SINK_CLASS = 'io.confluent.connect.s3.S3SinkConnector';

export class S3SinkConnector implements SinkConnector {
  readonly type = 'sink';
  private props: Props = {};

  version(): string {
    return S3_CONNECTOR_VERSION;
  }

  config(): ConfigDef {
    return s3SinkConfigDef();
  }

  async validate(props: Props): Promise<Record<string, string[]>> {
    const results = s3SinkConfigDef().validate(props);
    const parsed: Record<string, ConfigValueType> = {};
    for (const r of results) parsed[r.name] = r.value;
    const errors = s3CrossKeyErrors(parsed);
    const keyErrors = results.some((r) => r.errors.length > 0 && ['s3.bucket.name', 's3.region', 'store.url', 's3.part.size', 'flush.size', 'format.class'].includes(r.name));
    if (Object.keys(errors).length > 0 || keyErrors) return errors;
    const settings = parseS3SinkSettings(props);
    const storage = await S3Storage.open({ ...settings, aws: { ...settings.aws, maxAttempts: 1 } });
    try {
      return await storage.check(settings.aws.region);
    } finally {
      storage.close();
    }
  }

  start(props: Props): void {
    parseS3SinkSettings(props);
    this.props = props;
  }

  taskConfigs(maxTasks: number): Props[] {
    return Array.from({ length: Math.max(1, maxTasks) }, () => ({ ...this.props }));
  }

  createTask(): SinkTask {
    return new S3SinkTask();
  }

  stop(): void {}
}
