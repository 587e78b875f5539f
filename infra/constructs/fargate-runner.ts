/**
 * The Fargate runner: an ECS cluster in the service's VPC and an ARM64 Fargate task
 * definition whose one container runs `functions/fargate-runner.ts`. Step Functions starts
 * it with `ecs:runTask.sync` (RunFargateTask in the ASL) and passes the runner input in
 * TRIBUTARY_RUNNER_INPUT; the task role holds only what a runner needs.
 */
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import { IgnoreMode } from 'aws-cdk-lib';
import { Platform } from 'aws-cdk-lib/aws-ecr-assets';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { runnerEnvSchema } from '../../lib/config/function-env.ts';
import { RUNNER_NODE_FLAGS } from '../../lib/runtime/runner-node-flags.ts';
import { InfraConfigError } from '../errors.ts';
import { acknowledgeRule, acknowledgeWildcardResources } from './nag-acknowledgments.ts';
import { REPO_ROOT, toEnvironment, withNodeOptions, type FunctionEnvironment } from './tributary-function.ts';

/** The container's name in the task definition, handed to the ASL as ${RunnerContainerName}. */
export const RUNNER_CONTAINER_NAME = 'runner';

/** Valid Fargate CPU units and, for each, the allowed memory range in MiB. */
const FARGATE_SIZES: Readonly<Record<number, readonly [number, number]>> = {
  256: [512, 2048],
  512: [1024, 4096],
  1024: [2048, 8192],
  2048: [4096, 16384],
  4096: [8192, 30720],
  8192: [16384, 61440],
  16384: [32768, 122880],
};

export interface FargateRunnerOptions {
  /** Default CPU units of a runner task; a connector may override them per task. Default 1024. */
  readonly cpu?: number;
  /** Default memory of a runner task in MiB. Default 2048. */
  readonly memoryLimitMiB?: number;
  /**
   * The runner image. Default: built from infra/runner-image/Dockerfile with the repository
   * as build context, at deploy time (synth only hashes and stages the sources).
   */
  readonly image?: ecs.ContainerImage;
}

export interface FargateRunnerProps extends FargateRunnerOptions {
  readonly vpc: ec2.IVpc;
  readonly environment: FunctionEnvironment<typeof runnerEnvSchema>;
  readonly extraEnvironment?: Readonly<Record<string, string>>;
  readonly logRetention: logs.RetentionDays;
  readonly logRemovalPolicy: RemovalPolicy;
}

/**
 * The default runner image: an installed package carries the runner prebuilt (runner-image/,
 * made by scripts/build-package.ts); a checkout builds it from the sources it needs, staged alone.
 */
export function runnerImageFromRepository(): ecs.ContainerImage {
  const prebuilt = path.join(REPO_ROOT, 'runner-image');
  if (existsSync(path.join(prebuilt, 'fargate-runner.mjs'))) return ecs.ContainerImage.fromAsset(prebuilt, { platform: Platform.LINUX_ARM64 });
  return ecs.ContainerImage.fromAsset(REPO_ROOT, {
    file: 'infra/runner-image/Dockerfile',
    platform: Platform.LINUX_ARM64,
    ignoreMode: IgnoreMode.DOCKER,
    // An allowlist, so the image hash moves only when runner sources change.
    exclude: ['*', '!package.json', '!package-lock.json', '!tsconfig.json', '!lib', '!functions', '!infra/runner-image', '**/node_modules'],
  });
}

/** ECS cluster and Fargate task definition of the long-running runner. */
export class FargateRunner extends Construct {
  readonly cluster: ecs.Cluster;
  readonly taskDefinition: ecs.FargateTaskDefinition;
  readonly container: ecs.ContainerDefinition;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: FargateRunnerProps) {
    super(scope, id);
    const cpu = props.cpu ?? 1024;
    const memoryLimitMiB = props.memoryLimitMiB ?? 2048;
    const range = FARGATE_SIZES[cpu];
    if (!range || memoryLimitMiB < range[0] || memoryLimitMiB > range[1]) {
      throw new InfraConfigError(`Fargate runner: ${cpu} CPU units with ${memoryLimitMiB} MiB is not a valid Fargate size`);
    }

    this.cluster = new ecs.Cluster(this, 'Cluster', {
      vpc: props.vpc,
      containerInsightsV2: ecs.ContainerInsights.ENABLED,
    });
    this.taskDefinition = new ecs.FargateTaskDefinition(this, 'TaskDefinition', {
      cpu,
      memoryLimitMiB,
      runtimePlatform: {
        cpuArchitecture: ecs.CpuArchitecture.ARM64,
        operatingSystemFamily: ecs.OperatingSystemFamily.LINUX,
      },
    });
    this.logGroup = new logs.LogGroup(this, 'LogGroup', {
      retention: props.logRetention,
      removalPolicy: props.logRemovalPolicy,
    });
    // NODE_OPTIONS here replaces the image's own (source maps) for the runner's flags too.
    const environment = withNodeOptions(
      { ...toEnvironment(runnerEnvSchema, { ...props.environment, AWS_REGION: Stack.of(this).region }, 'container'), ...props.extraEnvironment },
      ['--enable-source-maps', ...RUNNER_NODE_FLAGS],
    );
    this.container = this.taskDefinition.addContainer('Runner', {
      containerName: RUNNER_CONTAINER_NAME,
      image: props.image ?? runnerImageFromRepository(),
      essential: true,
      environment,
      logging: ecs.LogDrivers.awsLogs({ streamPrefix: 'runner', logGroup: this.logGroup }),
      readonlyRootFilesystem: true,
      // SIGTERM on StopTask: the runner commits what is durable and exits within this window.
      stopTimeout: Duration.seconds(120),
    });
    this.taskDefinition.addVolume({ name: 'tmp' });
    this.container.addMountPoints({ containerPath: '/tmp', sourceVolume: 'tmp', readOnly: false });

    acknowledgeRule(
      this.taskDefinition,
      'AwsSolutions-ECS2',
      'The container environment holds only non-secret settings (table name, bootstrap servers, auth mode, the ARN of the SASL secret); credentials are read from Secrets Manager or come from the task role at run time.',
    );
    acknowledgeWildcardResources(
      this.taskDefinition.obtainExecutionRole(),
      ['*'],
      'ecr:GetAuthorizationToken, needed to pull the runner image, does not support resource-level permissions.',
    );
  }
}
