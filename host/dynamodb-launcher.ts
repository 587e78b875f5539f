/** The local store: DynamoDB Local resolved from Maven Central, or the endpoint named by DYNAMODB_ENDPOINT. */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { startJavaProcess } from './java-process.ts';
import { DYNAMODB_LOCAL, resolveJars } from './maven-resolver.ts';
import { isPortOpen } from './net-probe.ts';

export interface DynamoEndpoint {
  readonly endpoint: string;
  readonly origin: 'started' | 'reused' | 'external';
  stop(): Promise<void>;
}

/**
 * DynamoDB Local runs on the laptop's cores beside the broker and the runners, and what counts
 * there is CPU per request, not peak speed: the client compiler alone (C1) and the serial
 * collector. With the JVM's defaults, its optimizing compiler threads made the first few
 * hundred requests cost 3–8 ms of CPU each; the first 800 lease reads took 3.1 s of CPU, 1.1 s
 * with these (about 0.9 ms each once warm, against 1.9–3). A busy source checks its lease at
 * every commit, so in the benchmark a fresh DynamoDB Local took ~0.7 of a core from the task
 * and the broker.
 */
const DYNAMODB_LOCAL_JIT = ['-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC'];

export async function ensureDynamoDb(o: { dataDir: string; port?: number; log?: (line: string) => void; env?: NodeJS.ProcessEnv }): Promise<DynamoEndpoint> {
  const env = o.env ?? process.env;
  const noop = async () => {};
  if (env.DYNAMODB_ENDPOINT) return { endpoint: env.DYNAMODB_ENDPOINT, origin: 'external', stop: noop };
  const port = o.port ?? 8000;
  const endpoint = `http://127.0.0.1:${port}`;
  if (await isPortOpen(port)) return { endpoint, origin: 'reused', stop: noop };
  const jars = await resolveJars(DYNAMODB_LOCAL, o.log);
  const dir = join(o.dataDir, 'dynamodb');
  mkdirSync(dir, { recursive: true });
  o.log?.(`Starting DynamoDB Local 2.6.1 on ${endpoint}...`);
  const proc = await startJavaProcess({
    name: 'DynamoDB Local',
    classpath: `${jars}/*`,
    mainClass: 'com.amazonaws.services.dynamodbv2.local.main.ServerRunner',
    args: ['-port', String(port), '-dbPath', dir, '-sharedDb'],
    jvmOptions: ['-Xms64m', '-Xmx384m', ...DYNAMODB_LOCAL_JIT, `-Djava.library.path=${jars}`],
    logFile: join(dir, 'dynamodb.out'),
    port,
  });
  return { endpoint, origin: 'started', stop: () => proc.stop() };
}
