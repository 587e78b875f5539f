import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readAppContext } from '../../infra/app-context.ts';
import { REPO_ROOT } from '../../infra/constructs/tributary-function.ts';
import { InfraConfigError } from '../../infra/errors.ts';

/** Reads settings from a context map, the way infra/app.ts reads the App's context. */
function read(context: Record<string, unknown>) {
  return readAppContext({ tryGetContext: (key) => context[key] }, Object.keys(context));
}

describe('readAppContext', () => {
  it('works with no context at all, so `cdk synth` needs no setup', () => {
    expect(read({})).toEqual({
      stackName: 'Tributary',
      kafkaAuth: 'plaintext',
      removalPolicy: 'retain',
      logLevel: 'INFO',
      apiGatewayCloudWatchRole: true,
    });
  });

  it('accepts the context committed in cdk.json', () => {
    const cdkJson = JSON.parse(readFileSync(path.join(REPO_ROOT, 'cdk.json'), 'utf8')) as { context: Record<string, unknown> };
    expect(() => read(cdkJson.context)).not.toThrow();
  });

  it('parses -c strings: lists, booleans and numbers', () => {
    const s = read({
      'tributary:kafkaBootstrapServers': 'b-1:9094,b-2:9094',
      'tributary:kafkaAuth': 'tls',
      'tributary:vpcId': 'vpc-0123456789abcdef0',
      'tributary:subnetIds': 'subnet-0aaaaaaaaaaaaaaa1, subnet-0bbbbbbbbbbbbbbb2',
      'tributary:securityGroupIds': 'sg-0123456789abcdef0',
      'tributary:deletionProtection': 'false',
      'tributary:runnerMemoryMb': '2048',
      'tributary:apiGatewayCloudWatchRole': 'false',
    });
    expect(s).toMatchObject({
      kafkaBootstrapServers: 'b-1:9094,b-2:9094',
      kafkaAuth: 'tls',
      subnetIds: ['subnet-0aaaaaaaaaaaaaaa1', 'subnet-0bbbbbbbbbbbbbbb2'],
      securityGroupIds: ['sg-0123456789abcdef0'],
      deletionProtection: false,
      runnerMemoryMb: 2048,
      apiGatewayCloudWatchRole: false,
    });
  });

  it('accepts JSON arrays and booleans from cdk.json', () => {
    const s = read({ 'tributary:vpcId': 'vpc-0123456789abcdef0', 'tributary:subnetIds': ['subnet-0aaaaaaaaaaaaaaa1'], 'tributary:deletionProtection': true });
    expect(s).toMatchObject({ subnetIds: ['subnet-0aaaaaaaaaaaaaaa1'], deletionProtection: true });
  });

  it('ignores context keys of other tools but rejects a misspelled tributary: key', () => {
    expect(() => read({ '@aws-cdk/core:newStyleStackSynthesis': true, 'aws:cdk:bundling-stacks': [] })).not.toThrow();
    expect(() => read({ 'tributary:kafkaBootstrap': 'b:9092' })).toThrow(/unknown key\(s\) tributary:kafkaBootstrap/);
  });

  it.each([
    [{ 'tributary:kafkaAuth': 'sasl-scram-512' }, /kafkaSaslSecretArn: is required/],
    [{ 'tributary:kafkaAuth': 'msk-iam' }, /mskClusterArn: is required/],
    [{ 'tributary:kafkaSaslSecretArn': 'arn:aws:secretsmanager:eu-west-1:1:secret:x-AbCdEf' }, /only used with kafkaAuth sasl/],
    [{ 'tributary:kafkaAuth': 'msk-iam', 'tributary:mskClusterArn': 'arn:aws:s3:::bucket' }, /must be an kafka ARN/],
    [{ 'tributary:kafkaAuth': 'kerberos' }, /kafkaAuth/],
    [{ 'tributary:vpcId': 'vpc-0123456789abcdef0' }, /subnetIds: is required with vpcId/],
    [{ 'tributary:subnetIds': 'subnet-0aaaaaaaaaaaaaaa1' }, /vpcId: is required with subnetIds/],
    [{ 'tributary:subnetIds': 'sg-1' }, /subnetIds/],
    [
      { 'tributary:vpcId': 'vpc-0123456789abcdef0', 'tributary:subnetIds': 'subnet-0aaaaaaaaaaaaaaa1', 'tributary:availabilityZones': 'a,b' },
      /one zone per subnet/,
    ],
    [{ 'tributary:removalPolicy': 'forever' }, /removalPolicy/],
    [{ 'tributary:runnerMemoryMb': '64' }, /runnerMemoryMb/],
  ])('rejects %o', (context, message) => {
    expect(() => read(context)).toThrow(InfraConfigError);
    expect(() => read(context)).toThrow(message);
  });
});
