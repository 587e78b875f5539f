/**
 * Restarts outside the state machine: the restarter Lambda, CloudWatch alarms on the
 * runners' embedded-metric-format metrics, and the EventBridge rules that feed it
 * (execution FAILED/TIMED_OUT/ABORTED of this state machine, ECS tasks STOPPED in this
 * cluster, these alarms entering ALARM, and a periodic sweep for tasks whose heartbeats
 * stopped without any event at all). ABORTED and STOPPED also follow pause, stop and
 * delete: the restarter restarts only tasks that are still meant to run.
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { restarterEnvSchema } from '../../lib/config/function-env.ts';
import type { ConnectorTable } from './connector-table.ts';
import { addRestartMetricFilters, tributaryMetric } from './tributary-metrics.ts';
import { TributaryFunction, type LogLevel } from './tributary-function.ts';

export interface TaskRestarterOptions {
  /** A RUNNING task whose heartbeat is older than this is restarted. Default 15 minutes. */
  readonly staleAfter?: Duration;
  /** How often the restarter sweeps for stale tasks; `false` turns the sweep off. Default 5 minutes. */
  readonly sweep?: Duration | false;
}

export interface TaskRestarterProps extends TaskRestarterOptions {
  readonly table: ConnectorTable;
  readonly stateMachineArn: string;
  readonly clusterArn: string;
  /** The state machine's log group, where in-execution restarts are counted. */
  readonly stateMachineLogGroup: logs.ILogGroup;
  readonly logLevel: LogLevel;
  readonly logRetention: logs.RetentionDays;
  readonly logRemovalPolicy: RemovalPolicy;
  readonly extraEnvironment?: Readonly<Record<string, string>>;
  readonly code?: lambda.Code;
}

/** The restarter Lambda with the alarms and rules that invoke it. */
export class TaskRestarter extends Construct {
  readonly restarterFunction: TributaryFunction<typeof restarterEnvSchema>;
  readonly taskFailuresAlarm: cloudwatch.Alarm;
  readonly heartbeatsMissingAlarm: cloudwatch.Alarm;
  readonly rules: events.Rule[] = [];

  constructor(scope: Construct, id: string, props: TaskRestarterProps) {
    super(scope, id);
    const staleAfter = props.staleAfter ?? Duration.minutes(15);

    this.restarterFunction = new TributaryFunction(this, 'RestarterFunction', {
      entry: 'functions/restarter-handler.ts',
      description: 'Tributary restarter: restarts failed or stale tasks within their restart budget',
      envSchema: restarterEnvSchema,
      environment: {
        TABLE_NAME: props.table.table.tableName,
        DYNAMODB_ENDPOINT: undefined,
        LOG_LEVEL: props.logLevel,
        STATE_MACHINE_ARN: props.stateMachineArn,
        STALE_AFTER_MS: String(staleAfter.toMilliseconds()),
      },
      extraEnvironment: props.extraEnvironment,
      timeout: Duration.minutes(1),
      memorySize: 256,
      logLevel: props.logLevel,
      logRetention: props.logRetention,
      logRemovalPolicy: props.logRemovalPolicy,
      code: props.code,
    });
    const role = this.restarterFunction.role;
    props.table.grantData(role, 'restarter');
    // A restart is a lease claim plus a new execution; the old execution, if alive, is fenced
    // by the epoch, so the restarter never needs to stop, list or describe executions.
    role.addToPolicy(new iam.PolicyStatement({ actions: ['states:StartExecution'], resources: [props.stateMachineArn] }));

    this.taskFailuresAlarm = new cloudwatch.Alarm(this, 'TaskFailuresAlarm', {
      alarmDescription: 'A Tributary task failed outside its error tolerance; the restarter restarts it within its budget.',
      metric: tributaryMetric('TaskFailures', 'Sum'),
      threshold: 0,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    // Runners send a Heartbeat with every slice. CloudWatch cannot know how many should be
    // running, so this catches the case where all of them went silent; a single stale task is
    // the periodic sweep's job. While no connector runs at all, this alarm is (harmlessly) in ALARM.
    const period = Duration.minutes(5);
    this.heartbeatsMissingAlarm = new cloudwatch.Alarm(this, 'HeartbeatsMissingAlarm', {
      alarmDescription: `No Tributary runner has sent a heartbeat for ${staleAfter.toHumanString()}: the restarter sweeps for stale tasks. Expected while no connector is running.`,
      metric: tributaryMetric('Heartbeat', 'Sum', period),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
      evaluationPeriods: Math.max(1, Math.ceil(staleAfter.toSeconds() / period.toSeconds())),
      treatMissingData: cloudwatch.TreatMissingData.BREACHING,
    });
    addRestartMetricFilters(this, this.restarterFunction.logGroup, props.stateMachineLogGroup);

    // Lost deliveries are not fatal: the periodic sweep finds whatever an event missed.
    const target = new targets.LambdaFunction(this.restarterFunction.fn, { retryAttempts: 4, maxEventAge: Duration.hours(1) });
    const rule = (ruleId: string, description: string, options: Pick<events.RuleProps, 'eventPattern' | 'schedule'>) => {
      const r = new events.Rule(this, ruleId, { description, ...options, targets: [target] });
      this.rules.push(r);
      return r;
    };
    rule('ExecutionEndedRule', 'Tributary: a task execution failed, timed out or was aborted', {
      eventPattern: {
        source: ['aws.states'],
        detailType: ['Step Functions Execution Status Change'],
        detail: { status: ['FAILED', 'TIMED_OUT', 'ABORTED'], stateMachineArn: [props.stateMachineArn] },
      },
    });
    rule('FargateTaskStoppedRule', 'Tributary: a Fargate runner task stopped', {
      eventPattern: {
        source: ['aws.ecs'],
        detailType: ['ECS Task State Change'],
        detail: { lastStatus: ['STOPPED'], clusterArn: [props.clusterArn] },
      },
    });
    rule('AlarmRule', 'Tributary: a task failure or stale heartbeat alarm fired', {
      eventPattern: {
        source: ['aws.cloudwatch'],
        detailType: ['CloudWatch Alarm State Change'],
        resources: [this.taskFailuresAlarm.alarmArn, this.heartbeatsMissingAlarm.alarmArn],
        detail: { state: { value: ['ALARM'] } },
      },
    });
    const sweep = props.sweep ?? Duration.minutes(5);
    if (sweep) {
      rule('SweepRule', 'Tributary: periodic sweep for tasks whose heartbeats stopped', {
        schedule: events.Schedule.rate(sweep),
      });
    }
  }

  get alarms(): cloudwatch.Alarm[] {
    return [this.taskFailuresAlarm, this.heartbeatsMissingAlarm];
  }
}
