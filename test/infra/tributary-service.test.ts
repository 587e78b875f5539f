import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { describe, expect, it } from 'vitest';
import { InfraConfigError, METRICS_NAMESPACE, TributaryService, type TributaryServiceProps } from '../../infra/index.ts';
import { REPO_ROOT } from '../../infra/constructs/tributary-function.ts';
import { buildStack, logicalIdOf, newApp, resourcesOf, STUB_CODE, STUB_SERVICE_PROPS } from './infra-fixture.ts';
import { RUNNER_NODE_FLAGS } from '../../lib/runtime/runner-node-flags.ts';

const KAFKA = { bootstrapServers: 'b-1.msk.internal:9094', auth: { mode: 'tls' } } as const;

/** A user's own stack, VPC and security group, as in docs/deploy.md. */
function userStack(props: Partial<TributaryServiceProps> = {}, extend?: (stack: Stack, service: TributaryService) => void) {
  const app = newApp();
  const stack = new Stack(app, 'MyPlatform');
  const vpc = new ec2.Vpc(stack, 'SharedVpc', {
    maxAzs: 3,
    natGateways: 1,
    restrictDefaultSecurityGroup: false,
    subnetConfiguration: [
      { name: 'ingress', subnetType: ec2.SubnetType.PUBLIC },
      { name: 'apps', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      { name: 'kafka', subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
    ],
  });
  const kafkaClients = new ec2.SecurityGroup(stack, 'KafkaClients', { vpc, description: 'may reach the MSK brokers' });
  const service = new TributaryService(stack, 'Connect', {
    ...STUB_SERVICE_PROPS,
    kafka: KAFKA,
    vpc,
    vpcSubnets: { subnetGroupName: 'apps' },
    securityGroups: [kafkaClients],
    ...props,
  });
  extend?.(stack, service);
  return { app, stack, vpc, kafkaClients, service, template: Template.fromStack(stack) };
}

describe('TributaryService in a user stack', { timeout: 60_000 }, () => {
  it('uses the given VPC, subnets and security groups and creates no network of its own', () => {
    const { template, stack, vpc, kafkaClients, service } = userStack();
    template.resourceCountIs('AWS::EC2::VPC', 1);
    template.resourceCountIs('AWS::EC2::SecurityGroup', 1);
    const appSubnets = vpc.selectSubnets({ subnetGroupName: 'apps' }).subnets.map((s) => ({ Ref: logicalIdOf(s) }));
    const sg = { 'Fn::GetAtt': [logicalIdOf(kafkaClients), 'GroupId'] };
    for (const fn of [service.apiFunction, service.runnerFunction]) {
      const props = template.findResources('AWS::Lambda::Function')[logicalIdOf(fn)]!.Properties;
      expect(props.VpcConfig).toEqual({ SubnetIds: appSubnets, SecurityGroupIds: [sg] });
    }
    // lifecycle and restarter never talk to Kafka, so they stay out of the VPC
    for (const fn of [service.lifecycleFunction, service.restarterFunction]) {
      expect(template.findResources('AWS::Lambda::Function')[logicalIdOf(fn)]!.Properties.VpcConfig).toBeUndefined();
    }
    const sm = template.findResources('AWS::StepFunctions::StateMachine')[logicalIdOf(service.stateMachine)]!.Properties;
    expect(sm.DefinitionSubstitutions.SubnetIds).toEqual({ 'Fn::Join': [',', appSubnets] });
    expect(sm.DefinitionSubstitutions.SecurityGroupIds).toEqual(sg);
    template.hasResourceProperties('AWS::ECS::Cluster', Match.anyValue());
    expect(stack.resolve(service.cluster.vpc.vpcId)).toEqual({ Ref: logicalIdOf(vpc) });
  });

  it('names the state machine after the stack and construct path, so two services can share a stack', () => {
    const app = newApp();
    const stack = new Stack(app, 'Shared');
    const a = new TributaryService(stack, 'Blue', { ...STUB_SERVICE_PROPS, kafka: KAFKA });
    const b = new TributaryService(stack, 'Green', { ...STUB_SERVICE_PROPS, kafka: KAFKA });
    const names = [a, b].map((s) => Template.fromStack(stack).findResources('AWS::StepFunctions::StateMachine')[logicalIdOf(s.stateMachine)]!.Properties.StateMachineName);
    expect(names[0]).toMatch(/^Shared-Blue-/);
    expect(names[1]).toMatch(/^Shared-Green-/);
    expect(names[0]).not.toBe(names[1]);
  });

  it('counts restarts into Tributary/Restarts and re-runs into Tributary/InfrastructureRestarts, from the restarter and state machine logs', () => {
    const { template, service } = userStack();
    const all = resourcesOf(template, 'AWS::Logs::MetricFilter').map(([, f]) => f.Properties);
    expect(all).toHaveLength(4);
    const restarterLogs = logicalIdOf(service.restarterFunction.logGroup);
    for (const [metric, restarterPattern, machinePattern] of [
      ['Restarts', '{ $.message = "Task restarted" }', '{ ($.type = "WaitStateEntered") && ($.details.name = "RestartBackoff") }'],
      ['InfrastructureRestarts', '{ $.message = "Task re-run" }', '{ ($.type = "PassStateEntered") && ($.details.name = "Rerun") }'],
    ] as const) {
      const filters = all.filter((f) => f.MetricTransformations[0]?.MetricName === metric);
      expect(filters).toHaveLength(2);
      for (const f of filters) expect(f.MetricTransformations).toEqual([{ MetricNamespace: METRICS_NAMESPACE, MetricName: metric, MetricValue: '1' }]);
      expect(filters.find((f) => f.LogGroupName.Ref === restarterLogs)?.FilterPattern).toBe(restarterPattern);
      expect(filters.find((f) => f.LogGroupName.Ref !== restarterLogs)?.FilterPattern).toBe(machinePattern);
    }
  });

  it('can turn the restarter sweep off and change the stale threshold', () => {
    const { template } = userStack({ restarter: { sweep: false, staleAfter: Duration.minutes(5) } });
    template.resourceCountIs('AWS::Events::Rule', 3);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'Heartbeat', EvaluationPeriods: 1 });
    template.hasResourceProperties('AWS::Lambda::Function', { Environment: { Variables: Match.objectLike({ STALE_AFTER_MS: '300000' }) } });
  });

  it('grants callers execute-api:Invoke on its stage', () => {
    const { service, template } = userStack({}, (stack, svc) => {
      svc.grantInvokeApi(new iam.Role(stack, 'Caller', { assumedBy: new iam.AccountRootPrincipal() }));
    });
    const policy = resourcesOf(template, 'AWS::IAM::Policy').find(([, p]) => JSON.stringify(p).includes('execute-api:Invoke'));
    expect(policy).toBeDefined();
    expect(JSON.stringify(policy![1])).toContain(logicalIdOf(service.restApi));
  });
});

describe('TributaryService props validation', { timeout: 60_000 }, () => {
  const build = (props: Partial<TributaryServiceProps>) => () => userStack(props);

  it('refuses a slice budget that does not leave time to commit', () => {
    expect(build({ lifecycle: { runnerTimeout: Duration.minutes(5), sliceBudget: Duration.seconds(290) } })).toThrow(InfraConfigError);
    expect(build({ lifecycle: { runnerTimeout: Duration.minutes(16) } })).toThrow(/15 minutes/);
    expect(build({ lifecycle: { runnerMemorySize: 64 } })).toThrow(/runnerMemorySize/);
  });

  it('refuses an invalid Fargate size', () => {
    expect(build({ fargate: { cpu: 256, memoryLimitMiB: 8192, image: STUB_SERVICE_PROPS.fargate.image } })).toThrow(/not a valid Fargate size/);
  });

  it('refuses a malformed MSK cluster ARN and empty bootstrap servers', () => {
    expect(build({ kafka: { bootstrapServers: 'b:9098', auth: { mode: 'msk-iam', clusterArn: 'arn:aws:kafka:eu-west-1:1:topic/x' } } })).toThrow(
      /not an MSK cluster ARN/,
    );
    expect(build({ kafka: { bootstrapServers: ' ', auth: { mode: 'plaintext' } } })).toThrow(/bootstrapServers/);
  });

  it('warns at synth when the stack falls back to placeholder bootstrap servers', () => {
    const { stack } = buildStack({ kafkaBootstrapServers: undefined });
    Annotations.fromStack(stack).hasWarning('*', Match.stringLikeRegexp('No tributary:kafkaBootstrapServers'));
  });
});

describe('runner image and function bundling', { timeout: 120_000 }, () => {
  it('stages only the runner sources for the default image and builds it for linux/arm64 at deploy time', () => {
    const { app, stack } = buildStack({}, { functionCode: STUB_CODE });
    const assembly = app.synth();
    const assetsFile = readdirSync(assembly.directory).find((f) => f === `${stack.artifactId}.assets.json`)!;
    const manifest = JSON.parse(readFileSync(path.join(assembly.directory, assetsFile), 'utf8')) as {
      dockerImages: Record<string, { source: { directory: string; dockerFile?: string; platform?: string } }>;
    };
    const images = Object.values(manifest.dockerImages);
    expect(images).toHaveLength(1);
    const source = images[0]!.source;
    expect(source).toMatchObject({ dockerFile: 'infra/runner-image/Dockerfile', platform: 'linux/arm64' });
    const staged = readdirSync(path.join(assembly.directory, source.directory)).sort();
    expect(staged).toEqual(expect.arrayContaining(['infra', 'lib', 'package-lock.json', 'package.json', 'tsconfig.json']));
    for (const absent of ['node_modules', 'test', 'docs', 'cdk.out', '.git']) expect(staged).not.toContain(absent);
    expect(readdirSync(path.join(assembly.directory, source.directory, 'infra'))).toEqual(['runner-image']);
  });

  const entries = ['api-handler', 'lifecycle-handler', 'runner-handler', 'restarter-handler'].map((f) => path.join(REPO_ROOT, 'functions', `${f}.ts`));
  it.skipIf(!entries.every((e) => existsSync(e)))('synthesizes infra/app.ts as `cdk synth` does: bundles every function and passes cdk-nag', () => {
    const outdir = mkdtempSync(path.join(tmpdir(), 'tributary-app-'));
    const cdkJson = JSON.parse(readFileSync(path.join(REPO_ROOT, 'cdk.json'), 'utf8')) as { context: Record<string, unknown> };
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'infra/app.ts'], {
      cwd: REPO_ROOT,
      env: { ...process.env, CDK_OUTDIR: outdir, CDK_CONTEXT_JSON: JSON.stringify(cdkJson.context) },
      encoding: 'utf8',
    });
    expect(result.status, result.stderr).toBe(0);
    const template = JSON.parse(readFileSync(path.join(outdir, 'Tributary.template.json'), 'utf8')) as { Resources: Record<string, { Type: string }> };
    expect(Object.values(template.Resources).filter((r) => r.Type === 'AWS::Lambda::Function')).toHaveLength(4);
    const bundles = readdirSync(outdir).filter((d) => existsSync(path.join(outdir, d, 'index.mjs')));
    expect(bundles).toHaveLength(4);
  });

  it.skipIf(!entries.every((e) => existsSync(e)))('points each NodejsFunction at its functions/ entry (bundling skipped)', () => {
    const app = newApp({ 'aws:cdk:bundling-stacks': [] });
    const stack = new Stack(app, 'Bundled');
    new TributaryService(stack, 'Service', { kafka: KAFKA, fargate: STUB_SERVICE_PROPS.fargate });
    const template = Template.fromStack(stack);
    for (const [id, fn] of resourcesOf(template, 'AWS::Lambda::Function')) {
      expect(fn.Properties.Handler, id).toBe('index.handler');
      expect(fn.Properties.Runtime, id).toBe('nodejs24.x');
      // The runner starts with the runner's flags too (lib/runtime/runner-node-flags.ts).
      expect(fn.Properties.Environment.Variables.NODE_OPTIONS, id).toBe(id.includes('RunnerFunction') ? ['--enable-source-maps', ...RUNNER_NODE_FLAGS].join(' ') : '--enable-source-maps');
    }
  });
});
