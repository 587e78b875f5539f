/**
 * TributaryService: the whole serverless Kafka Connect service as one construct, to put
 * into TributaryStack or into any CDK app. It wires the store, the REST API, the task
 * lifecycle (state machine, lifecycle and runner Lambdas, Fargate runner), the restarter
 * with its alarms and rules, and a dashboard, and gives each principal only what it needs.
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type * as apigateway from 'aws-cdk-lib/aws-apigateway';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as ecs from 'aws-cdk-lib/aws-ecs';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { apiEnvSchema, connectorResourceEnvSchema } from '../../lib/config/function-env.ts';
import { acknowledgeRule, acknowledgeWildcardResources } from './nag-acknowledgments.ts';
import { ConnectRestApi, type ConnectRestApiOptions } from './connect-rest-api.ts';
import { CONSOLE_LAYER_DIR, consoleLayer } from './console-layer.ts';
import { connectorStatements } from './connector-grants.ts';
import { ConnectorTable } from './connector-table.ts';
import { FargateRunner, type FargateRunnerOptions } from './fargate-runner.ts';
import { KafkaAccess, type KafkaConnectionProps } from './kafka-access.ts';
import { ServiceDashboard } from './service-dashboard.ts';
import { TaskLifecycle, type TaskLifecycleOptions } from './task-lifecycle.ts';
import { TaskRestarter, type TaskRestarterOptions } from './task-restarter.ts';
import { TributaryFunction, type LogLevel } from './tributary-function.ts';

export interface TributaryServiceProps {
  /** Where the brokers are and how to authenticate to them. */
  readonly kafka: KafkaConnectionProps;
  /**
   * The VPC from which runners and the API reach Kafka. Default: a new two-AZ VPC with one
   * NAT gateway, a DynamoDB gateway endpoint and flow logs (fine for a demo, not for MSK in
   * another VPC).
   */
  readonly vpc?: ec2.IVpc;
  /** Subnets for the VPC functions and Fargate tasks. Default: the VPC's private subnets with egress. */
  readonly vpcSubnets?: ec2.SubnetSelection;
  /** Security groups of runners and the API function. Default: one new group, all egress, no ingress. */
  readonly securityGroups?: ec2.ISecurityGroup[];
  /** For the table and every log group. Default RETAIN. */
  readonly removalPolicy?: RemovalPolicy;
  /** Table deletion protection. Default: on unless removalPolicy is DESTROY. */
  readonly deletionProtection?: boolean;
  /** Customer managed key for the table. Default: the AWS managed key. */
  readonly tableEncryptionKey?: kms.IKey;
  /** Default one month. */
  readonly logRetention?: logs.RetentionDays;
  /** Default INFO. */
  readonly logLevel?: LogLevel;
  readonly api?: ConnectRestApiOptions;
  readonly lifecycle?: TaskLifecycleOptions;
  readonly fargate?: FargateRunnerOptions;
  readonly restarter?: TaskRestarterOptions;
  /**
   * Prebuilt code for every function (handler `index.handler`) instead of bundling
   * functions/*.ts with esbuild. Meant for tests and for prebuilt artifacts.
   */
  readonly functionCode?: lambda.Code;
  /**
   * The built web console (a folder holding `ui/index.html`), served by the API function under
   * `/ui`; false for none. Default: this checkout's console/dist.
   */
  readonly consoleAssets?: string | false;
  /**
   * Configs of the connectors this deployment will run that use AWS services (S3 sink, SQS
   * source and sink, DynamoDB sink): each adds exactly the access its runners and its
   * validation need (see {@link TributaryService.grantConnector}).
   */
  readonly connectors?: readonly Readonly<Record<string, string>>[];
}

/** Kafka Connect without a worker cluster. */
export class TributaryService extends Construct {
  readonly table: dynamodb.Table;
  readonly restApi: apigateway.RestApi;
  readonly stateMachine: sfn.StateMachine;
  /** Built from the state machine's fixed name; usable anywhere without a dependency cycle. */
  readonly stateMachineArn: string;
  readonly apiFunction: lambda.Function;
  readonly lifecycleFunction: lambda.Function;
  readonly runnerFunction: lambda.Function;
  readonly restarterFunction: lambda.Function;
  readonly cluster: ecs.Cluster;
  readonly runnerTaskDefinition: ecs.FargateTaskDefinition;
  readonly vpc: ec2.IVpc;
  readonly securityGroups: ec2.ISecurityGroup[];
  readonly alarms: cloudwatch.Alarm[];
  readonly dashboard: cloudwatch.Dashboard;
  /** Every principal that resolves connector configs (config providers): the API, runners and restarter. */
  readonly configReaders: iam.IGrantable[];
  private readonly functionDefaults: { logLevel: LogLevel; logRetention: logs.RetentionDays; logRemovalPolicy: RemovalPolicy; code: lambda.Code | undefined };
  private provider: cr.Provider | undefined;

  constructor(scope: Construct, id: string, props: TributaryServiceProps) {
    super(scope, id);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    const logRetention = props.logRetention ?? logs.RetentionDays.ONE_MONTH;
    const logLevel = props.logLevel ?? 'INFO';
    const functionDefaults = { logLevel, logRetention, logRemovalPolicy: removalPolicy, code: props.functionCode };
    this.functionDefaults = functionDefaults;

    const store = new ConnectorTable(this, 'Store', {
      removalPolicy,
      deletionProtection: props.deletionProtection,
      encryptionKey: props.tableEncryptionKey,
    });
    this.table = store.table;
    const kafka = new KafkaAccess(props.kafka);

    this.vpc = props.vpc ?? this.demoVpc(logRetention, removalPolicy);
    const vpcSubnets = props.vpcSubnets ?? { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS };
    this.securityGroups = props.securityGroups?.length
      ? props.securityGroups
      : [
          new ec2.SecurityGroup(this, 'RunnerSecurityGroup', {
            vpc: this.vpc,
            description: 'Tributary runners and API: egress to Kafka and AWS APIs, no ingress',
            allowAllOutbound: true,
          }),
        ];

    const fargate = new FargateRunner(this, 'FargateRunner', {
      ...props.fargate,
      vpc: this.vpc,
      environment: {
        TABLE_NAME: this.table.tableName,
        DYNAMODB_ENDPOINT: undefined,
        ...kafka.environment,
        LOG_LEVEL: logLevel,
        WORKER_ID: undefined,
      },
      logRetention,
      logRemovalPolicy: removalPolicy,
    });
    store.grantData(fargate.taskDefinition.taskRole, 'runner');
    kafka.grantClient(fargate.taskDefinition.taskRole, 'runner');
    this.cluster = fargate.cluster;
    this.runnerTaskDefinition = fargate.taskDefinition;

    const lifecycle = new TaskLifecycle(this, 'TaskLifecycle', {
      ...props.lifecycle,
      ...functionDefaults,
      table: store,
      kafka,
      fargate,
      vpc: this.vpc,
      vpcSubnets,
      securityGroups: this.securityGroups,
    });
    this.stateMachine = lifecycle.stateMachine;
    this.stateMachineArn = lifecycle.stateMachineArn;
    this.lifecycleFunction = lifecycle.lifecycleFunction.fn;
    this.runnerFunction = lifecycle.runnerFunction.fn;

    const consoleAssets = consoleLayer(this, 'ConsoleAssets', props.consoleAssets);
    const apiFunction = new TributaryFunction(this, 'ApiFunction', {
      ...functionDefaults,
      entry: 'functions/api-handler.ts',
      description: 'Tributary Kafka Connect REST API',
      envSchema: apiEnvSchema,
      environment: {
        TABLE_NAME: this.table.tableName,
        DYNAMODB_ENDPOINT: undefined,
        ...kafka.environment,
        LOG_LEVEL: logLevel,
        STATE_MACHINE_ARN: lifecycle.stateMachineArn,
        WORKER_ID: undefined,
        CONSOLE_DIR: consoleAssets ? CONSOLE_LAYER_DIR : undefined,
      },
      // API Gateway ends an integration after 29 s.
      timeout: Duration.seconds(29),
      memorySize: 512,
      vpc: this.vpc,
      vpcSubnets,
      securityGroups: this.securityGroups,
    });
    if (consoleAssets) apiFunction.fn.addLayers(consoleAssets);
    store.grantData(apiFunction.role, 'control');
    kafka.grantClient(apiFunction.role, 'control');
    // Only StartExecution: pause, stop and delete change the target state, which runners and
    // the lifecycle notice themselves; no execution is ever stopped or described by the API.
    apiFunction.role.addToPolicy(new iam.PolicyStatement({ actions: ['states:StartExecution'], resources: [lifecycle.stateMachineArn] }));
    // The metrics route reads the runners' metrics; GetMetricData names no resource and takes no condition.
    apiFunction.role.addToPolicy(new iam.PolicyStatement({ actions: ['cloudwatch:GetMetricData'], resources: ['*'] }));
    acknowledgeRule(apiFunction.role, 'AwsSolutions-IAM5[Resource::*]', 'cloudwatch:GetMetricData supports no resource-level permissions or condition keys; the API only reads metrics with it');
    this.apiFunction = apiFunction.fn;

    const rest = new ConnectRestApi(this, 'RestApi', {
      ...props.api,
      handler: apiFunction.fn,
      logRetention,
      logRemovalPolicy: removalPolicy,
    });
    this.restApi = rest.api;

    const restarter = new TaskRestarter(this, 'Restarter', {
      ...props.restarter,
      ...functionDefaults,
      table: store,
      stateMachineArn: lifecycle.stateMachineArn,
      clusterArn: fargate.cluster.clusterArn,
      stateMachineLogGroup: lifecycle.logGroup,
    });
    this.restarterFunction = restarter.restarterFunction.fn;
    this.alarms = restarter.alarms;
    this.configReaders = [this.apiFunction, this.runnerFunction, fargate.taskDefinition.taskRole, this.restarterFunction];

    this.dashboard = new ServiceDashboard(this, 'Dashboard', {
      api: this.restApi,
      stateMachine: this.stateMachine,
      functions: {
        api: this.apiFunction,
        lifecycle: this.lifecycleFunction,
        runner: this.runnerFunction,
        restarter: this.restarterFunction,
      },
      alarms: this.alarms,
    }).dashboard;
    for (const c of props.connectors ?? []) this.grantConnector(c);
  }

  /**
   * Grants the runners what a connector config needs of AWS services (its bucket prefix,
   * queue or tables) and the API the read-only calls of validating it. Runners share roles,
   * so every connector given here is reachable by every task: list only those you run.
   */
  grantConnector(config: Readonly<Record<string, string>>): void {
    const { runner, validate } = connectorStatements(this, config);
    for (const st of runner) {
      this.runnerFunction.addToRolePolicy(st);
      this.runnerTaskDefinition.addToTaskRolePolicy(st);
      const wildcards = st.resources.filter((r) => r.includes('*'));
      for (const role of [this.runnerFunction.role, this.runnerTaskDefinition.taskRole]) {
        if (role && wildcards.length) acknowledgeWildcardResources(role, wildcards, 'The S3 sink writes objects it names itself, all under the bucket prefix topics.dir of its config');
      }
    }
    for (const st of validate) this.apiFunction.addToRolePolicy(st);
  }

  /** The base URL of the Kafka Connect REST API (the stage URL). */
  get apiUrl(): string {
    return this.restApi.url;
  }

  /** Lets a principal call every route of the REST API (SigV4). */
  grantInvokeApi(grantee: iam.IGrantable): iam.Grant {
    return iam.Grant.addToPrincipal({
      grantee,
      actions: ['execute-api:Invoke'],
      resourceArns: [this.restApi.arnForExecuteApi('*', '/*', this.restApi.deploymentStage.stageName)],
    });
  }

  /**
   * The custom resource provider that applies `TributaryConnector`s through the API function,
   * created with the first connector and shared by all of them.
   */
  connectorProvider(): cr.Provider {
    if (this.provider) return this.provider;
    const onEvent = new TributaryFunction(this, 'ConnectorResourceFunction', {
      ...this.functionDefaults,
      entry: 'functions/connector-resource-handler.ts',
      description: 'Tributary connectors declared in CDK, applied through the REST API function',
      envSchema: connectorResourceEnvSchema,
      environment: { API_FUNCTION_NAME: this.apiFunction.functionName, LOG_LEVEL: this.functionDefaults.logLevel },
      timeout: Duration.minutes(2),
      memorySize: 256,
    });
    // The unqualified function only: the handler never calls a version or alias.
    onEvent.role.addToPolicy(new iam.PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [this.apiFunction.functionArn] }));
    const provider = new cr.Provider(this, 'ConnectorProvider', {
      onEventHandler: onEvent.fn,
      logGroup: new logs.LogGroup(this, 'ConnectorProviderLogs', { retention: this.functionDefaults.logRetention, removalPolicy: this.functionDefaults.logRemovalPolicy }),
    });
    acknowledgeRule(
      provider,
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      'The custom resource framework function that aws-cdk-lib provides writes its own logs through this managed policy.',
    );
    acknowledgeWildcardResources(provider, [`${onEvent.fn.functionArn}:*`], 'The custom resource framework may invoke the versions of its own onEvent function.');
    this.provider = provider;
    return provider;
  }

  /** A small VPC for trying Tributary out; production deployments pass the VPC that reaches Kafka. */
  private demoVpc(logRetention: logs.RetentionDays, removalPolicy: RemovalPolicy): ec2.Vpc {
    const flowLogs = new logs.LogGroup(this, 'VpcFlowLogs', { retention: logRetention, removalPolicy });
    return new ec2.Vpc(this, 'Vpc', {
      maxAzs: 2,
      natGateways: 1,
      subnetConfiguration: [
        { name: 'public', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24 },
        { name: 'private', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, cidrMask: 20 },
      ],
      gatewayEndpoints: { DynamoDb: { service: ec2.GatewayVpcEndpointAwsService.DYNAMODB } },
      flowLogs: { all: { destination: ec2.FlowLogDestination.toCloudWatchLogs(flowLogs) } },
      // Nothing here uses the default security group; restricting it would add a custom resource Lambda.
      restrictDefaultSecurityGroup: false,
    });
  }
}
