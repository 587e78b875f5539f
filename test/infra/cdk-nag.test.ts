/**
 * cdk-nag AwsSolutions: every configuration synthesizes with no unacknowledged finding.
 * cdk-nag v3 is a policy-validation plugin: findings are no longer annotations (v2), they
 * come back from the pack's report, and `app.synth()` fails on any of them.
 */
import { CfnParameter, Stack, Validations } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { describe, expect, it } from 'vitest';
import { appContextSchema, TributaryService, TributaryStack } from '../../infra/index.ts';
import { buildStack, newApp, STUB_SERVICE_PROPS } from './infra-fixture.ts';

/** Unacknowledged AwsSolutions findings, errors and warnings alike, as readable lines. */
function nagFindings(scope: IConstruct): string[] {
  const report = new AwsSolutionsChecks(undefined, { verbose: true }).validateScope(scope);
  return report.violations.map((v) => `${v.severity} ${v.ruleName} at ${v.violatingResources.map((r) => r.constructPath).join(', ')}`);
}

const MSK_CLUSTER = 'arn:aws:kafka:eu-west-1:123456789012:cluster/demo/abcd-1234-5678';

describe('cdk-nag AwsSolutions', { timeout: 60_000 }, () => {
  it.each([
    ['the default (demo VPC, PLAINTEXT)', {}],
    ['MSK IAM', { kafkaAuth: 'msk-iam', mskClusterArn: MSK_CLUSTER, mskTopics: 'orders.*,dlq-*' }],
    [
      'SASL/SCRAM with a customer key',
      {
        kafkaAuth: 'sasl-scram-512',
        kafkaSaslSecretArn: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:AmazonMSK_t-AbCdEf',
        kafkaSaslSecretKmsKeyArn: 'arn:aws:kms:eu-west-1:123456789012:key/1111',
      },
    ],
    ['TLS in an existing VPC', { kafkaAuth: 'tls', vpcId: 'vpc-0123456789abcdef0', subnetIds: 'subnet-0aaaaaaaaaaaaaaa1', securityGroupIds: 'sg-0123456789abcdef0' }],
    ['a customer key table, destroyable', { tableKmsKeyArn: 'arn:aws:kms:eu-west-1:123456789012:key/2222', removalPolicy: 'destroy' }],
    ['a WAF web ACL and no API Gateway account role', { webAclArn: 'arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/x/1', apiGatewayCloudWatchRole: 'false' }],
  ] as const)('has no unacknowledged findings with %s', (_name, settings) => {
    const { stack } = buildStack(settings);
    expect(nagFindings(stack)).toEqual([]);
    // and no annotation errors, nor AwsSolutions annotations (the v2 way of reporting)
    expect(Annotations.fromStack(stack).findError('*', Match.anyValue())).toEqual([]);
    expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('AwsSolutions-.*'))).toEqual([]);
  });

  it('passes the validation plugin as registered by infra/app.ts, so synth succeeds', () => {
    const { app } = buildStack();
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
    expect(() => app.synth()).not.toThrow();
  });

  it('reports an unacknowledged finding, and fails synth through the plugin (the check is live)', () => {
    const app = newApp();
    const stack = new TributaryStack(app, 'Tributary', { settings: appContextSchema.parse({ kafkaBootstrapServers: 'b-1:9092' }), service: STUB_SERVICE_PROPS });
    new ec2.SecurityGroup(stack, 'Open', { vpc: stack.service.vpc, description: 'test' }).addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(22));
    expect(nagFindings(stack)).toEqual([expect.stringMatching(/AwsSolutions-EC23/)]);
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    expect(() => app.synth()).toThrow(/0\.0\.0\.0\/0/);
  });

  it('is clean for the construct in a user stack with a concrete environment, own VPC and token ARNs', () => {
    const app = newApp();
    const stack = new Stack(app, 'UserApp', { env: { account: '123456789012', region: 'eu-west-1' } });
    const vpc = new ec2.Vpc(stack, 'Network', { maxAzs: 2, natGateways: 1, restrictDefaultSecurityGroup: false });
    Validations.of(vpc).acknowledge({ id: 'AwsSolutions-VPC7', reason: 'test VPC' });
    const cluster = new CfnParameter(stack, 'MskClusterArn', { type: 'String' });
    const secret = new secretsmanager.Secret(stack, 'Unused');
    Validations.of(secret).acknowledge({ id: 'AwsSolutions-SMG4', reason: 'test secret' });
    new TributaryService(stack, 'Connect', {
      ...STUB_SERVICE_PROPS,
      kafka: { bootstrapServers: 'b-1:9098', auth: { mode: 'msk-iam', clusterArn: cluster.valueAsString } },
      vpc,
    });
    expect(nagFindings(stack)).toEqual([]);
  });
});
