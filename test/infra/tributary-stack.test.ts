import { readFileSync } from 'node:fs';
import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { ASL_PATH } from '../../infra/constructs/task-lifecycle.ts';
import { RUNNER_NODE_FLAGS } from '../../lib/runtime/runner-node-flags.ts';
import { buildStack, logicalIdOf, resourcesOf, type BuiltStack } from './infra-fixture.ts';

const LIFECYCLE_STATES = ['AcquireLease', 'RunLambdaSlice', 'RunFargateTask', 'AfterSlice', 'RecordFailure', 'ContinueAsNew'];

describe('TributaryStack with default context', { timeout: 60_000 }, () => {
  let built: BuiltStack;
  beforeAll(() => {
    built = buildStack();
  }, 60_000);

  it('creates every part of the service', () => {
    const { template } = built;
    template.resourceCountIs('AWS::DynamoDB::Table', 1);
    template.resourceCountIs('AWS::ApiGateway::RestApi', 1);
    template.resourceCountIs('AWS::StepFunctions::StateMachine', 1);
    template.resourceCountIs('AWS::Lambda::Function', 4);
    template.resourceCountIs('AWS::ECS::Cluster', 1);
    template.resourceCountIs('AWS::ECS::TaskDefinition', 1);
    template.resourceCountIs('AWS::CloudWatch::Alarm', 2);
    template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
    template.resourceCountIs('AWS::Events::Rule', 4);
    // no VPC in context: the demo VPC with flow logs and a DynamoDB endpoint
    template.resourceCountIs('AWS::EC2::VPC', 1);
    template.resourceCountIs('AWS::EC2::FlowLog', 1);
    template.hasResourceProperties('AWS::EC2::VPCEndpoint', { VpcEndpointType: 'Gateway' });
  });

  it('keeps the table on demand, with PITR, encryption and deletion protection', () => {
    built.template.hasResource('AWS::DynamoDB::Table', {
      Properties: {
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        AttributeDefinitions: Match.arrayWith([
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'sk', AttributeType: 'S' },
        ]),
        BillingMode: 'PAY_PER_REQUEST',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        SSESpecification: { SSEEnabled: true },
        DeletionProtectionEnabled: true,
      },
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
  });

  it('runs every function on ARM64 Node.js 22 or newer with JSON logs, tracing and its own log group', () => {
    const functions = resourcesOf(built.template, 'AWS::Lambda::Function');
    expect(functions).toHaveLength(4);
    for (const [id, fn] of functions) {
      const p = fn.Properties;
      const major = Number(/^nodejs(\d+)\.x$/.exec(p.Runtime)?.[1]);
      expect(major, id).toBeGreaterThanOrEqual(22);
      expect(p.Architectures, id).toEqual(['arm64']);
      expect(p.TracingConfig, id).toEqual({ Mode: 'Active' });
      expect(p.LoggingConfig, id).toMatchObject({ LogFormat: 'JSON', LogGroup: { Ref: expect.any(String) } });
    }
    for (const [, group] of resourcesOf(built.template, 'AWS::Logs::LogGroup')) {
      expect(group.Properties?.RetentionInDays).toBe(30);
    }
  });

  it('protects every API method with IAM auth and proxies root and {proxy+} to the API function', () => {
    const { template, stack } = built;
    const methods = resourcesOf(template, 'AWS::ApiGateway::Method');
    expect(methods.length).toBeGreaterThanOrEqual(2);
    for (const [id, m] of methods) expect(m.Properties?.AuthorizationType, id).toBe('AWS_IAM');
    template.hasResourceProperties('AWS::ApiGateway::Resource', { PathPart: '{proxy+}' });
    const apiFn = logicalIdOf(stack.service.apiFunction);
    for (const [, m] of methods) {
      expect(m.Properties).toMatchObject({ HttpMethod: 'ANY', Integration: { Type: 'AWS_PROXY' } });
      expect(JSON.stringify(m.Properties?.Integration)).toContain(apiFn);
    }
  });

  it('throttles the stage and writes access logs', () => {
    built.template.hasResourceProperties('AWS::ApiGateway::Stage', {
      AccessLogSetting: { DestinationArn: Match.anyValue(), Format: Match.stringLikeRegexp('requestId') },
      TracingEnabled: true,
      MethodSettings: Match.arrayWith([
        Match.objectLike({ HttpMethod: '*', ResourcePath: '/*', ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100, DataTraceEnabled: false }),
      ]),
    });
  });

  it('loads the ASL file with its substitutions bound to the right resources', () => {
    const { template, stack } = built;
    const [, sm] = resourcesOf(template, 'AWS::StepFunctions::StateMachine')[0]!;
    const props = sm.Properties;
    expect(props.DefinitionString).toBe(readFileSync(ASL_PATH, 'utf8'));
    const definition = JSON.parse(props.DefinitionString) as { States: Record<string, unknown> };
    expect(Object.keys(definition.States)).toEqual(expect.arrayContaining(LIFECYCLE_STATES));

    const placeholders = new Set([...props.DefinitionString.matchAll(/\$\{(\w+)\}/g)].map((m) => m[1]));
    expect(Object.keys(props.DefinitionSubstitutions).sort()).toEqual([...placeholders].sort());

    const lifecycle = logicalIdOf(stack.service.lifecycleFunction);
    const runner = logicalIdOf(stack.service.runnerFunction);
    const cluster = logicalIdOf(stack.service.cluster);
    const taskDef = logicalIdOf(stack.service.runnerTaskDefinition);
    expect(props.DefinitionSubstitutions).toMatchObject({
      LifecycleFunctionArn: { 'Fn::GetAtt': [lifecycle, 'Arn'] },
      RunnerFunctionArn: { 'Fn::GetAtt': [runner, 'Arn'] },
      ClusterArn: { 'Fn::GetAtt': [cluster, 'Arn'] },
      TaskDefinitionArn: { Ref: taskDef },
      RunnerContainerName: 'runner',
    });
    expect(JSON.stringify(props.DefinitionSubstitutions.SubnetIds)).toMatch(/privateSubnet1.*privateSubnet2/);
    expect(JSON.stringify(props.DefinitionSubstitutions.SecurityGroupIds)).toContain('RunnerSecurityGroup');
  });

  it('logs ALL state machine events, traces, and has a fixed name matching the ARN given to functions', () => {
    const { template } = built;
    const [, sm] = resourcesOf(template, 'AWS::StepFunctions::StateMachine')[0]!;
    const props = sm.Properties;
    expect(props.LoggingConfiguration).toMatchObject({ Level: 'ALL' });
    expect(props.TracingConfiguration).toEqual({ Enabled: true });
    expect(props.StateMachineName).toMatch(/^Tributary-[\w-]+$/);
    expect(props.StateMachineName.length).toBeLessThanOrEqual(80);
    const arnSuffix = `:stateMachine:${props.StateMachineName}`;
    for (const [id, fn] of resourcesOf(template, 'AWS::Lambda::Function')) {
      const env = fn.Properties.Environment.Variables;
      if (env.STATE_MACHINE_ARN) expect(JSON.stringify(env.STATE_MACHINE_ARN), id).toContain(arnSuffix);
    }
  });

  it('gives the runner Lambda a slice budget well inside its timeout', () => {
    const { template, stack } = built;
    const runner = logicalIdOf(stack.service.runnerFunction);
    const lifecycle = logicalIdOf(stack.service.lifecycleFunction);
    const fns = template.findResources('AWS::Lambda::Function');
    const timeoutMs = (fns[runner]!.Properties.Timeout as number) * 1000;
    const budget = Number(fns[lifecycle]!.Properties.Environment.Variables.SLICE_BUDGET_MS);
    expect(timeoutMs).toBe(300_000);
    expect(budget).toBeGreaterThan(0);
    expect(budget).toBeLessThanOrEqual(timeoutMs - 30_000);
  });

  it('defines an ARM64 Fargate task whose container logs through awslogs and is named as the ASL expects', () => {
    built.template.hasResourceProperties('AWS::ECS::TaskDefinition', {
      RequiresCompatibilities: ['FARGATE'],
      RuntimePlatform: { CpuArchitecture: 'ARM64', OperatingSystemFamily: 'LINUX' },
      ContainerDefinitions: [
        Match.objectLike({
          Name: 'runner',
          LogConfiguration: Match.objectLike({ LogDriver: 'awslogs' }),
          ReadonlyRootFilesystem: true,
          Environment: Match.arrayWith([Match.objectLike({ Name: 'TABLE_NAME' }), Match.objectLike({ Name: 'KAFKA_BOOTSTRAP_SERVERS' })]),
        }),
      ],
    });
    built.template.hasResourceProperties('AWS::ECS::Cluster', {
      ClusterSettings: [{ Name: 'containerInsights', Value: 'enabled' }],
    });
  });

  it('routes failed executions, stopped Fargate tasks, alarms and the sweep to the restarter', () => {
    const { template, stack } = built;
    const restarter = logicalIdOf(stack.service.restarterFunction);
    const rules = resourcesOf(template, 'AWS::Events::Rule');
    for (const [id, rule] of rules) {
      expect(rule.Properties.Targets, id).toEqual([expect.objectContaining({ Arn: { 'Fn::GetAtt': [restarter, 'Arn'] } })]);
    }
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.states'],
        'detail-type': ['Step Functions Execution Status Change'],
        detail: { status: ['FAILED', 'TIMED_OUT', 'ABORTED'], stateMachineArn: [Match.anyValue()] },
      },
    });
    const cluster = logicalIdOf(stack.service.cluster);
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.ecs'],
        'detail-type': ['ECS Task State Change'],
        detail: { lastStatus: ['STOPPED'], clusterArn: [{ 'Fn::GetAtt': [cluster, 'Arn'] }] },
      },
    });
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: Match.objectLike({ source: ['aws.cloudwatch'], 'detail-type': ['CloudWatch Alarm State Change'] }),
    });
    template.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'rate(5 minutes)' });
    template.hasResourceProperties('AWS::Lambda::Permission', {
      Principal: 'events.amazonaws.com',
      FunctionName: { 'Fn::GetAtt': [restarter, 'Arn'] },
    });
  });

  it("alarms on the runners' EMF aggregate metrics in the Tributary namespace", () => {
    const { template } = built;
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'Tributary',
      MetricName: 'TaskFailures',
      Statistic: 'Sum',
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
      Dimensions: Match.absent(),
    });
    // no heartbeat from any runner for the stale window (15 min = 3 periods of 5)
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'Tributary',
      MetricName: 'Heartbeat',
      Statistic: 'Sum',
      Period: 300,
      EvaluationPeriods: 3,
      Threshold: 1,
      ComparisonOperator: 'LessThanThreshold',
      TreatMissingData: 'breaching',
      Dimensions: Match.absent(),
    });
    // the alarm rule names exactly these alarms
    const alarmIds = resourcesOf(template, 'AWS::CloudWatch::Alarm').map(([id]) => id).sort();
    const [, alarmRule] = resourcesOf(template, 'AWS::Events::Rule').find(([, r]) => r.Properties.EventPattern?.source?.[0] === 'aws.cloudwatch')!;
    const named = (alarmRule.Properties.EventPattern.resources as { 'Fn::GetAtt': [string, string] }[]).map((r) => r['Fn::GetAtt'][0]).sort();
    expect(named).toEqual(alarmIds);
  });

  it('draws the dashboard: API, executions, throughput, failures and restarts', () => {
    const [, dashboard] = resourcesOf(built.template, 'AWS::CloudWatch::Dashboard')[0]!;
    const body = JSON.stringify(dashboard.Properties.DashboardBody);
    for (const metric of ['Latency', '5XXError', 'ExecutionsStarted', 'ExecutionsFailed', 'RecordsProcessed', 'TaskFailures', 'Restarts', 'Heartbeat']) {
      expect(body).toContain(metric);
    }
  });

  it('outputs the API URL, table, state machine and dashboard', () => {
    for (const name of ['ApiUrl', 'TableName', 'StateMachineArn', 'DashboardName']) built.template.hasOutput(name, {});
  });
});

describe('TributaryStack context options', { timeout: 60_000 }, () => {
  it('uses an existing VPC, subnets and security groups by id, without creating a VPC', () => {
    const { template } = buildStack({
      vpcId: 'vpc-0123456789abcdef0',
      subnetIds: 'subnet-0aaaaaaaaaaaaaaa1,subnet-0bbbbbbbbbbbbbbb2',
      securityGroupIds: ['sg-0123456789abcdef0'],
    });
    template.resourceCountIs('AWS::EC2::VPC', 0);
    template.resourceCountIs('AWS::EC2::SecurityGroup', 0);
    const [, sm] = resourcesOf(template, 'AWS::StepFunctions::StateMachine')[0]!;
    expect(sm.Properties.DefinitionSubstitutions).toMatchObject({ SubnetIds: 'subnet-0aaaaaaaaaaaaaaa1,subnet-0bbbbbbbbbbbbbbb2', SecurityGroupIds: 'sg-0123456789abcdef0' });
    template.hasResourceProperties('AWS::Lambda::Function', {
      VpcConfig: { SubnetIds: ['subnet-0aaaaaaaaaaaaaaa1', 'subnet-0bbbbbbbbbbbbbbb2'], SecurityGroupIds: ['sg-0123456789abcdef0'] },
    });
  });

  it('creates a runner security group in a given VPC when none is named', () => {
    const { template } = buildStack({ vpcId: 'vpc-0123456789abcdef0', subnetIds: 'subnet-0aaaaaaaaaaaaaaa1' });
    template.resourceCountIs('AWS::EC2::SecurityGroup', 1);
    template.hasResourceProperties('AWS::EC2::SecurityGroup', { VpcId: 'vpc-0123456789abcdef0' });
  });

  it('can destroy the table with the stack, which turns deletion protection off', () => {
    const { template } = buildStack({ removalPolicy: 'destroy' });
    template.hasResource('AWS::DynamoDB::Table', {
      Properties: Match.objectLike({ DeletionProtectionEnabled: false }),
      DeletionPolicy: 'Delete',
    });
  });

  it('encrypts the table with a customer key when given one', () => {
    const keyArn = 'arn:aws:kms:eu-west-1:123456789012:key/1111-2222';
    const { template } = buildStack({ tableKmsKeyArn: keyArn });
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: keyArn },
    });
  });

  it('sizes the runner Lambda from context', () => {
    const { template } = buildStack({ runnerMemoryMb: '2048', runnerTimeoutSeconds: '600' });
    template.hasResourceProperties('AWS::Lambda::Function', { MemorySize: 2048, Timeout: 600 });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ SLICE_BUDGET_MS: '540000' }) },
    });
  });

  it('leaves the account-wide API Gateway role alone when asked', () => {
    buildStack({ apiGatewayCloudWatchRole: 'false' }).template.resourceCountIs('AWS::ApiGateway::Account', 0);
    buildStack().template.resourceCountIs('AWS::ApiGateway::Account', 1);
  });

  it('passes the Kafka connection to the API, the runner Lambda and the Fargate runner', () => {
    const { template } = buildStack({ kafkaBootstrapServers: 'b-1.example:9094,b-2.example:9094', kafkaAuth: 'tls' });
    const withKafka = resourcesOf(template, 'AWS::Lambda::Function').filter(
      ([, fn]) => fn.Properties.Environment.Variables.KAFKA_BOOTSTRAP_SERVERS === 'b-1.example:9094,b-2.example:9094',
    );
    expect(withKafka).toHaveLength(2);
    for (const [, fn] of withKafka) expect(fn.Properties.Environment.Variables.KAFKA_AUTH).toBe('tls');
    template.hasResourceProperties('AWS::ECS::TaskDefinition', {
      ContainerDefinitions: [
        Match.objectLike({
          Environment: Match.arrayWith([
            { Name: 'KAFKA_BOOTSTRAP_SERVERS', Value: 'b-1.example:9094,b-2.example:9094' },
            { Name: 'KAFKA_AUTH', Value: 'tls' },
          ]),
        }),
      ],
    });
  });

  it('starts the runner Lambda and the Fargate runner with the runner\'s Node flags', () => {
    const { template } = buildStack({ kafkaBootstrapServers: 'b-1.example:9094', kafkaAuth: 'tls' });
    const runners = resourcesOf(template, 'AWS::Lambda::Function').filter(([id]) => id.includes('RunnerFunction'));
    expect(runners).toHaveLength(1);
    // Prebuilt code (as here) has no source maps to enable; the runner's flags are there either way.
    for (const [, fn] of runners) expect(fn.Properties.Environment.Variables.NODE_OPTIONS).toBe(RUNNER_NODE_FLAGS.join(' '));
    template.hasResourceProperties('AWS::ECS::TaskDefinition', {
      ContainerDefinitions: [Match.objectLike({ Environment: Match.arrayWith([{ Name: 'NODE_OPTIONS', Value: ['--enable-source-maps', ...RUNNER_NODE_FLAGS].join(' ') }]) })],
    });
  });
});
