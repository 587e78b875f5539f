/** TributaryConnector: connectors as CDK code, applied by a custom resource through the API function. */
import { RemovalPolicy } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { appContextSchema, ConnectorSecret, TributaryConnector, TributaryStack } from '../../infra/index.ts';
import { logicalIdOf, newApp, resourcesOf, STUB_SERVICE_PROPS, TEST_BOOTSTRAP_SERVERS } from './infra-fixture.ts';

/** A stack not yet synthesized, so connectors can still be added. */
function unsynthesized(): TributaryStack {
  return new TributaryStack(newApp(), 'Tributary', { settings: appContextSchema.parse({ kafkaBootstrapServers: TEST_BOOTSTRAP_SERVERS }), service: STUB_SERVICE_PROPS });
}

function withConnectors() {
  const stack = unsynthesized();
  const service = stack.service;
  const secret = secretsmanager.Secret.fromSecretCompleteArn(stack, 'DbSecret', 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:orders-db-AbCdEf');
  const param = ssm.StringParameter.fromSecureStringParameterAttributes(stack, 'ApiKey', { parameterName: '/tributary/http/api-key' });
  new TributaryConnector(stack, 'Orders', {
    service,
    name: 'orders-sink',
    config: { 'connector.class': 'io.confluent.connect.jdbc.JdbcSinkConnector', topics: 'orders', 'connection.url': 'jdbc:postgresql://db:5432/app', 'connection.user': 'app' },
    secrets: { 'connection.password': ConnectorSecret.fromSecretsManager(secret, 'password') },
    state: 'PAUSED',
    initialOffsets: [{ partition: { kafka_topic: 'orders', kafka_partition: 0 }, offset: { kafka_offset: 42 } }],
  });
  new TributaryConnector(stack, 'Webhook', {
    service,
    name: 'webhook',
    config: { 'connector.class': 'io.confluent.connect.http.HttpSinkConnector', topics: 'events', 'http.api.url': 'https://example.com/hook' },
    secrets: { 'auth.bearer.token': ConnectorSecret.fromSsmParameter(param) },
    removalPolicy: RemovalPolicy.RETAIN,
  });
  return { stack, template: Template.fromStack(stack) };
}

describe('TributaryConnector', () => {
  it('declares each connector as a custom resource with its config, state and initial offsets; secrets only as placeholders', () => {
    const { template } = withConnectors();
    const connectors = resourcesOf(template, 'Custom::TributaryConnector');
    expect(connectors).toHaveLength(2);
    const orders = connectors.find(([, r]) => r.Properties.Name === 'orders-sink')?.[1];
    expect(orders?.Properties).toMatchObject({
      State: 'PAUSED',
      Config: { 'connector.class': 'io.confluent.connect.jdbc.JdbcSinkConnector', 'connection.password': '${secretsmanager:arn:aws:secretsmanager:eu-west-1:123456789012:secret:orders-db-AbCdEf:password}' },
      InitialOffsets: JSON.stringify([{ partition: { kafka_topic: 'orders', kafka_partition: 0 }, offset: { kafka_offset: 42 } }]),
    });
    expect(JSON.stringify(template.toJSON())).not.toMatch(/hunter2/);
    const webhook = connectors.find(([, r]) => r.Properties.Name === 'webhook')?.[1] as unknown as { DeletionPolicy?: string; Properties: Record<string, unknown> };
    expect(webhook.DeletionPolicy).toBe('Retain');
    expect(webhook.Properties.Config).toMatchObject({ 'auth.bearer.token': '${ssm:/tributary/http/api-key}' });
  });

  it('shares one provider whose function may invoke only the API function', () => {
    const { template, stack } = withConnectors();
    const fns = resourcesOf(template, 'AWS::Lambda::Function').filter(([, r]) => r.Properties.Environment?.Variables?.API_FUNCTION_NAME);
    expect(fns).toHaveLength(1);
    expect(fns[0]?.[1].Properties.Environment.Variables.API_FUNCTION_NAME).toEqual({ Ref: logicalIdOf(stack.service.apiFunction) });
    const invokes = resourcesOf(template, 'AWS::IAM::Policy').flatMap(([, p]) => p.Properties.PolicyDocument.Statement).filter((s: { Action: unknown }) => JSON.stringify(s.Action).includes('lambda:InvokeFunction'));
    expect(JSON.stringify(invokes)).toContain(logicalIdOf(stack.service.apiFunction));
  });

  it('grants read on each referenced secret to the API, the runners and the restarter', () => {
    const { template } = withConnectors();
    const statements = resourcesOf(template, 'AWS::IAM::Policy').map(([, p]) => ({ roles: JSON.stringify(p.Properties.Roles), text: JSON.stringify(p.Properties.PolicyDocument) }));
    const readers = statements.filter((s) => s.text.includes('orders-db-AbCdEf') && s.text.includes('secretsmanager:GetSecretValue'));
    expect(readers.map((r) => r.roles).join(' ')).toMatch(/ApiFunction/);
    expect(readers.map((r) => r.roles).join(' ')).toMatch(/Runner/);
    expect(readers.map((r) => r.roles).join(' ')).toMatch(/Restarter/);
    expect(statements.some((s) => s.text.includes('ssm:GetParameter') && s.text.includes('tributary/http/api-key'))).toBe(true);
  });

  it('refuses a secret given as a plain value, and a key given twice', () => {
    const stack = unsynthesized();
    expect(() => new TributaryConnector(stack, 'Bad', { service: stack.service, name: 'bad', config: { 'connector.class': 'X', 'connection.password': 'hunter2' } })).toThrow(/looks like a secret/);
    const secret = secretsmanager.Secret.fromSecretCompleteArn(stack, 'S', 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:x-AbCdEf');
    expect(() => new TributaryConnector(stack, 'Twice', { service: stack.service, name: 't', config: { 'connector.class': 'X', pw: 'a' }, secrets: { pw: ConnectorSecret.fromSecretsManager(secret, 'p') } })).toThrow(/both/);
  });

  it('leaves no unacknowledged cdk-nag finding', () => {
    const stack = unsynthesized();
    new TributaryConnector(stack, 'C', { service: stack.service, name: 'c', config: { 'connector.class': 'FileStreamSink', topics: 't', file: '/tmp/x' } });
    const report = new AwsSolutionsChecks(undefined, { verbose: true }).validateScope(stack);
    expect(report.violations.map((v) => `${v.ruleName} at ${v.violatingResources.map((r) => r.constructPath).join(', ')}`)).toEqual([]);
  });
});
