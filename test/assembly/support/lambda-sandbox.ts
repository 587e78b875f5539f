/**
 * One Lambda function of the synthesized assembly, run as Lambda runs it: its bundle copied
 * into an isolated task root that holds only what the Node.js runtime provides (the AWS SDK
 * v3), each execution environment a Node process of the runtime's major version with the
 * function's environment and `--max-old-space-size` from its MemorySize, one invocation at a
 * time per environment, warm environments reused, and an invocation that overruns Timeout
 * killed and reported as "Task timed out after N.00 seconds".
 */
import { fork, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, symlinkSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './assembly-paths.ts';

export interface LambdaSpec {
  readonly logicalId: string;
  readonly name: string;
  readonly arn: string;
  /** The bundle directory in the cloud assembly (cdk.out/asset.*). */
  readonly assetDir: string;
  readonly handler: string;
  readonly runtime: string;
  readonly memoryMb: number;
  readonly timeoutSeconds: number;
  readonly environment: Record<string, string>;
}

/** A failed invocation, named as Lambda names its error types (Step Functions matches on the name). */
export class LambdaInvokeError extends Error {
  constructor(
    readonly errorType: string,
    readonly errorMessage: string,
    readonly trace: string[] = [],
  ) {
    super(JSON.stringify({ errorType, errorMessage, trace }));
    this.name = errorType;
  }
}

interface Environment {
  readonly id: string;
  readonly child: ChildProcess;
  ready: Promise<number>;
  busy: { event: unknown; id: number } | undefined;
  exited: boolean;
}

export interface LambdaStats {
  invocations: number;
  coldStarts: number;
  errors: number;
  timeouts: number;
  /** Lambda bills init and invocation time, each rounded up to the millisecond. */
  billedMs: number;
}

/** The runtime's Node binary: the project's `node` dev dependency (Node 24) for nodejs24.x. */
export function nodeBinaryFor(runtime: string): string {
  const major = /^nodejs(\d+)\.x$/.exec(runtime)?.[1];
  const bin = join(REPO_ROOT, 'node_modules', 'node', 'bin', 'node');
  if (major !== '24') throw new Error(`The assembly test has Node 24 only; the template asks for ${runtime}`);
  return bin;
}

/** Builds the isolated task root: the bundle's files and a node_modules holding only @aws-sdk/*. */
export function isolateBundle(spec: LambdaSpec, root: string): string {
  const taskRoot = join(root, spec.name);
  mkdirSync(taskRoot, { recursive: true });
  cpSync(spec.assetDir, taskRoot, { recursive: true });
  const sdkDir = join(taskRoot, 'node_modules', '@aws-sdk');
  mkdirSync(sdkDir, { recursive: true });
  const repoSdk = join(REPO_ROOT, 'node_modules', '@aws-sdk');
  for (const pkg of readdirSync(repoSdk)) if (!existsSync(join(sdkDir, pkg))) symlinkSync(join(repoSdk, pkg), join(sdkDir, pkg), 'dir');
  return taskRoot;
}

export class LambdaSandbox {
  readonly stats: LambdaStats = { invocations: 0, coldStarts: 0, errors: 0, timeouts: 0, billedMs: 0 };
  private readonly environments: Environment[] = [];
  private seq = 0;
  private closed = false;

  constructor(
    readonly spec: LambdaSpec,
    private readonly taskRoot: string,
    /** The execution role's credentials and the endpoints of this run, added to the template's Environment. */
    private readonly runtimeEnv: Record<string, string>,
    private readonly log: WriteStream,
    private readonly onStdoutLine: (line: string) => void = () => {},
  ) {}

  /** Environments serving an invocation now, with the event each serves. */
  busy(): { pid: number; event: unknown }[] {
    return this.environments.filter((e) => e.busy && !e.exited).map((e) => ({ pid: e.child.pid ?? 0, event: e.busy?.event }));
  }

  /** Starts an execution environment and waits for its init (the handler module loaded), as provisioned concurrency does. */
  async warm(): Promise<number> {
    const env = this.start();
    const initMs = await env.ready;
    this.stats.billedMs += Math.ceil(initMs);
    env.ready = Promise.resolve(0);
    return initMs;
  }

  async invoke(event: unknown): Promise<unknown> {
    if (this.closed) throw new LambdaInvokeError('Lambda.ServiceException', 'the assembly is shutting down');
    const env = this.environments.find((e) => !e.busy && !e.exited) ?? this.start();
    const id = ++this.seq;
    env.busy = { event, id };
    this.stats.invocations++;
    try {
      const initMs = await env.ready;
      this.stats.billedMs += Math.ceil(initMs);
      env.ready = Promise.resolve(0);
      return await this.run(env, id, event);
    } catch (e) {
      this.stats.errors++;
      throw e;
    } finally {
      env.busy = undefined;
    }
  }

  private run(env: Environment, id: number, event: unknown): Promise<unknown> {
    const timeoutMs = this.spec.timeoutSeconds * 1000;
    const started = performance.now();
    return new Promise((resolve, reject) => {
      const done = (fn: () => void) => {
        clearTimeout(timer);
        env.child.off('message', onMessage);
        env.child.off('exit', onExit);
        this.stats.billedMs += Math.ceil(performance.now() - started);
        fn();
      };
      const timer = setTimeout(() => {
        this.stats.timeouts++;
        env.child.kill('SIGKILL');
        done(() => reject(new LambdaInvokeError('Sandbox.Timedout', `Task timed out after ${this.spec.timeoutSeconds.toFixed(2)} seconds`)));
      }, timeoutMs);
      const onMessage = (m: { type: string; id?: number; result?: unknown; error?: { errorType: string; errorMessage: string; trace: string[] } }) => {
        if (m.id !== id) return;
        if (m.type === 'result') done(() => resolve(m.result));
        else done(() => reject(new LambdaInvokeError(m.error?.errorType ?? 'Error', m.error?.errorMessage ?? '', m.error?.trace)));
      };
      const onExit = (code: number | null, signal: string | null) =>
        done(() => reject(new LambdaInvokeError('Runtime.ExitError', `RequestId: ${id} Error: Runtime exited ${signal ? `with signal: ${signal}` : `with error: exit status ${code}`}`)));
      env.child.on('message', onMessage);
      env.child.once('exit', onExit);
      env.child.send({ type: 'invoke', id, event, deadline: Date.now() + timeoutMs, requestId: randomUUID() });
    });
  }

  private start(): Environment {
    const id = randomUUID().replaceAll('-', '');
    const child = fork(join(REPO_ROOT, 'test', 'assembly', 'support', 'lambda-bootstrap.ts'), [this.taskRoot, this.spec.handler], {
      execPath: nodeBinaryFor(this.spec.runtime),
      execArgv: [`--max-old-space-size=${this.spec.memoryMb}`, '--disable-warning=ExperimentalWarning'],
      cwd: this.taskRoot,
      // Only the template's variables and what Lambda itself sets: nothing leaks from the test process.
      env: {
        ...this.spec.environment,
        ...this.runtimeEnv,
        PATH: '/usr/local/bin:/usr/bin:/bin',
        LANG: 'en_US.UTF-8',
        TZ: ':UTC',
        LAMBDA_TASK_ROOT: this.taskRoot,
        AWS_EXECUTION_ENV: `AWS_Lambda_${this.spec.runtime}`,
        AWS_LAMBDA_FUNCTION_NAME: this.spec.name,
        AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
        AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(this.spec.memoryMb),
        AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${this.spec.name}`,
        AWS_LAMBDA_LOG_STREAM_NAME: `2026/01/01/[$LATEST]${id}`,
        TRIBUTARY_ASSEMBLY_FUNCTION_ARN: this.spec.arn,
      },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    let pending = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      this.log.write(chunk);
      pending += chunk.toString('utf8');
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) this.onStdoutLine(line);
    });
    child.stderr?.on('data', (chunk: Buffer) => this.log.write(chunk));
    this.stats.coldStarts++;
    const env: Environment = {
      id,
      child,
      busy: undefined,
      exited: false,
      ready: new Promise<number>((resolve, reject) => {
        child.on('message', (m: { type: string; initMs?: number; error?: { errorType: string; errorMessage: string; trace: string[] } }) => {
          if (m.type === 'ready') resolve(m.initMs ?? 0);
          if (m.type === 'init-error') reject(new LambdaInvokeError(m.error?.errorType ?? 'Runtime.ImportModuleError', m.error?.errorMessage ?? '', m.error?.trace));
        });
        child.once('exit', (code, signal) => reject(new LambdaInvokeError('Runtime.ExitError', `Runtime exited during init (${signal ?? code})`)));
      }),
    };
    env.ready.catch(() => {});
    child.once('exit', () => {
      env.exited = true;
      const i = this.environments.indexOf(env);
      if (i >= 0) this.environments.splice(i, 1);
    });
    this.environments.push(env);
    return env;
  }

  /** Freezes nothing, kills everything: the end of the run. */
  async stop(): Promise<void> {
    this.closed = true;
    await Promise.all(
      this.environments.map(
        (e) =>
          new Promise<void>((resolve) => {
            if (e.exited) return resolve();
            e.child.once('exit', () => resolve());
            e.child.kill('SIGKILL');
          }),
      ),
    );
  }
}
