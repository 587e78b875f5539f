/**
 * One CloudWatch dashboard for a Tributary service: the REST API, task executions, the
 * runners' throughput and failures, restarts, and the functions' errors.
 */
import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as apigateway from 'aws-cdk-lib/aws-apigateway';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { tributaryMetric } from './tributary-metrics.ts';

export interface ServiceDashboardProps {
  readonly api: apigateway.RestApi;
  readonly stateMachine: sfn.IStateMachine;
  readonly functions: Readonly<Record<string, lambda.IFunction>>;
  readonly alarms: cloudwatch.IAlarm[];
}

const PERIOD = Duration.minutes(1);

/** The operations dashboard. */
export class ServiceDashboard extends Construct {
  readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: ServiceDashboardProps) {
    super(scope, id);
    const { api, stateMachine } = props;

    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', { defaultInterval: Duration.hours(3) });
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'API latency',
        left: [
          api.metricLatency({ statistic: 'p50', period: PERIOD, label: 'p50' }),
          api.metricLatency({ statistic: 'p99', period: PERIOD, label: 'p99' }),
        ],
        width: 8,
      }),
      new cloudwatch.GraphWidget({
        title: 'API requests and errors',
        left: [api.metricCount({ period: PERIOD, label: 'requests' })],
        right: [
          api.metricClientError({ period: PERIOD, label: '4XX' }),
          api.metricServerError({ period: PERIOD, label: '5XX' }),
        ],
        width: 8,
      }),
      new cloudwatch.AlarmStatusWidget({ title: 'Restart alarms', alarms: props.alarms, width: 8 }),
    );
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Task executions',
        left: [
          stateMachine.metricStarted({ period: PERIOD, label: 'started' }),
          stateMachine.metricSucceeded({ period: PERIOD, label: 'succeeded' }),
        ],
        right: [
          stateMachine.metricFailed({ period: PERIOD, label: 'failed' }),
          stateMachine.metricTimedOut({ period: PERIOD, label: 'timed out' }),
          stateMachine.metricAborted({ period: PERIOD, label: 'aborted' }),
        ],
        width: 8,
      }),
      new cloudwatch.GraphWidget({
        title: 'Runner throughput',
        left: [tributaryMetric('RecordsProcessed', 'Sum', PERIOD, 'records processed')],
        right: [tributaryMetric('SliceDuration', 'p90', PERIOD, 'slice duration p90 (ms)')],
        width: 8,
      }),
      new cloudwatch.GraphWidget({
        title: 'Task failures, restarts and heartbeats',
        left: [tributaryMetric('TaskFailures', 'Sum', PERIOD, 'task failures'), tributaryMetric('Restarts', 'Sum', PERIOD, 'restarts')],
        right: [tributaryMetric('Heartbeat', 'Sum', PERIOD, 'heartbeats')],
        width: 8,
      }),
    );
    const fns = Object.entries(props.functions);
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Function errors',
        left: fns.map(([name, fn]) => fn.metricErrors({ period: PERIOD, label: name })),
        width: 12,
      }),
      new cloudwatch.GraphWidget({
        title: 'Function throttles',
        left: fns.map(([name, fn]) => fn.metricThrottles({ period: PERIOD, label: name })),
        width: 12,
      }),
    );
  }
}
