/**
 * The one Lambda construct every Tributary function uses: it fixes runtime, architecture,
 * JSON logging, tracing and log retention, builds a role with only what the function needs
 * to run (its log group, X-Ray, VPC ENIs), and types `environment` from the handler's zod
 * schema so a missing variable is a compile error.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as path from 'node:path';
import { Duration, RemovalPolicy, Token } from 'aws-cdk-lib';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { z } from 'zod';
import type { EnvInput } from '../../lib/config/function-env.ts';
import { InfraConfigError } from '../errors.ts';
import { acknowledgeWildcardResources } from './nag-acknowledgments.ts';

/** The repository root: entry points, the lock file and tsconfig are resolved from here. */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The runtime of every function; nodejs24.x is the newest Lambda offers (AwsSolutions-L1). */
export const FUNCTION_RUNTIME = lambda.Runtime.NODEJS_24_X;

export type LogLevel = 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';

/** CloudFormation metadata key naming a function's entry point (e.g. `functions/api-handler.ts`). */
export const ENTRY_METADATA = 'tributary:entry';

/**
 * The variables a function must be given, from its zod schema: every key of EnvInput, and
 * the keys the schema marks optional (or defaulted) may be left undefined.
 * EnvInput alone maps with `-?`, which also strips `undefined` from each value type, so it
 * would demand a value for DYNAMODB_ENDPOINT or AWS_REGION; this keeps its key set and
 * restores optionality per key.
 */
export type FunctionEnvironment<S extends z.ZodTypeAny> = {
  [K in keyof EnvInput<S>]: undefined extends z.input<S>[K & keyof z.input<S>] ? string | undefined : EnvInput<S>[K];
};

/** Variables Lambda sets itself; setting them fails the deployment. */
const RESERVED_ENV = new Set(['AWS_REGION', 'AWS_DEFAULT_REGION', 'AWS_LAMBDA_FUNCTION_NAME', 'AWS_EXECUTION_ENV']);

export interface TributaryFunctionProps<S extends z.ZodTypeAny> {
  /** Entry file relative to the repository root, e.g. `functions/api-handler.ts`. */
  readonly entry: string;
  /** The handler's environment schema; values that are not tokens are checked against it at synth. */
  readonly envSchema: S;
  readonly environment: FunctionEnvironment<S>;
  /** Settings outside the handler's own schema, such as Powertools' service name. */
  readonly extraEnvironment?: Readonly<Record<string, string>>;
  readonly description: string;
  readonly timeout: Duration;
  readonly memorySize: number;
  readonly logLevel: LogLevel;
  readonly logRetention: logs.RetentionDays;
  readonly logRemovalPolicy: RemovalPolicy;
  /** Set for functions that talk to Kafka: they run in the VPC that reaches the brokers. */
  readonly vpc?: ec2.IVpc;
  readonly vpcSubnets?: ec2.SubnetSelection;
  readonly securityGroups?: ec2.ISecurityGroup[];
  /**
   * Prebuilt code instead of bundling `entry` with esbuild (handler `index.handler`).
   * Tests pass `Code.fromInline` so they do not depend on the function sources.
   */
  readonly code?: lambda.Code;
  /** Node flags for NODE_OPTIONS, after `--enable-source-maps` (see lib/runtime/runner-node-flags.ts). */
  readonly nodeFlags?: readonly string[];
}

/** A Node.js Lambda function with Tributary's defaults. */
export class TributaryFunction<S extends z.ZodTypeAny> extends Construct {
  readonly fn: lambda.Function;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: TributaryFunctionProps<S>) {
    super(scope, id);
    const environment = { ...toEnvironment(props.envSchema, props.environment, 'lambda'), ...props.extraEnvironment };

    this.logGroup = new logs.LogGroup(this, 'LogGroup', {
      retention: props.logRetention,
      removalPolicy: props.logRemovalPolicy,
    });
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of ${props.description}`,
    });
    this.logGroup.grantWrite(this.role);
    if (props.vpc) {
      this.role.addToPolicy(
        // Hyperplane ENI management for a VPC function; the ENI ids are created by Lambda at
        // run time, so these EC2 actions cannot name a resource (same as the AWS managed
        // AWSLambdaVPCAccessExecutionRole, without attaching a managed policy).
        new iam.PolicyStatement({
          actions: [
            'ec2:CreateNetworkInterface',
            'ec2:DescribeNetworkInterfaces',
            'ec2:DescribeSubnets',
            'ec2:DeleteNetworkInterface',
            'ec2:AssignPrivateIpAddresses',
            'ec2:UnassignPrivateIpAddresses',
          ],
          resources: ['*'],
        }),
      );
    }

    const common: lambda.FunctionOptions = {
      description: props.description,
      architecture: lambda.Architecture.ARM_64,
      timeout: props.timeout,
      memorySize: props.memorySize,
      role: this.role,
      // Bundles built here carry source maps; code passed in (tests' inline stubs) has none.
      environment: withNodeOptions(environment, [...(props.code ? [] : ['--enable-source-maps']), ...(props.nodeFlags ?? [])]),
      tracing: lambda.Tracing.ACTIVE,
      loggingFormat: lambda.LoggingFormat.JSON,
      applicationLogLevelV2: lambda.ApplicationLogLevel[props.logLevel],
      systemLogLevelV2: lambda.SystemLogLevel.WARN,
      logGroup: this.logGroup,
      vpc: props.vpc,
      vpcSubnets: props.vpc ? props.vpcSubnets : undefined,
      securityGroups: props.vpc ? props.securityGroups : undefined,
    };

    // An installed package carries each function prebundled (bundles/<entry>/, made by
    // scripts/build-package.ts from this very construct's output); a checkout bundles the sources.
    const prebuilt = path.join(REPO_ROOT, 'bundles', path.basename(props.entry, '.ts'));
    const code = props.code ?? (existsSync(prebuilt) ? lambda.Code.fromAsset(prebuilt) : undefined);
    this.fn = code
      ? new lambda.Function(this, 'Function', { ...common, runtime: FUNCTION_RUNTIME, code, handler: 'index.handler' })
      : new nodejs.NodejsFunction(this, 'Function', {
          ...common,
          runtime: FUNCTION_RUNTIME,
          entry: path.join(REPO_ROOT, props.entry),
          handler: 'handler',
          projectRoot: REPO_ROOT,
          depsLockFilePath: path.join(REPO_ROOT, 'package-lock.json'),
          bundling: {
            format: nodejs.OutputFormat.ESM,
            mainFields: ['module', 'main'],
            // pg, mysql2 and some of their dependencies are CommonJS and call require(); ESM output needs one.
            banner:
              "import { createRequire as __tributaryCreateRequire } from 'node:module'; const require = __tributaryCreateRequire(import.meta.url);",
            minify: true,
            sourceMap: true,
            tsconfig: path.join(REPO_ROOT, 'tsconfig.json'),
            // The runtime ships SDK v3; pg-native is an optional peer of pg that is never installed.
            externalModules: ['@aws-sdk/*', 'pg-native'],
            // The Kafka client's WebAssembly helpers, inlined: their default entry reads a .wasm
            // file next to itself, which a bundle does not have.
            esbuildArgs: { '--alias:@platformatic/wasm-utils': '@platformatic/wasm-utils/bundled' },
          },
        });

    // Which entry point this function runs: the package build and the assembly test read it back.
    (this.fn.node.defaultChild as lambda.CfnFunction).addMetadata(ENTRY_METADATA, props.entry);

    acknowledgeWildcardResources(
      this.role,
      ['*'],
      'X-Ray PutTraceSegments/PutTelemetryRecords (active tracing) and the Lambda VPC ENI actions do not support resource-level permissions; every other statement of this role names its resource.',
    );
  }
}

/** The environment with NODE_OPTIONS set to these flags, if there are any. */
export function withNodeOptions(environment: Record<string, string>, flags: readonly string[]): Record<string, string> {
  return flags.length ? { ...environment, NODE_OPTIONS: flags.join(' ') } : environment;
}

/**
 * Turns a typed environment into variables: drops unset optional keys, refuses keys Lambda
 * reserves, and checks every literal value against the handler's schema.
 */
export function toEnvironment<S extends z.ZodTypeAny>(schema: S, env: FunctionEnvironment<S>, host: 'lambda' | 'container'): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(env as Record<string, string | undefined>)) {
    if (value === undefined) continue;
    if (host === 'lambda' && RESERVED_ENV.has(key)) {
      throw new InfraConfigError(`${key} is set by Lambda itself and must not be configured`);
    }
    out[key] = value;
  }
  const result = schema.safeParse(out);
  if (!result.success) {
    const problems = result.error.issues.filter((issue) => {
      const key = issue.path[0];
      const value = typeof key === 'string' ? out[key] : undefined;
      return value === undefined || !Token.isUnresolved(value);
    });
    if (problems.length > 0) {
      const text = problems.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
      throw new InfraConfigError(`Invalid function environment: ${text}`);
    }
  }
  return out;
}
