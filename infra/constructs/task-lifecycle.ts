/**
 * The task lifecycle: the one state machine loaded from infra/task-lifecycle.asl.json (the
 * same file the local host interprets), the lifecycle Lambda behind its AcquireLease /
 * AfterSlice / RecordFailure / ContinueAsNew steps, and the runner Lambda that runs bounded
 * slices. The state machine has a fixed physical name so its ARN can be granted and passed
 * around (Stack.formatArn) without a dependency cycle through the functions it invokes.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { ArnFormat, Duration, Fn, Names, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { lifecycleEnvSchema, runnerEnvSchema } from '../../lib/config/function-env.ts';
import { RUNNER_NODE_FLAGS } from '../../lib/runtime/runner-node-flags.ts';
import { InfraConfigError } from '../errors.ts';
import { acknowledgeWildcardResources } from './nag-acknowledgments.ts';
import type { ConnectorTable } from './connector-table.ts';
import type { FargateRunner } from './fargate-runner.ts';
import type { KafkaAccess } from './kafka-access.ts';
import { REPO_ROOT, TributaryFunction, type LogLevel } from './tributary-function.ts';

/** THE state machine definition, shared with the local host. */
export const ASL_PATH = path.join(REPO_ROOT, 'infra', 'task-lifecycle.asl.json');

/** The idle backoff cap on AWS (the local host keeps its own, shorter one). */
export const DEFAULT_IDLE_BACKOFF_MAX = Duration.minutes(15);
/** How long an idle slice waits for data on AWS before it ends. */
export const DEFAULT_IDLE_SLICE_END = Duration.seconds(2);

export interface TaskLifecycleOptions {
  /** Runner Lambda timeout. Default 5 minutes; at most 15. */
  readonly runnerTimeout?: Duration;
  /** Time budget of one slice; must leave at least 30 s of the timeout for the final commit. Default: timeout − 60 s. */
  readonly sliceBudget?: Duration;
  /** Runner Lambda memory in MiB. Default 1024. */
  readonly runnerMemorySize?: number;
  /**
   * Upper bound of the idle backoff. Default 15 minutes: each idle wake-up costs about seven
   * state transitions and one idle slice, so a 60 s cap made an idle connector cost about
   * $10/month and 15 minutes brings it under $1 (measured by the assembly test, see
   * bench/results/cost.json). A connector that must notice new data sooner sets
   * `tributary.idle.backoff.max.ms`.
   */
  readonly idleBackoffMax?: Duration;
  /** Slices per execution before it continues as new. Default: the lifecycle function's own (500). */
  readonly slicesPerExecution?: number;
  /**
   * A slice ends as idle after this long without data. Default 2 s: an idle wake-up is billed
   * for this wait, and a fetch that found nothing for 2 s rarely finds something in the next 3.
   */
  readonly idleSliceEnd?: Duration;
}

export interface TaskLifecycleProps extends TaskLifecycleOptions {
  readonly table: ConnectorTable;
  readonly kafka: KafkaAccess;
  readonly fargate: FargateRunner;
  readonly vpc: ec2.IVpc;
  readonly vpcSubnets: ec2.SubnetSelection;
  readonly securityGroups: ec2.ISecurityGroup[];
  readonly logLevel: LogLevel;
  readonly logRetention: logs.RetentionDays;
  readonly logRemovalPolicy: RemovalPolicy;
  readonly extraEnvironment?: Readonly<Record<string, string>>;
  readonly code?: lambda.Code;
}

/** State machine, lifecycle Lambda and runner Lambda. */
export class TaskLifecycle extends Construct {
  readonly stateMachine: sfn.StateMachine;
  readonly stateMachineName: string;
  /** The state machine's ARN, built from its name: safe to use in the functions it invokes. */
  readonly stateMachineArn: string;
  /** Matches every execution of this state machine (StopExecution, DescribeExecution). */
  readonly executionArnPattern: string;
  readonly lifecycleFunction: TributaryFunction<typeof lifecycleEnvSchema>;
  readonly runnerFunction: TributaryFunction<typeof runnerEnvSchema>;
  /** Where the state machine logs ALL events. */
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: TaskLifecycleProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const runnerTimeout = props.runnerTimeout ?? Duration.minutes(5);
    const sliceBudget = props.sliceBudget ?? runnerTimeout.minus(Duration.seconds(60));
    validateSliceBudget(runnerTimeout, sliceBudget);

    this.stateMachineName = Names.uniqueResourceName(this, { maxLength: 80, separator: '-' });
    this.stateMachineArn = stack.formatArn({
      service: 'states',
      resource: 'stateMachine',
      resourceName: this.stateMachineName,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    this.executionArnPattern = stack.formatArn({
      service: 'states',
      resource: 'execution',
      resourceName: `${this.stateMachineName}:*`,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });

    const logSettings = {
      logLevel: props.logLevel,
      logRetention: props.logRetention,
      logRemovalPolicy: props.logRemovalPolicy,
      extraEnvironment: props.extraEnvironment,
      code: props.code,
    };
    this.lifecycleFunction = new TributaryFunction(this, 'LifecycleFunction', {
      ...logSettings,
      entry: 'functions/lifecycle-handler.ts',
      description: 'Tributary task lifecycle steps (lease, after-slice, failure, continue-as-new)',
      envSchema: lifecycleEnvSchema,
      environment: {
        TABLE_NAME: props.table.table.tableName,
        DYNAMODB_ENDPOINT: undefined,
        LOG_LEVEL: props.logLevel,
        SLICE_BUDGET_MS: String(sliceBudget.toMilliseconds()),
        IDLE_BACKOFF_MAX_MS: String((props.idleBackoffMax ?? DEFAULT_IDLE_BACKOFF_MAX).toMilliseconds()),
        SLICES_PER_EXECUTION: props.slicesPerExecution === undefined ? undefined : String(props.slicesPerExecution),
        IDLE_SLICE_END_MS: String((props.idleSliceEnd ?? DEFAULT_IDLE_SLICE_END).toMilliseconds()),
      },
      timeout: Duration.seconds(30),
      memorySize: 256,
    });
    props.table.grantData(this.lifecycleFunction.role, 'lifecycle');
    // ContinueAsNew starts the next execution of this same state machine.
    this.lifecycleFunction.role.addToPolicy(
      new iam.PolicyStatement({ actions: ['states:StartExecution'], resources: [this.stateMachineArn] }),
    );

    this.runnerFunction = new TributaryFunction(this, 'RunnerFunction', {
      ...logSettings,
      entry: 'functions/runner-handler.ts',
      description: 'Tributary task runner: one bounded slice of a source or sink task',
      envSchema: runnerEnvSchema,
      environment: {
        TABLE_NAME: props.table.table.tableName,
        DYNAMODB_ENDPOINT: undefined,
        ...props.kafka.environment,
        LOG_LEVEL: props.logLevel,
        WORKER_ID: undefined,
      },
      timeout: runnerTimeout,
      memorySize: validateMemory(props.runnerMemorySize ?? 1024),
      nodeFlags: RUNNER_NODE_FLAGS,
      vpc: props.vpc,
      vpcSubnets: props.vpcSubnets,
      securityGroups: props.securityGroups,
    });
    props.table.grantData(this.runnerFunction.role, 'runner');
    props.kafka.grantClient(this.runnerFunction.role, 'runner');

    const logGroup = (this.logGroup = new logs.LogGroup(this, 'LogGroup', {
      // the vendedlogs prefix keeps CloudWatch Logs' resource policy small (AWS guidance for Step Functions)
      logGroupName: `/aws/vendedlogs/states/${this.stateMachineName}`,
      retention: props.logRetention,
      removalPolicy: props.logRemovalPolicy,
    }));
    const subnetIds = props.vpc.selectSubnets(props.vpcSubnets).subnetIds;
    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      stateMachineName: this.stateMachineName,
      stateMachineType: sfn.StateMachineType.STANDARD,
      definitionBody: sfn.DefinitionBody.fromString(readFileSync(ASL_PATH, 'utf8')),
      definitionSubstitutions: {
        LifecycleFunctionArn: this.lifecycleFunction.fn.functionArn,
        RunnerFunctionArn: this.runnerFunction.fn.functionArn,
        ClusterArn: props.fargate.cluster.clusterArn,
        TaskDefinitionArn: props.fargate.taskDefinition.taskDefinitionArn,
        SubnetIds: Fn.join(',', subnetIds),
        SecurityGroupIds: Fn.join(',', props.securityGroups.map((sg) => sg.securityGroupId)),
        RunnerContainerName: props.fargate.container.containerName,
      },
      // Execution data holds runner inputs with connector configs, which may carry credentials.
      logs: { destination: logGroup, level: sfn.LogLevel.ALL, includeExecutionData: false },
      tracingEnabled: true,
    });
    this.grantStateMachine(props.fargate);
  }

  /** What the state machine's own role needs: invoke both functions and run the Fargate task. */
  private grantStateMachine(fargate: FargateRunner): void {
    const stack = Stack.of(this);
    const role = this.stateMachine.role;
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['lambda:InvokeFunction'],
        resources: [this.lifecycleFunction.fn.functionArn, this.runnerFunction.fn.functionArn],
      }),
    );
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['ecs:RunTask'],
        resources: [fargate.taskDefinition.taskDefinitionArn],
        conditions: { ArnEquals: { 'ecs:cluster': fargate.cluster.clusterArn } },
      }),
    );
    role.addToPrincipalPolicy(
      // Task ids exist only at run time; the condition keeps this to tasks of this one cluster.
      new iam.PolicyStatement({
        actions: ['ecs:StopTask', 'ecs:DescribeTasks'],
        resources: ['*'],
        conditions: { ArnEquals: { 'ecs:cluster': fargate.cluster.clusterArn } },
      }),
    );
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['iam:PassRole'],
        resources: [fargate.taskDefinition.taskRole.roleArn, fargate.taskDefinition.obtainExecutionRole().roleArn],
        conditions: { StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } },
      }),
    );
    // runTask.sync learns that the task stopped through this managed EventBridge rule.
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['events:PutTargets', 'events:PutRule', 'events:DescribeRule'],
        resources: [stack.formatArn({ service: 'events', resource: 'rule', resourceName: 'StepFunctionsGetEventsForECSTaskRule' })],
      }),
    );
    acknowledgeWildcardResources(
      role,
      ['*'],
      'Log delivery (logs:CreateLogDelivery and friends) and X-Ray actions do not support resource-level permissions; ecs:StopTask/DescribeTasks are limited to this one cluster by an ecs:cluster condition, as task ids exist only at run time.',
    );
  }
}

function validateSliceBudget(timeout: Duration, budget: Duration): void {
  const timeoutMs = timeout.toMilliseconds();
  if (timeoutMs > Duration.minutes(15).toMilliseconds()) throw new InfraConfigError('runnerTimeout cannot exceed 15 minutes (the Lambda limit)');
  const budgetMs = budget.toMilliseconds();
  if (budgetMs <= 0 || budgetMs > timeoutMs - 30_000) {
    throw new InfraConfigError(
      `sliceBudget (${budgetMs} ms) must be positive and leave at least 30 s of the runner timeout (${timeoutMs} ms) for the final flush and commit`,
    );
  }
}

function validateMemory(memorySize: number): number {
  if (!Number.isInteger(memorySize) || memorySize < 128 || memorySize > 10_240) {
    throw new InfraConfigError(`runnerMemorySize must be an integer between 128 and 10240 MiB, got ${memorySize}`);
  }
  return memorySize;
}
