/**
 * The Fargate runner for the assembly: the image's contents built by the same script the
 * Dockerfile's build stage runs (infra/runner-image/build-runner.sh), on the build context
 * CDK staged into the cloud assembly, and only its output — no node_modules, as in the final
 * image stage — run in an isolated directory as the container's command, with the task
 * definition's environment, the state machine's container overrides, and the task role.
 * When the process ends, ECS's "Task State Change" STOPPED event goes to the event bus.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, symlinkSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { cacheDir } from '../../../host/local-paths.ts';
import { ACCOUNT, REGION, type Cfn } from './cfn-template.ts';
import { nodeBinaryFor } from './lambda-sandbox.ts';

const run = promisify(execFile);

export interface RunnerImage {
  /** The isolated directory holding what the final image stage copies to its WORKDIR. */
  readonly appDir: string;
  readonly cmd: string[];
  readonly env: Record<string, string>;
}

/** The final stage of the Dockerfile: its ENV, and its CMD (exec form). */
function finalStage(dockerfile: string): { cmd: string[]; env: Record<string, string> } {
  const text = readFileSync(dockerfile, 'utf8').replace(/\\\n\s*/g, ' ');
  const stages = text.split(/^FROM /m);
  const last = stages[stages.length - 1] ?? '';
  const env: Record<string, string> = {};
  for (const m of last.matchAll(/^ENV (.+)$/gm)) for (const kv of (m[1] ?? '').matchAll(/(\w+)=(\S+)/g)) env[kv[1] as string] = kv[2] as string;
  const cmd = /^CMD (\[.*\])$/m.exec(last)?.[1];
  if (!cmd) throw new Error('The runner Dockerfile has no exec-form CMD');
  return { cmd: JSON.parse(cmd) as string[], env };
}

const SCRIPT = 'infra/runner-image/build-runner.sh';

/**
 * The script's `install` step (npm ci --ignore-scripts) on the context's package files, kept
 * per lock-file hash under ~/.cache/tributary as Docker keeps that layer: the install step
 * depends on nothing else, and a fresh one takes most of a minute.
 */
async function installedDependencies(contextDir: string): Promise<string> {
  const files = ['package.json', 'package-lock.json'];
  const hash = createHash('sha256');
  for (const f of [...files, SCRIPT]) hash.update(readFileSync(join(contextDir, f)));
  const dir = join(cacheDir(), 'runner-image-deps', hash.digest('hex').slice(0, 16));
  if (existsSync(join(dir, 'node_modules', '.package-lock.json'))) return join(dir, 'node_modules');
  mkdirSync(join(cacheDir(), 'runner-image-deps'), { recursive: true });
  const staging = mkdtempSync(join(cacheDir(), 'runner-image-deps', 'staging-'));
  for (const f of [...files, SCRIPT]) cpSync(join(contextDir, f), join(staging, f));
  await run('sh', [SCRIPT, 'install'], { cwd: staging, maxBuffer: 16 * 1024 * 1024, env: { ...process.env, npm_config_prefer_offline: 'true' } });
  mkdirSync(join(dir, '..'), { recursive: true });
  try {
    renameSync(staging, dir);
  } catch {
    rmSync(staging, { recursive: true, force: true }); // another run cached it first
  }
  return join(dir, 'node_modules');
}

/** Builds the image's contents from the staged build context (cdk.out/asset.<hash>). */
export async function buildRunnerImage(contextDir: string, workDir: string, dockerfile: string): Promise<RunnerImage> {
  const build = join(workDir, 'build');
  cpSync(contextDir, build, { recursive: true });
  symlinkSync(await installedDependencies(contextDir), join(build, 'node_modules'), 'dir');
  await run('sh', [SCRIPT, 'bundle', 'dist'], { cwd: build, maxBuffer: 16 * 1024 * 1024 });
  const appDir = mkdtempSync(join(workDir, 'app-'));
  cpSync(join(build, 'dist'), appDir, { recursive: true });
  return { appDir, ...finalStage(dockerfile) };
}

export interface FargateTaskOptions {
  readonly image: RunnerImage;
  readonly clusterArn: string;
  readonly taskDefinitionArn: string;
  /** The container definition's Environment, resolved. */
  readonly containerEnv: Record<string, string>;
  /** The task role's credentials and this run's endpoints. */
  readonly runtimeEnv: Record<string, string>;
  readonly log: WriteStream;
  readonly onStdoutLine: (line: string) => void;
  readonly emit: (event: Record<string, Cfn>) => void;
}

export interface FargateStats {
  tasks: number;
  /** Wall-clock task seconds (Fargate bills from image pull to stop; this counts process time). */
  taskSeconds: number;
  /** CPU seconds the runner processes used, to size a task for a throughput. */
  cpuSeconds: number;
}

let taskSeq = 0;

/** Runs one task until its process exits; `stop()` is ECS StopTask (SIGTERM). */
export function runFargateTask(o: FargateTaskOptions, params: Record<string, Cfn>, stats: FargateStats, running: Set<ChildProcess>): { result: Promise<unknown>; stop(): void } {
  const overrides = ((params.Overrides?.ContainerOverrides ?? []) as { Environment?: { Name: string; Value: string }[] }[]).flatMap((c) => c.Environment ?? []);
  const taskId = `${Date.now().toString(16)}${(++taskSeq).toString(16).padStart(8, '0')}`;
  const taskArn = `arn:aws:ecs:${REGION}:${ACCOUNT}:task/${o.clusterArn.split('/').pop()}/${taskId}`;
  const [command, ...args] = o.image.cmd;
  const node = command === 'node' ? nodeBinaryFor('nodejs24.x') : String(command);
  const started = performance.now();
  const child = spawn(node, args, {
    cwd: o.image.appDir,
    env: {
      ...o.image.env,
      ...o.containerEnv,
      ...Object.fromEntries(overrides.map((e) => [e.Name, e.Value])),
      ...o.runtimeEnv,
      PATH: '/usr/local/bin:/usr/bin:/bin',
      HOME: '/tmp',
      AWS_EXECUTION_ENV: 'AWS_ECS_FARGATE',
      ECS_CONTAINER_METADATA_URI_V4: `http://169.254.170.2/v4/${taskId}`,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  stats.tasks++;
  running.add(child);
  let pending = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    o.log.write(chunk);
    pending += chunk.toString('utf8');
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) o.onStdoutLine(line);
  });
  child.stderr?.on('data', (chunk: Buffer) => o.log.write(chunk));
  let stopReason: string | undefined;
  let cpu = 0;
  const sampler = setInterval(() => (cpu = cpuSecondsOf(child.pid ?? 0) || cpu), 500);
  const result = new Promise<unknown>((resolve, reject) => {
    child.once('exit', (code, signal) => {
      running.delete(child);
      clearInterval(sampler);
      stats.cpuSeconds += cpu;
      stats.taskSeconds += (performance.now() - started) / 1000;
      const exitCode = code ?? 137;
      o.emit({
        version: '0',
        source: 'aws.ecs',
        'detail-type': 'ECS Task State Change',
        account: ACCOUNT,
        region: REGION,
        time: new Date().toISOString(),
        resources: [taskArn],
        detail: { clusterArn: o.clusterArn, taskArn, taskDefinitionArn: o.taskDefinitionArn, lastStatus: 'STOPPED', desiredStatus: 'STOPPED', stoppedReason: stopReason ?? `Essential container in task exited`, containers: [{ name: 'runner', exitCode, lastStatus: 'STOPPED' }] },
      });
      if (exitCode === 0) resolve({ TaskArn: taskArn, LastStatus: 'STOPPED', Containers: [{ ExitCode: 0 }] });
      else reject(Object.assign(new Error(JSON.stringify({ taskArn, exitCode, signal })), { name: 'States.TaskFailed' }));
    });
  });
  const stop = () => {
    stopReason = 'Task stopped by Step Functions (StopTask)';
    child.kill('SIGTERM');
  };
  return { result, stop };
}

/** CPU seconds a process used so far (Linux /proc), for the cost measurement. */
export function cpuSecondsOf(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}
