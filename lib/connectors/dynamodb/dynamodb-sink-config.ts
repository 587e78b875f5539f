/**
 * Configuration of the DynamoDB sink: the keys of Confluent's DynamoDbSinkConnector
 * (io.confluent.connect.aws.dynamodb.DynamoDbSinkConnector), with the same names and
 * defaults, plus `delete.enabled` for tombstones.
 */
import { ConfigDef, ConfigError, Validators, type ConfigKeyInput, type ConfigValueType } from '../../config/config-def.ts';
import type { Props } from '../../plugins/plugin-types.ts';
import { regionError, type AwsClientSettings } from '../aws/aws-client-config.ts';

/** Where a key attribute comes from: `partition`, `offset`, `key[.path]` or `value.path`, and its attribute name. */
export interface KeyReference {
  readonly source: 'partition' | 'offset' | 'key' | 'value';
  readonly path: readonly string[];
  readonly attribute: string;
}

export interface DynamoSinkSettings {
  readonly aws: AwsClientSettings;
  readonly tableNameFormat: string;
  readonly hash: KeyReference;
  readonly sort: KeyReference | null;
  readonly batchSize: number;
  readonly maxRetryMs: number;
  readonly deleteEnabled: boolean;
}

function group(name: string, list: Omit<ConfigKeyInput, 'group' | 'orderInGroup'>[]): ConfigKeyInput[] {
  return list.map((k, i) => ({ width: 'MEDIUM', ...k, group: name, orderInGroup: i + 1 }));
}

const REFERENCE_DOC =
  'A record reference with an optional `:alias` naming the attribute (else the last part of the reference): `partition`, `offset`, `key` (the whole key), `key.<field path>` or `value.<field path>` (dotted paths reach into structs and maps).';

const KEYS: ConfigKeyInput[] = [
  ...group('DynamoDB', [
    { name: 'aws.dynamodb.region', type: 'STRING', defaultValue: '', importance: 'HIGH', documentation: 'The AWS region of the tables. Empty: `AWS_REGION`, else us-east-1.', displayName: 'Region' },
    { name: 'aws.dynamodb.endpoint', type: 'STRING', defaultValue: '', importance: 'LOW', documentation: 'An endpoint URL overriding the region\'s (a VPC endpoint, or DynamoDB Local).', displayName: 'Endpoint' },
    { name: 'table.name.format', type: 'STRING', defaultValue: '${topic}', importance: 'MEDIUM', documentation: 'The table each topic goes to; `${topic}` is replaced with the topic name.', displayName: 'Table name format' },
    { name: 'aws.dynamodb.pk.hash', type: 'STRING', defaultValue: 'partition', importance: 'HIGH', documentation: `The table's hash key. ${REFERENCE_DOC}`, displayName: 'Hash key' },
    { name: 'aws.dynamodb.pk.sort', type: 'STRING', defaultValue: 'offset', importance: 'HIGH', documentation: `The table's sort key; empty for a table without one. ${REFERENCE_DOC}`, displayName: 'Sort key' },
    { name: 'batch.size', type: 'INT', defaultValue: 4000, importance: 'MEDIUM', documentation: 'The most records written in one round of BatchWriteItem calls (25 items each).', validator: Validators.between(1, 100_000), validValues: '[1,...,100000]', displayName: 'Batch size' },
    { name: 'aws.dynamodb.max.retry.time.seconds', type: 'LONG', defaultValue: 5, importance: 'LOW', documentation: 'How long unprocessed items (throttling) are retried with backoff before the batch is handed back to the runtime to be delivered again.', validator: Validators.atLeast(0), validValues: '[0,...]', displayName: 'Max retry time (s)' },
    { name: 'delete.enabled', type: 'BOOLEAN', defaultValue: true, importance: 'MEDIUM', documentation: 'Whether a tombstone (null value) deletes the item with its key; otherwise tombstones are skipped.', displayName: 'Delete on tombstone' },
    { name: 'aws.access.key.id', type: 'STRING', defaultValue: '', importance: 'HIGH', documentation: 'An AWS access key ID. Empty (the default) uses the default AWS credentials chain.', displayName: 'AWS Access Key ID' },
    { name: 'aws.secret.access.key', type: 'PASSWORD', defaultValue: null, importance: 'HIGH', documentation: 'The secret key of `aws.access.key.id`. Never logged.', displayName: 'AWS Secret Access Key' },
  ]),
];

export function dynamoSinkConfigDef(): ConfigDef {
  const def = new ConfigDef();
  for (const k of KEYS) def.define(k);
  return def;
}

/** Parses a key reference; throws ConfigError naming `key` when it is not one. */
export function parseKeyReference(text: string, key: string): KeyReference {
  const [ref = '', alias] = text.trim().split(':');
  const parts = ref.split('.');
  const head = parts[0] as string;
  const path = parts.slice(1);
  if (!['partition', 'offset', 'key', 'value'].includes(head) || path.some((p) => p === '') || ((head === 'partition' || head === 'offset') && path.length > 0) || (head === 'value' && path.length === 0)) {
    throw new ConfigError(`Invalid value ${text} for configuration ${key}: expected partition, offset, key, key.<field> or value.<field>, optionally followed by :<attribute name>`, key);
  }
  if (alias !== undefined && !alias.trim()) throw new ConfigError(`Invalid value ${text} for configuration ${key}: empty attribute name after ':'`, key);
  return { source: head as KeyReference['source'], path, attribute: alias?.trim() || (path.at(-1) ?? head) };
}

export function dynamoCrossKeyErrors(p: Readonly<Record<string, ConfigValueType>>): Record<string, string[]> {
  const errors: Record<string, string[]> = {};
  const add = (k: string, m: string) => (errors[k] ??= []).push(m);
  const region = String(p['aws.dynamodb.region'] ?? '').trim();
  if (region) {
    const bad = regionError('aws.dynamodb.region', region);
    if (bad) add('aws.dynamodb.region', bad);
  }
  const endpoint = String(p['aws.dynamodb.endpoint'] ?? '').trim();
  if (endpoint && !/^https?:\/\/[^/]+/.test(endpoint)) add('aws.dynamodb.endpoint', `Invalid value ${endpoint} for configuration aws.dynamodb.endpoint: not an http(s) URL`);
  let hash: KeyReference | undefined;
  try {
    hash = parseKeyReference(String(p['aws.dynamodb.pk.hash'] ?? ''), 'aws.dynamodb.pk.hash');
  } catch (e) {
    add('aws.dynamodb.pk.hash', (e as Error).message);
  }
  const sortText = String(p['aws.dynamodb.pk.sort'] ?? '').trim();
  if (sortText) {
    try {
      const sort = parseKeyReference(sortText, 'aws.dynamodb.pk.sort');
      if (hash && sort.attribute === hash.attribute) add('aws.dynamodb.pk.sort', `The sort key's attribute ${sort.attribute} is the hash key's too; give one an alias (e.g. value.id:sk)`);
    } catch (e) {
      add('aws.dynamodb.pk.sort', (e as Error).message);
    }
  }
  if (!String(p['table.name.format'] ?? '').trim()) add('table.name.format', 'table.name.format must not be empty');
  return errors;
}

export function parseDynamoSinkSettings(props: Props, env: NodeJS.ProcessEnv = process.env): DynamoSinkSettings {
  const p = dynamoSinkConfigDef().parse(props);
  const first = Object.entries(dynamoCrossKeyErrors(p))[0];
  if (first) throw new ConfigError(first[1][0] ?? 'invalid', first[0]);
  const sortText = String(p['aws.dynamodb.pk.sort'] ?? '').trim();
  return {
    aws: {
      region: String(p['aws.dynamodb.region'] ?? '').trim() || env.AWS_REGION || env.AWS_DEFAULT_REGION || 'us-east-1',
      endpoint: String(p['aws.dynamodb.endpoint'] ?? ''),
      accessKeyId: String(p['aws.access.key.id'] ?? ''),
      secretAccessKey: String(p['aws.secret.access.key'] ?? ''),
    },
    tableNameFormat: String(p['table.name.format']),
    hash: parseKeyReference(String(p['aws.dynamodb.pk.hash']), 'aws.dynamodb.pk.hash'),
    sort: sortText ? parseKeyReference(sortText, 'aws.dynamodb.pk.sort') : null,
    batchSize: p['batch.size'] as number,
    maxRetryMs: (p['aws.dynamodb.max.retry.time.seconds'] as number) * 1000,
    deleteEnabled: p['delete.enabled'] as boolean,
  };
}

export const tableFor = (format: string, topic: string) => format.replaceAll('${topic}', topic);
