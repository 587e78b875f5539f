import { Duration, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as logs from 'aws-cdk-lib/aws-logs';
import { describe, expect, it } from 'vitest';
import { lifecycleEnvSchema, restarterEnvSchema, runnerEnvSchema } from '../../lib/config/function-env.ts';
import { toEnvironment, TributaryFunction, type FunctionEnvironment } from '../../infra/constructs/tributary-function.ts';
import { InfraConfigError } from '../../infra/errors.ts';
import { newApp, STUB_CODE } from './infra-fixture.ts';

const RUNNER_ENV: FunctionEnvironment<typeof runnerEnvSchema> = {
  TABLE_NAME: 'connectors',
  DYNAMODB_ENDPOINT: undefined,
  KAFKA_BOOTSTRAP_SERVERS: 'b-1:9092',
  KAFKA_AUTH: 'plaintext',
  KAFKA_SASL_SECRET_ARN: undefined,
  AWS_REGION: undefined,
  LOG_LEVEL: 'INFO',
  WORKER_ID: undefined,
};

describe('function environment', () => {
  it('is typed from the zod schema: a missing variable does not compile', () => {
    // @ts-expect-error STATE_MACHINE_ARN is required by the restarter's schema
    const missing: FunctionEnvironment<typeof restarterEnvSchema> = { TABLE_NAME: 't', DYNAMODB_ENDPOINT: undefined, LOG_LEVEL: 'INFO', STALE_AFTER_MS: undefined };
    // @ts-expect-error TABLE_NAME has no default, so it cannot be left undefined
    const unset: FunctionEnvironment<typeof lifecycleEnvSchema> = { TABLE_NAME: undefined };
    expect([missing, unset]).toHaveLength(2);
  });

  it('drops unset optional variables', () => {
    expect(toEnvironment(runnerEnvSchema, RUNNER_ENV, 'lambda')).toEqual({
      TABLE_NAME: 'connectors',
      KAFKA_BOOTSTRAP_SERVERS: 'b-1:9092',
      KAFKA_AUTH: 'plaintext',
      LOG_LEVEL: 'INFO',
    });
  });

  it('refuses variables Lambda reserves, but lets a container set its region', () => {
    const withRegion = { ...RUNNER_ENV, AWS_REGION: 'eu-west-1' };
    expect(() => toEnvironment(runnerEnvSchema, withRegion, 'lambda')).toThrow(/AWS_REGION is set by Lambda/);
    expect(toEnvironment(runnerEnvSchema, withRegion, 'container')).toMatchObject({ AWS_REGION: 'eu-west-1' });
  });

  it('checks literal values against the schema at synth time, and leaves tokens alone', () => {
    expect(() => toEnvironment(runnerEnvSchema, { ...RUNNER_ENV, KAFKA_AUTH: 'kerberos' }, 'lambda')).toThrow(InfraConfigError);
    expect(() => toEnvironment(runnerEnvSchema, { ...RUNNER_ENV, DYNAMODB_ENDPOINT: 'not a url' }, 'lambda')).toThrow(/DYNAMODB_ENDPOINT/);
    const token = Token.asString({ Ref: 'Somewhere' });
    expect(() => toEnvironment(runnerEnvSchema, { ...RUNNER_ENV, DYNAMODB_ENDPOINT: token }, 'lambda')).not.toThrow();
  });
});

describe('TributaryFunction', { timeout: 60_000 }, () => {
  it('sets runtime, architecture, JSON logs, tracing, its log group and its own role', () => {
    const stack = new Stack(newApp(), 'Fn');
    new TributaryFunction(stack, 'Runner', {
      entry: 'functions/runner-handler.ts',
      envSchema: runnerEnvSchema,
      environment: RUNNER_ENV,
      description: 'test',
      timeout: Duration.minutes(1),
      memorySize: 512,
      logLevel: 'DEBUG',
      logRetention: logs.RetentionDays.ONE_WEEK,
      logRemovalPolicy: RemovalPolicy.DESTROY,
      code: STUB_CODE,
    });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      TracingConfig: { Mode: 'Active' },
      LoggingConfig: { LogFormat: 'JSON', ApplicationLogLevel: 'DEBUG', SystemLogLevel: 'WARN' },
      MemorySize: 512,
      Timeout: 60,
    });
    template.hasResource('AWS::Logs::LogGroup', { Properties: { RetentionInDays: 7 }, DeletionPolicy: 'Delete' });
    // its own role: no AWS managed policies
    template.hasResourceProperties('AWS::IAM::Role', { ManagedPolicyArns: Match.absent() });
  });
});
