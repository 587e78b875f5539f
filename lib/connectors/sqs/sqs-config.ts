/**
 * Configuration of the SQS source and sink: the keys of Nordstrom's kafka-connect-sqs
 * (com.nordstrom.kafka.connect.sqs.SqsSourceConnector / SqsSinkConnector), with the same
 * names and defaults, parsed into typed settings.
 */
import { ConfigDef, ConfigError, Validators, type ConfigKeyInput, type ConfigValueType } from '../../config/config-def.ts';
import type { Props } from '../../plugins/plugin-types.ts';
import { regionError, type AwsClientSettings } from '../aws/aws-client-config.ts';

export const USER_CREDENTIALS_PROVIDER = 'com.nordstrom.kafka.connect.auth.AWSUserCredentialsProvider';
const DEFAULT_CHAIN = 'com.amazonaws.auth.DefaultAWSCredentialsProviderChain';

export interface SqsSettings {
  readonly aws: AwsClientSettings;
  readonly queueUrl: string;
  readonly fifo: boolean;
  readonly attributesEnabled: boolean;
  /** Empty: all attributes (source) or headers (sink). */
  readonly attributesInclude: readonly string[];
}

export interface SqsSourceSettings extends SqsSettings {
  readonly topic: string;
  readonly maxMessages: number;
  readonly waitTimeSeconds: number;
  readonly partitionKeyAttribute: string;
}

function group(name: string, list: Omit<ConfigKeyInput, 'group' | 'orderInGroup'>[]): ConfigKeyInput[] {
  return list.map((k, i) => ({ width: 'MEDIUM', ...k, group: name, orderInGroup: i + 1 }));
}

function commonKeys(side: 'source' | 'sink'): ConfigKeyInput[] {
  const from = side === 'source' ? 'read from' : 'written to';
  return group('SQS', [
    { name: 'sqs.queue.url', type: 'STRING', importance: 'HIGH', documentation: `The URL of the SQS queue to be ${from}, e.g. \`https://sqs.us-east-1.amazonaws.com/123456789012/my-queue\`. A URL ending in \`.fifo\` is a FIFO queue.`, validator: Validators.nonEmptyString(), displayName: 'Queue URL' },
    { name: 'sqs.region', type: 'STRING', defaultValue: '', importance: 'MEDIUM', documentation: `The AWS region of the queue. Empty: the region in the queue URL, else \`AWS_REGION\`, else us-east-1.`, displayName: 'Region' },
    { name: 'sqs.endpoint.url', type: 'STRING', defaultValue: '', importance: 'LOW', documentation: 'An endpoint URL overriding the region\'s (a VPC endpoint, or an SQS-compatible server).', displayName: 'Endpoint URL' },
    {
      name: 'sqs.message.attributes.enabled',
      type: 'BOOLEAN',
      defaultValue: false,
      importance: 'LOW',
      documentation: side === 'source' ? 'Whether SQS message attributes become Kafka headers (String and Number attributes, as strings).' : 'Whether Kafka headers become SQS message attributes (as String attributes).',
      displayName: 'Message attributes',
    },
    { name: 'sqs.message.attributes.include.list', type: 'LIST', defaultValue: [], importance: 'LOW', documentation: `The ${side === 'source' ? 'attribute' : 'header'} names to include; empty includes all.`, displayName: 'Attributes to include' },
    { name: 'sqs.credentials.provider.class', type: 'CLASS', defaultValue: DEFAULT_CHAIN, importance: 'LOW', documentation: `The credentials provider: the default AWS chain, or \`${USER_CREDENTIALS_PROVIDER}\` with the two keys below.`, validator: Validators.in(DEFAULT_CHAIN, USER_CREDENTIALS_PROVIDER), validValues: `[${DEFAULT_CHAIN}, ${USER_CREDENTIALS_PROVIDER}]`, displayName: 'Credentials provider' },
    { name: 'sqs.credentials.provider.accessKeyId', type: 'STRING', defaultValue: '', importance: 'LOW', documentation: 'AWSUserCredentialsProvider: the access key ID.', displayName: 'Access key ID' },
    { name: 'sqs.credentials.provider.secretKey', type: 'PASSWORD', defaultValue: null, importance: 'LOW', documentation: 'AWSUserCredentialsProvider: the secret key. Never logged.', displayName: 'Secret key' },
  ]);
}

const SOURCE_KEYS: ConfigKeyInput[] = [
  ...group('Kafka', [{ name: 'topics', type: 'STRING', importance: 'HIGH', documentation: 'The Kafka topic to be written to.', validator: Validators.nonEmptyString(), displayName: 'Topic' }]),
  ...commonKeys('source'),
  ...group('Receive', [
    { name: 'sqs.max.messages', type: 'INT', defaultValue: 1, importance: 'MEDIUM', documentation: 'The maximum number of messages one ReceiveMessage call returns (SQS allows at most 10).', validator: Validators.between(0, 10), validValues: '[0,...,10]', displayName: 'Max messages' },
    { name: 'sqs.wait.time.seconds', type: 'INT', defaultValue: 1, importance: 'MEDIUM', documentation: 'How long one ReceiveMessage call waits for a message to arrive (long polling).', validator: Validators.between(0, 20), validValues: '[0,...,20]', displayName: 'Wait time (s)' },
    { name: 'sqs.message.attributes.partition.key', type: 'STRING', defaultValue: '', importance: 'LOW', documentation: 'A message attribute whose value becomes the record key. Empty: the MessageGroupId on a FIFO queue, else the message ID.', displayName: 'Partition key attribute' },
  ]),
];

export function sqsSourceConfigDef(): ConfigDef {
  const def = new ConfigDef();
  for (const k of SOURCE_KEYS) def.define(k);
  return def;
}

export function sqsSinkConfigDef(): ConfigDef {
  const def = new ConfigDef();
  for (const k of commonKeys('sink')) def.define(k);
  return def;
}

/** The region named in an AWS queue URL (`https://sqs.<region>.amazonaws.com/...`), if any. */
export function regionOfQueueUrl(url: string): string | undefined {
  return /^https?:\/\/(?:sqs\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?|([a-z0-9-]+)\.queue\.amazonaws\.com)\//.exec(url)?.slice(1).find(Boolean);
}

/** Cross-key checks: URL shape, region, credentials; messages per key. */
export function sqsCrossKeyErrors(p: Readonly<Record<string, ConfigValueType>>): Record<string, string[]> {
  const errors: Record<string, string[]> = {};
  const add = (k: string, m: string) => (errors[k] ??= []).push(m);
  const url = String(p['sqs.queue.url'] ?? '').trim();
  if (url && !/^https?:\/\/[^/]+\/.+/.test(url)) add('sqs.queue.url', `Invalid value ${url} for configuration sqs.queue.url: not a queue URL (https://sqs.<region>.amazonaws.com/<account>/<queue>)`);
  const region = String(p['sqs.region'] ?? '').trim();
  if (region) {
    const bad = regionError('sqs.region', region);
    if (bad) add('sqs.region', bad);
    const inUrl = regionOfQueueUrl(url);
    if (!bad && inUrl && inUrl !== region) add('sqs.region', `The queue ${url} is in region ${inUrl}, not ${region}`);
  }
  const endpoint = String(p['sqs.endpoint.url'] ?? '').trim();
  if (endpoint && !/^https?:\/\/[^/]+/.test(endpoint)) add('sqs.endpoint.url', `Invalid value ${endpoint} for configuration sqs.endpoint.url: not an http(s) URL`);
  if (p['sqs.credentials.provider.class'] === USER_CREDENTIALS_PROVIDER && (!p['sqs.credentials.provider.accessKeyId'] || !p['sqs.credentials.provider.secretKey'])) {
    add('sqs.credentials.provider.accessKeyId', 'AWSUserCredentialsProvider needs sqs.credentials.provider.accessKeyId and sqs.credentials.provider.secretKey');
  }
  return errors;
}

function common(p: Record<string, ConfigValueType>, env: NodeJS.ProcessEnv): SqsSettings {
  const url = String(p['sqs.queue.url']).trim();
  const region = String(p['sqs.region'] ?? '').trim() || regionOfQueueUrl(url) || env.AWS_REGION || env.AWS_DEFAULT_REGION || 'us-east-1';
  const user = p['sqs.credentials.provider.class'] === USER_CREDENTIALS_PROVIDER;
  return {
    aws: {
      region,
      endpoint: String(p['sqs.endpoint.url'] ?? ''),
      accessKeyId: user ? String(p['sqs.credentials.provider.accessKeyId'] ?? '') : '',
      secretAccessKey: user ? String(p['sqs.credentials.provider.secretKey'] ?? '') : '',
    },
    queueUrl: url,
    fifo: /\.fifo$/.test(url),
    attributesEnabled: p['sqs.message.attributes.enabled'] as boolean,
    attributesInclude: (p['sqs.message.attributes.include.list'] as string[] | null) ?? [],
  };
}

function checked(def: ConfigDef, props: Props): Record<string, ConfigValueType> {
  const p = def.parse(props);
  const first = Object.entries(sqsCrossKeyErrors(p))[0];
  if (first) throw new ConfigError(first[1][0] ?? 'invalid', first[0]);
  return p;
}

export function parseSqsSourceSettings(props: Props, env: NodeJS.ProcessEnv = process.env): SqsSourceSettings {
  const p = checked(sqsSourceConfigDef(), props);
  return {
    ...common(p, env),
    topic: String(p['topics']).trim(),
    maxMessages: Math.max(1, p['sqs.max.messages'] as number),
    waitTimeSeconds: p['sqs.wait.time.seconds'] as number,
    partitionKeyAttribute: String(p['sqs.message.attributes.partition.key'] ?? ''),
  };
}

export function parseSqsSinkSettings(props: Props, env: NodeJS.ProcessEnv = process.env): SqsSettings {
  return common(checked(sqsSinkConfigDef(), props), env);
}
