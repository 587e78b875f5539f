/**
 * The synthesized cloud assembly, hosted on this machine: every Lambda function of the
 * template in its own sandbox, the state machine from the template in the local Step
 * Functions, the API function behind an HTTP front that sends API Gateway REST (v1) proxy
 * events, the template's EventBridge rules and alarms wired to their targets, the Fargate
 * runner image's contents as the ECS task, CloudFormation's requests to the custom resources
 * of declared connectors, and one AWS endpoint in front of DynamoDB Local, the local Step
 * Functions and the sandboxes' Lambda Invoke that records every call each principal makes.
 */
import type { ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, rmSync, type WriteStream } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { startHttpServer } from '../../../host/http-server.ts';
import { REPO_ROOT } from './assembly-paths.ts';
import { AwsEndpoint, CallRecorder } from './aws-endpoint.ts';
import { synthesize, type CloudAssembly, type DeclaredConnectorSpec } from './cloud-assembly.ts';
import { CustomResourceDriver } from './custom-resource-driver.ts';
import { REGION, TemplateResolver, type Cfn } from './cfn-template.ts';
import { EventBus, type Alarm, type Rule } from './event-bus.ts';
import { buildRunnerImage, runFargateTask, type FargateStats, type RunnerImage } from './fargate-task.ts';
import { isolateBundle, LambdaSandbox, type LambdaSpec } from './lambda-sandbox.ts';
import { LocalStepFunctions } from './local-step-functions.ts';

export interface AssemblyHostOptions {
  readonly kafkaBootstrap: string;
  readonly dynamoEndpoint: string;
  /** Real milliseconds every Wait state takes (their asked-for seconds count as simulated time). */
  readonly waitMs?: number;
  /** Build the runner image's contents (npm ci + bundle) for the Fargate path. */
  readonly fargate?: boolean;
  /** Connectors the scratch app declares as code (TributaryConnector); their custom resources are not created until the test asks. */
  readonly connectors: readonly DeclaredConnectorSpec[];
}

/** Which function is which, by the construct path CDK records. */
export type FunctionRole = 'api' | 'lifecycle' | 'runner' | 'restarter' | 'connectorResource' | 'connectorProvider';

/** One Lambda Invoke a principal made through the AWS endpoint. */
export interface Invocation {
  readonly principal: string;
  readonly functionArn: string;
  readonly payload: unknown;
}

export interface AssemblyHost {
  readonly assembly: CloudAssembly;
  readonly resolver: TemplateResolver;
  readonly restUrl: string;
  readonly functions: Record<FunctionRole, LambdaSandbox>;
  readonly stepFunctions: LocalStepFunctions;
  readonly bus: EventBus;
  readonly recorder: CallRecorder;
  /** Lambda Invokes made by the functions (not by Step Functions, EventBridge or CloudFormation), in order. */
  readonly invocations: readonly Invocation[];
  /** The REST calls a function made by invoking the API function with proxy events, as `METHOD path`. */
  apiCallsBy(role: FunctionRole): string[];
  readonly customResources: CustomResourceDriver;
  readonly fargate: { stats: FargateStats; running: Set<ChildProcess>; image: Promise<RunnerImage> | undefined };
  /** Principal (role logical id) of each function, of the state machine and of the Fargate task. */
  readonly principals: Record<FunctionRole | 'stateMachine' | 'fargateTask', string>;
  readonly logFile: string;
  stop(): Promise<void>;
}

const ROLE_OF_PATH: [RegExp, FunctionRole][] = [
  [/\/ApiFunction\//, 'api'],
  [/\/LifecycleFunction\//, 'lifecycle'],
  [/\/RunnerFunction\//, 'runner'],
  [/\/RestarterFunction\//, 'restarter'],
  [/\/ConnectorResourceFunction\//, 'connectorResource'],
  [/\/ConnectorProvider\/framework-onEvent\//, 'connectorProvider'],
];

function roleOf(template: CloudAssembly['template'], logicalId: string): FunctionRole | undefined {
  const path = String(template.Resources[logicalId]?.Metadata?.['aws:cdk:path'] ?? '');
  return ROLE_OF_PATH.find(([re]) => re.test(path))?.[1];
}

/** The logical id of the role an `Fn::GetAtt [Role, Arn]` names. */
function roleLogicalId(value: Cfn): string {
  const id = value?.['Fn::GetAtt']?.[0];
  if (typeof id !== 'string') throw new Error(`Not a role reference: ${JSON.stringify(value)}`);
  return id;
}

export async function startAssemblyHost(o: AssemblyHostOptions): Promise<AssemblyHost> {
  const assembly = await synthesize({ connectors: o.connectors });
  const template = assembly.template;
  const work = join(assembly.dir, 'host');
  mkdirSync(work, { recursive: true });
  const logFile = join(work, 'functions.log');
  const log: WriteStream = createWriteStream(logFile);
  const say = (line: string) => log.write(`[assembly] ${line}\n`);

  const probe = new TemplateResolver(template);
  const [tableId] = probe.ofType('AWS::DynamoDB::Table');
  const [machineId] = probe.ofType('AWS::StepFunctions::StateMachine');
  const [taskDefId] = probe.ofType('AWS::ECS::TaskDefinition');
  const [clusterId] = probe.ofType('AWS::ECS::Cluster');
  if (!tableId || !machineId || !taskDefId || !clusterId) throw new Error('The template lacks its table, state machine, cluster or task definition');
  const resolver = new TemplateResolver(template, { [tableId]: `${assembly.stackName}-${tableId}-${Date.now().toString(36)}` });
  const resolve = (v: Cfn) => resolver.resolve(v);

  // The table as the template defines it (keys, indexes, billing), in DynamoDB Local.
  const tableProps = template.Resources[tableId]?.Properties as Cfn;
  const ddb = new DynamoDBClient({ endpoint: o.dynamoEndpoint, region: REGION, credentials: { accessKeyId: 'assembly', secretAccessKey: 'assembly' } });
  await ddb.send(
    new CreateTableCommand({
      TableName: resolver.physicalName(tableId),
      KeySchema: tableProps.KeySchema,
      AttributeDefinitions: tableProps.AttributeDefinitions,
      GlobalSecondaryIndexes: tableProps.GlobalSecondaryIndexes,
      BillingMode: tableProps.BillingMode ?? 'PROVISIONED',
      ...(tableProps.BillingMode === 'PAY_PER_REQUEST' ? {} : { ProvisionedThroughput: tableProps.ProvisionedThroughput }),
    }),
  );
  ddb.destroy();

  const recorder = new CallRecorder();
  // The bus and the endpoint are made after the parts that call them; calls only come later.
  const late: { bus?: EventBus; endpoint?: AwsEndpoint } = {};
  const emit = (event: Record<string, Cfn>) => late.bus?.put(event);
  const metricLine = (line: string) => late.bus?.metricLine(line);

  const machine = template.Resources[machineId]?.Properties as Cfn;
  const substitutions = resolve(machine.DefinitionSubstitutions ?? {}) as Record<string, string>;
  const definition = JSON.parse(String(resolve(machine.DefinitionString)).replace(/\$\{(\w+)\}/g, (m, name: string) => substitutions[name] ?? m)) as Cfn;
  const stateMachineArn = resolver.resolve({ Ref: machineId }) as string;
  const principals = {
    stateMachine: roleLogicalId(machine.RoleArn),
    fargateTask: roleLogicalId(template.Resources[taskDefId]?.Properties?.TaskRoleArn),
  } as AssemblyHost['principals'];

  const functions = {} as Record<FunctionRole, LambdaSandbox>;
  const byArn = new Map<string, LambdaSandbox>();
  const fargateStats: FargateStats = { tasks: 0, taskSeconds: 0, cpuSeconds: 0 };
  const fargateRunning = new Set<ChildProcess>();
  const taskDef = template.Resources[taskDefId]?.Properties as Cfn;
  const container = (taskDef.ContainerDefinitions as Cfn[])[0];
  const image = o.fargate ? buildRunnerImage(join(assembly.dir, imageAssetPath(template, taskDefId, assembly.dir)), work, join(REPO_ROOT, 'infra', 'runner-image', 'Dockerfile')) : undefined;
  image?.catch(() => {});

  const awsEnv = (principal: string): Record<string, string> => ({
    AWS_REGION: REGION,
    AWS_DEFAULT_REGION: REGION,
    // The principal's identity travels in the SigV4 credential scope, where the endpoint reads it.
    AWS_ACCESS_KEY_ID: principal,
    AWS_SECRET_ACCESS_KEY: 'assembly-secret',
    AWS_SESSION_TOKEN: 'assembly-session',
    AWS_ENDPOINT_URL_DYNAMODB: late.endpoint?.url ?? '',
    AWS_ENDPOINT_URL_SFN: late.endpoint?.url ?? '',
    AWS_ENDPOINT_URL_LAMBDA: late.endpoint?.url ?? '',
  });
  /** The template's value, with the Kafka the deployment would be given swapped for the test broker. */
  const swapEndpoints = (env: Record<string, string>) => ('KAFKA_BOOTSTRAP_SERVERS' in env ? { ...env, KAFKA_BOOTSTRAP_SERVERS: o.kafkaBootstrap } : env);

  const stepFunctions = new LocalStepFunctions({
    stateMachineArn,
    roleLogicalId: principals.stateMachine,
    definition,
    waitMs: o.waitMs ?? 100,
    invokeLambda: (arn, payload) => {
      const fn = byArn.get(arn);
      if (!fn) throw Object.assign(new Error(`Function not found: ${arn}`), { name: 'Lambda.ResourceNotFoundException' });
      return fn.invoke(payload);
    },
    runTaskCalls: (params) => [
      { action: 'ecs:RunTask', resource: String(params.TaskDefinition) },
      { action: 'iam:PassRole', resource: resolve(taskDef.TaskRoleArn) as string },
      { action: 'iam:PassRole', resource: resolve(taskDef.ExecutionRoleArn) as string },
    ],
    runTask: (params) => {
      if (!image) throw new Error('This assembly host was started without the Fargate runner image');
      let stop = () => {};
      let stopped = false;
      const result = image.then((img) => {
        const task = runFargateTask(
          {
            image: img,
            clusterArn: String(params.Cluster),
            taskDefinitionArn: String(params.TaskDefinition),
            containerEnv: swapEndpoints(Object.fromEntries((resolve(container.Environment) as { Name: string; Value: string }[]).map((e) => [e.Name, e.Value]))),
            runtimeEnv: awsEnv(principals.fargateTask),
            log,
            onStdoutLine: metricLine,
            emit,
          },
          params,
          fargateStats,
          fargateRunning,
        );
        stop = task.stop;
        if (stopped) task.stop();
        return task.result;
      });
      return {
        result,
        stop: () => {
          stopped = true;
          recorder.record({ principal: principals.stateMachine, action: 'ecs:StopTask', resource: `${String(params.Cluster).replace(':cluster/', ':task/')}/*` });
          stop();
        },
      };
    },
    emit,
    record: (call) => recorder.record(call),
  });
  const invocations: Invocation[] = [];
  const arnByName = new Map<string, string>();
  const endpoint = new AwsEndpoint(o.dynamoEndpoint, stepFunctions.api, recorder, {
    arnOf: (name) => (byArn.has(name) ? name : arnByName.get(name)),
    invoke: (arn, payload, principal) => {
      invocations.push({ principal, functionArn: arn, payload });
      return (byArn.get(arn) as LambdaSandbox).invoke(payload);
    },
  });
  late.endpoint = endpoint;
  await endpoint.start();
  const customResources = new CustomResourceDriver(
    resolver,
    (arn, event) => {
      const fn = byArn.get(arn);
      return fn ? fn.invoke(event) : Promise.reject(new Error(`Function not found: ${arn}`));
    },
    work,
  );
  await customResources.start();

  const root = join(work, 'functions');
  for (const id of resolver.ofType('AWS::Lambda::Function')) {
    const role = roleOf(template, id);
    const r = template.Resources[id] as Cfn;
    const p = r.Properties;
    if (!role) throw new Error(`Function ${id} has no known role in the assembly test`);
    const spec: LambdaSpec = {
      logicalId: id,
      name: resolver.physicalName(id),
      arn: resolve({ 'Fn::GetAtt': [id, 'Arn'] }) as string,
      assetDir: join(assembly.dir, String(r.Metadata?.['aws:asset:path'])),
      handler: p.Handler,
      runtime: p.Runtime,
      memoryMb: Number(p.MemorySize ?? 128),
      timeoutSeconds: Number(p.Timeout ?? 3),
      environment: swapEndpoints(resolve(p.Environment?.Variables ?? {}) as Record<string, string>),
    };
    const principal = roleLogicalId(p.Role);
    principals[role] = principal;
    // The framework PUTs its response to the driver's ResponseURL, whose certificate is this run's own.
    const trust: Record<string, string> = role === 'connectorProvider' ? { NODE_EXTRA_CA_CERTS: customResources.caFile } : {};
    const sandbox = new LambdaSandbox(spec, isolateBundle(spec, root), { ...awsEnv(principal), ...trust }, log, metricLine);
    functions[role] = sandbox;
    byArn.set(spec.arn, sandbox);
    arnByName.set(spec.name, spec.arn);
  }
  const missing = ROLE_OF_PATH.map(([, role]) => role).filter((role) => !functions[role]);
  if (missing.length) throw new Error(`The template has no ${missing.join(', ')} function (the connectors' custom resource needs a declared connector)`);

  const rules: Rule[] = resolver.ofType('AWS::Events::Rule').map((id) => {
    const p = resolve(template.Resources[id]?.Properties) as Cfn;
    return { logicalId: id, pattern: p.EventPattern, schedule: p.ScheduleExpression, targets: (p.Targets as { Arn: string }[]).map((t) => t.Arn) };
  });
  const alarms: Alarm[] = resolver.ofType('AWS::CloudWatch::Alarm').map((id) => {
    const p = resolve(template.Resources[id]?.Properties) as Cfn;
    return { arn: resolve({ 'Fn::GetAtt': [id, 'Arn'] }) as string, namespace: p.Namespace, metric: p.MetricName, threshold: Number(p.Threshold), comparison: p.ComparisonOperator };
  });
  const bus = new EventBus(
    rules,
    alarms,
    (arn, event) => {
      const fn = byArn.get(arn);
      if (!fn) return Promise.reject(new Error(`No function ${arn}`));
      return fn.invoke(event);
    },
    say,
  );
  late.bus = bus;

  const api = functions.api;
  const server: Server = await startHttpServer({ host: '127.0.0.1', port: 0, handler: (event) => api.invoke(event) as never });
  const restUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    assembly,
    resolver,
    restUrl,
    functions,
    stepFunctions,
    bus,
    recorder,
    invocations,
    apiCallsBy: (role) =>
      invocations
        .filter((i) => i.principal === principals[role] && i.functionArn === functions.api.spec.arn)
        .map((i) => `${(i.payload as { httpMethod: string }).httpMethod} ${(i.payload as { path: string }).path}`),
    customResources,
    fargate: { stats: fargateStats, running: fargateRunning, image },
    principals,
    logFile,
    stop: async () => {
      stepFunctions.close();
      for (const c of fargateRunning) c.kill('SIGKILL');
      await new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      });
      await Promise.all(Object.values(functions).map((f) => f.stop()));
      await endpoint.stop();
      await customResources.stop();
      await image?.catch(() => undefined);
      log.end();
      // TRIBUTARY_KEEP_ASSEMBLY=1 keeps the synthesized assembly and the functions' log for a look.
      if (process.env.TRIBUTARY_KEEP_ASSEMBLY !== '1') rmSync(assembly.dir, { recursive: true, force: true });
    },
  };
}

/** The Docker build context CDK staged for the task definition's image. */
function imageAssetPath(template: CloudAssembly['template'], taskDefId: string, dir: string): string {
  const image = JSON.stringify(template.Resources[taskDefId]?.Properties?.ContainerDefinitions?.[0]?.Image ?? '');
  const hash = /:([0-9a-f]{64})/.exec(image)?.[1];
  if (!hash) throw new Error(`The runner image of ${dir} is not a CDK asset`);
  return `asset.${hash}`;
}
