/**
 * IAM for the AWS connectors, derived from a connector's config: what its runners need (S3
 * writes under `<topics.dir>/`, SQS receive/delete or send on one queue, DynamoDB item writes
 * on its tables) and the read-only calls the API makes when it validates the config
 * (HeadBucket, GetQueueAttributes, DescribeTable), and with SSE-KMS (`s3.ssea.name=aws:kms`,
 * `s3.sse.kms.key.id`) the data-key calls on that key. Nothing broader: no wildcards beyond the
 * bucket prefix. A config whose resources cannot be told from it (a custom endpoint's queue
 * URL, `topics.regex` with DynamoDB) is an error: pass your own role statements instead.
 */
import { Arn, Aws, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { IConstruct } from 'constructs';
import { InfraConfigError } from '../errors.ts';

export interface ConnectorStatements {
  /** For the runner Lambda's and the Fargate task's roles. */
  readonly runner: iam.PolicyStatement[];
  /** For the API function, which validates configs. */
  readonly validate: iam.PolicyStatement[];
}

const S3_SINK = ['io.confluent.connect.s3.S3SinkConnector', 'S3SinkConnector', 'S3Sink'];
const SQS_SOURCE = ['com.nordstrom.kafka.connect.sqs.SqsSourceConnector', 'SqsSourceConnector', 'SqsSource'];
const SQS_SINK = ['com.nordstrom.kafka.connect.sqs.SqsSinkConnector', 'SqsSinkConnector', 'SqsSink'];
const DYNAMODB_SINK = ['io.confluent.connect.aws.dynamodb.DynamoDbSinkConnector', 'DynamoDbSinkConnector', 'DynamoDbSink'];

/** The queue ARN of an AWS queue URL (`https://sqs.<region>.amazonaws.com/<account>/<name>`). */
export function queueArnOf(url: string, partition: string = Aws.PARTITION): string {
  const m = /^https:\/\/(?:sqs\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?|([a-z0-9-]+)\.queue\.amazonaws\.com)\/(\d{12})\/([A-Za-z0-9_-]+(?:\.fifo)?)\/?$/.exec(url.trim());
  if (!m) throw new InfraConfigError(`Cannot tell the queue ARN from sqs.queue.url ${url}: expected https://sqs.<region>.amazonaws.com/<account>/<queue>`);
  return `arn:${partition}:sqs:${m[1] ?? m[2]}:${m[3]}:${m[4]}`;
}

/** The ARN of `s3.sse.kms.key.id`: an ARN as given, a key id in the bucket's region and the stack's account. */
export function kmsKeyArnOf(scope: IConstruct, keyId: string, region: string): string {
  const id = keyId.trim();
  if (id.startsWith('arn:')) {
    if (!/^arn:[a-z-]+:kms:[a-z0-9-]+:\d{12}:key\/[A-Za-z0-9-]+$/.test(id)) throw new InfraConfigError(`s3.sse.kms.key.id ${id} is not a KMS key ARN (arn:<partition>:kms:<region>:<account>:key/<id>); aliases cannot be granted, name the key`);
    return id;
  }
  if (!/^(mrk-)?[A-Za-z0-9-]{8,}$/.test(id)) throw new InfraConfigError(`s3.sse.kms.key.id ${id} is not a KMS key id or ARN; aliases cannot be granted, name the key`);
  const stack = Stack.of(scope);
  return Arn.format({ service: 'kms', region: region || stack.region, account: stack.account, resource: 'key', resourceName: id }, stack);
}

/** The statements a connector config needs, or none for a connector that uses no AWS service. */
export function connectorStatements(scope: IConstruct, config: Readonly<Record<string, string>>): ConnectorStatements {
  const cls = (config['connector.class'] ?? '').trim();
  const name = config.name ?? cls;
  if (S3_SINK.includes(cls)) {
    const bucket = (config['s3.bucket.name'] ?? '').trim();
    if (!bucket) throw new InfraConfigError(`Connector ${name}: s3.bucket.name is missing`);
    const dir = (config['topics.dir'] ?? 'topics').replace(/^\/+|\/+$/g, '');
    const bucketArn = `arn:${Aws.PARTITION}:s3:::${bucket}`;
    const objects = `${bucketArn}/${dir ? `${dir}/` : ''}*`;
    const list = new iam.PolicyStatement({ actions: ['s3:ListBucket'], resources: [bucketArn] });
    const keyId = (config['s3.sse.kms.key.id'] ?? '').trim();
    // SSE-KMS: PutObject asks KMS for a data key; completing a multipart upload decrypts it.
    const kms =
      config['s3.ssea.name']?.trim() === 'aws:kms' && keyId
        ? [new iam.PolicyStatement({ actions: ['kms:GenerateDataKey', 'kms:Decrypt'], resources: [kmsKeyArnOf(scope, keyId, (config['s3.region'] ?? '').trim())] })]
        : [];
    return {
      runner: [list, new iam.PolicyStatement({ actions: ['s3:PutObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'], resources: [objects] }), ...kms],
      validate: [new iam.PolicyStatement({ actions: ['s3:ListBucket'], resources: [bucketArn] })],
    };
  }
  if (SQS_SOURCE.includes(cls) || SQS_SINK.includes(cls)) {
    const arn = queueArnOf(config['sqs.queue.url'] ?? '');
    const actions = SQS_SOURCE.includes(cls) ? ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes'] : ['sqs:SendMessage', 'sqs:GetQueueAttributes'];
    return { runner: [new iam.PolicyStatement({ actions, resources: [arn] })], validate: [new iam.PolicyStatement({ actions: ['sqs:GetQueueAttributes'], resources: [arn] })] };
  }
  if (DYNAMODB_SINK.includes(cls)) {
    if (config['topics.regex']) throw new InfraConfigError(`Connector ${name}: with topics.regex the tables cannot be told from the config; grant them yourself`);
    const topics = (config.topics ?? '').split(',').map((t) => t.trim()).filter(Boolean);
    if (topics.length === 0) throw new InfraConfigError(`Connector ${name}: topics is missing`);
    const stack = Stack.of(scope);
    const region = (config['aws.dynamodb.region'] ?? '').trim() || stack.region;
    const format = config['table.name.format'] ?? '${topic}';
    const tables = [...new Set(topics.map((t) => format.replaceAll('${topic}', t)))].map((table) =>
      Arn.format({ service: 'dynamodb', region, account: stack.account, resource: 'table', resourceName: table }, stack),
    );
    return {
      runner: [new iam.PolicyStatement({ actions: ['dynamodb:PutItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem', 'dynamodb:DescribeTable'], resources: tables })],
      validate: [new iam.PolicyStatement({ actions: ['dynamodb:DescribeTable'], resources: tables })],
    };
  }
  return { runner: [], validate: [] };
}
