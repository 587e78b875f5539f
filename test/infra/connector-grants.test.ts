/**
 * IAM for the AWS connectors: from a connector config, the runner roles get exactly the S3
 * prefix, queue or tables it names, and the API only the read-only calls of validation.
 */
import type { IConstruct } from 'constructs';
import { Stack } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { connectorStatements, kmsKeyArnOf, queueArnOf } from '../../infra/constructs/connector-grants.ts';
import { Template } from 'aws-cdk-lib/assertions';
import { appContextSchema, TributaryConnector, TributaryStack } from '../../infra/index.ts';
import { buildStack, logicalIdOf, newApp, resourcesOf, STUB_SERVICE_PROPS, type BuiltStack } from './infra-fixture.ts';

interface Statement {
  Action: string | string[];
  Resource: unknown;
}

function statementsOf(built: BuiltStack, role: IConstruct): Statement[] {
  const id = logicalIdOf(role);
  return resourcesOf(built.template, 'AWS::IAM::Policy')
    .filter(([, p]) => (p.Properties.Roles as { Ref: string }[]).some((r) => r.Ref === id))
    .flatMap(([, p]) => p.Properties.PolicyDocument.Statement as Statement[]);
}

const actions = (sts: Statement[]) => sts.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]));
const resourcesFor = (sts: Statement[], action: string) => sts.filter((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]).includes(action)).flatMap((s) => (Array.isArray(s.Resource) ? s.Resource : [s.Resource]));
const text = (v: unknown) => JSON.stringify(v);

const S3 = { name: 'orders-s3', 'connector.class': 'io.confluent.connect.s3.S3SinkConnector', 's3.bucket.name': 'analytics-raw', 'topics.dir': 'kafka/' };
const SQS = { name: 'orders-sqs', 'connector.class': 'SqsSourceConnector', 'sqs.queue.url': 'https://sqs.eu-west-1.amazonaws.com/123456789012/orders.fifo' };
const DDB = { name: 'customers', 'connector.class': 'io.confluent.connect.aws.dynamodb.DynamoDbSinkConnector', topics: 'customers,accounts', 'table.name.format': 'prod_${topic}', 'aws.dynamodb.region': 'eu-west-1' };

describe('connector grants', () => {
  const built = buildStack({}, { ...STUB_SERVICE_PROPS, connectors: [S3, SQS, DDB] });
  const service = built.stack.service;
  const runner = statementsOf(built, service.runnerFunction.role as IConstruct);
  const fargate = statementsOf(built, service.runnerTaskDefinition.taskRole);
  const api = statementsOf(built, service.apiFunction.role as IConstruct);

  it('gives both runner roles S3 writes under topics.dir only, the queue, and the tables', () => {
    for (const sts of [runner, fargate]) {
      expect(text(resourcesFor(sts, 's3:PutObject'))).toContain(':s3:::analytics-raw/kafka/*');
      expect(text(resourcesFor(sts, 's3:ListBucket'))).toContain(':s3:::analytics-raw"');
      expect(resourcesFor(sts, 'sqs:DeleteMessage')).toEqual([{ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':sqs:eu-west-1:123456789012:orders.fifo']] }]);
      expect(actions(sts)).not.toContain('sqs:SendMessage');
      const tables = text(resourcesFor(sts, 'dynamodb:BatchWriteItem'));
      expect(tables).toContain(':dynamodb:eu-west-1:');
      expect(tables).toContain('table/prod_customers');
      expect(tables).toContain('table/prod_accounts');
      for (const a of ['s3:PutObject', 'sqs:ReceiveMessage', 'dynamodb:PutItem']) expect(resourcesFor(sts, a)).not.toContain('*');
    }
  });

  it('gives the API only the read-only calls of validation', () => {
    expect(actions(api)).toEqual(expect.arrayContaining(['s3:ListBucket', 'sqs:GetQueueAttributes', 'dynamodb:DescribeTable']));
    // The API also writes its own store table; on the connectors' resources it only reads.
    const onConnectorResources = api.filter((s) => /analytics-raw|orders\.fifo|prod_/.test(text(s.Resource)));
    expect(new Set(actions(onConnectorResources))).toEqual(new Set(['s3:ListBucket', 'sqs:GetQueueAttributes', 'dynamodb:DescribeTable']));
    for (const a of ['s3:PutObject', 'sqs:ReceiveMessage', 'sqs:DeleteMessage']) expect(actions(api)).not.toContain(a);
  });

  it('leaves no unacknowledged cdk-nag finding (the S3 prefix wildcard is acknowledged)', () => {
    const report = new AwsSolutionsChecks(undefined, { verbose: true }).validateScope(built.stack);
    expect(report.violations.map((v) => `${v.ruleName} at ${v.violatingResources.map((r) => r.constructPath).join(', ')}`)).toEqual([]);
  });

  it('grants nothing for connectors without AWS resources, and refuses configs whose resources it cannot tell', () => {
    const stack = new Stack();
    expect(connectorStatements(stack, { 'connector.class': 'FileStreamSink', topics: 't' })).toEqual({ runner: [], validate: [] });
    expect(() => connectorStatements(stack, { ...SQS, 'sqs.queue.url': 'http://127.0.0.1:9324/000000000000/q' })).toThrow(/Cannot tell the queue ARN/);
    expect(() => connectorStatements(stack, { ...DDB, 'topics.regex': 'c.*' })).toThrow(/topics.regex/);
    expect(() => connectorStatements(stack, { ...S3, 's3.bucket.name': '' })).toThrow(/s3.bucket.name is missing/);
    expect(queueArnOf('https://sqs.us-east-1.amazonaws.com/123456789012/q', 'aws')).toBe('arn:aws:sqs:us-east-1:123456789012:q');
  });

  it('SSE-KMS: the runner roles (not the API) may generate data keys with and decrypt under the key s3.sse.kms.key.id names', () => {
    const KEY = 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    const kms = buildStack({}, { ...STUB_SERVICE_PROPS, connectors: [{ ...S3, 's3.ssea.name': 'aws:kms', 's3.sse.kms.key.id': KEY }] });
    const svc = kms.stack.service;
    for (const role of [svc.runnerFunction.role as IConstruct, svc.runnerTaskDefinition.taskRole]) {
      const sts = statementsOf(kms, role);
      expect(resourcesFor(sts, 'kms:GenerateDataKey')).toEqual([KEY]);
      expect(resourcesFor(sts, 'kms:Decrypt')).toEqual([KEY]);
    }
    expect(actions(statementsOf(kms, svc.apiFunction.role as IConstruct))).not.toContain('kms:GenerateDataKey');
    // Without aws:kms, or with the AWS-managed key (no key id), no KMS statement at all.
    expect(actions(runner)).not.toContain('kms:GenerateDataKey');
    const stack = new Stack();
    expect(actions(connectorStatements(stack, { ...S3, 's3.ssea.name': 'aws:kms' }).runner.map((st) => st.toStatementJson() as Statement))).not.toContain('kms:GenerateDataKey');
    expect(actions(connectorStatements(stack, { ...S3, 's3.ssea.name': 'AES256', 's3.sse.kms.key.id': KEY }).runner.map((st) => st.toStatementJson() as Statement))).not.toContain('kms:Decrypt');
  });

  it('a bare key id becomes a key ARN in s3.region; an alias is refused', () => {
    const stack = new Stack();
    const arn = text(kmsKeyArnOf(stack, '1234abcd-12ab-34cd-56ef-1234567890ab', 'eu-central-1'));
    expect(arn).toContain(':kms:eu-central-1:');
    expect(arn).toContain(':key/1234abcd-12ab-34cd-56ef-1234567890ab');
    expect(() => connectorStatements(stack, { ...S3, 's3.ssea.name': 'aws:kms', 's3.sse.kms.key.id': 'alias/s3-data' })).toThrow(/aliases cannot be granted/);
    expect(() => kmsKeyArnOf(stack, 'arn:aws:kms:eu-west-1:123456789012:alias/s3-data', '')).toThrow(/not a KMS key ARN/);
  });

  it('a TributaryConnector of an AWS connector grants its resources on its own', () => {
    const app = newApp();
    const stack = new TributaryStack(app, 'Tributary', { settings: appContextSchema.parse({ kafkaBootstrapServers: 'b-1:9092' }), service: STUB_SERVICE_PROPS });
    new TributaryConnector(stack, 'Orders', { service: stack.service, name: 'orders-sqs', config: SQS });
    const own: BuiltStack = { app, stack, template: Template.fromStack(stack) };
    expect(actions(statementsOf(own, stack.service.runnerFunction.role as IConstruct))).toEqual(expect.arrayContaining(['sqs:ReceiveMessage', 'sqs:DeleteMessage']));
  });
});
