/**
 * The DynamoDB sink connector, under the class name of Confluent's
 * io.confluent.connect.aws.dynamodb.DynamoDbSinkConnector. Validation checks the keys, then
 * that each topic's table exists with the hash and sort key attributes the config names.
 */
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { ConfigDef, ConfigValueType } from '../../config/config-def.ts';
import type { Props, SinkConnector, SinkTask } from '../../plugins/plugin-types.ts';
import { awsClientOptions } from '../aws/aws-client-config.ts';
import { AwsAccessDeniedError, AwsResourceNotFoundError, classifyAwsError } from '../aws/aws-errors.ts';
import { dynamoCrossKeyErrors, dynamoSinkConfigDef, parseDynamoSinkSettings, tableFor } from './dynamodb-sink-config.ts';
import { DYNAMODB_CONNECTOR_VERSION, DynamoDbSinkTask } from './dynamodb-sink-task.ts';

export const DYNAMODB_SINK_CLASS = 'io.confluent.connect.aws.dynamodb.DynamoDbSinkConnector';

export class DynamoDbSinkConnector implements SinkConnector {
  readonly type = 'sink';
  private props: Props = {};

  version(): string {
    return DYNAMODB_CONNECTOR_VERSION;
  }

  config(): ConfigDef {
    return dynamoSinkConfigDef();
  }

  async validate(props: Props): Promise<Record<string, string[]>> {
    const results = dynamoSinkConfigDef().validate(props);
    const parsed: Record<string, ConfigValueType> = {};
    for (const r of results) parsed[r.name] = r.value;
    const errors = dynamoCrossKeyErrors(parsed);
    if (Object.keys(errors).length > 0 || results.some((r) => r.errors.length > 0)) return errors;
    const s = parseDynamoSinkSettings(props);
    const topics = (props.topics ?? '').split(',').map((t) => t.trim()).filter(Boolean);
    const client = new DynamoDBClient(awsClientOptions({ ...s.aws, maxAttempts: 1 }));
    const add = (k: string, m: string) => (errors[k] ??= []).push(m);
    try {
      for (const table of new Set(topics.map((t) => tableFor(s.tableNameFormat, t)))) {
        try {
          const d = await client.send(new DescribeTableCommand({ TableName: table }));
          const keys = d.Table?.KeySchema ?? [];
          const hash = keys.find((k) => k.KeyType === 'HASH')?.AttributeName;
          const range = keys.find((k) => k.KeyType === 'RANGE')?.AttributeName;
          if (hash !== s.hash.attribute) add('aws.dynamodb.pk.hash', `Table ${table} has hash key ${hash}, not ${s.hash.attribute}`);
          if ((range ?? null) !== (s.sort?.attribute ?? null)) {
            add('aws.dynamodb.pk.sort', range ? `Table ${table} has sort key ${range}, not ${s.sort?.attribute ?? '(none)'}` : `Table ${table} has no sort key; set aws.dynamodb.pk.sort to empty`);
          }
        } catch (e) {
          const mapped = classifyAwsError(e, `table ${table}`);
          if (mapped instanceof AwsResourceNotFoundError) add('table.name.format', `Table ${table} does not exist`);
          else if (mapped instanceof AwsAccessDeniedError) add('table.name.format', mapped.message);
          else add(s.aws.endpoint ? 'aws.dynamodb.endpoint' : 'aws.dynamodb.region', `Could not reach DynamoDB: ${mapped.message}`);
        }
      }
    } finally {
      client.destroy();
    }
    return errors;
  }

  start(props: Props): void {
    parseDynamoSinkSettings(props);
    this.props = props;
  }

  taskConfigs(maxTasks: number): Props[] {
    return Array.from({ length: Math.max(1, maxTasks) }, () => ({ ...this.props }));
  }

  createTask(): SinkTask {
    return new DynamoDbSinkTask();
  }

  stop(): void {}
}
