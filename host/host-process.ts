/**
 * Runs Tributary's local host as a separate process, as `npm start` does, against a given
 * broker and DynamoDB Local, so tests and benchmarks can stop it with SIGTERM or kill it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { projectRoot } from './local-paths.ts';
import { freePort } from './net-probe.ts';

export interface HostProcess {
  readonly restUrl: string;
  readonly port: number;
  readonly child: ChildProcess;
  output(): string;
  /** Sends a signal and waits for the host to exit. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export interface HostSettings {
  readonly kafkaBootstrap: string;
  readonly dynamoEndpoint: string;
  readonly dataDir: string;
  readonly tableName?: string;
  readonly port?: number;
  readonly env?: Record<string, string>;
}

export async function startHostProcess(s: HostSettings): Promise<HostProcess> {
  const port = s.port ?? (await freePort());
  let out = '';
  const child = spawn(process.execPath, ['--disable-warning=TimeoutNegativeWarning', join(projectRoot, 'cli', 'tributary.mjs'), 'start'], {
    cwd: projectRoot,
    env: {
      ...process.env,
      KAFKA_BOOTSTRAP_SERVERS: s.kafkaBootstrap,
      DYNAMODB_ENDPOINT: s.dynamoEndpoint,
      TRIBUTARY_DATA_DIR: s.dataDir,
      TRIBUTARY_PORT: String(port),
      TABLE_NAME: s.tableName ?? 'tributary',
      ...s.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Host did not start within 90 s:\n${out}`)), 90_000);
    const check = setInterval(() => {
      if (out.includes('Ready.')) {
        clearTimeout(timer);
        clearInterval(check);
        resolve();
      }
    }, 100);
    void exited.then((code) => {
      clearTimeout(timer);
      clearInterval(check);
      reject(new Error(`Host exited (${code}) before it was ready:\n${out}`));
    });
  });
  return {
    restUrl: `http://127.0.0.1:${port}`,
    port,
    child,
    output: () => out,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}
