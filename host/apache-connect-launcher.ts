/**
 * Real Apache Kafka Connect 4.1.1 in distributed mode, from the jars the local host already
 * resolves for the broker (connect-runtime, connect-json and connect-file come with them).
 * Differential tests and benchmarks run Tributary against it on the same broker.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startJavaProcess } from './java-process.ts';
import { KAFKA_BROKER, resolveJars } from './maven-resolver.ts';

/** Apache Connect did not start, or did not become ready in time. */
export class ApacheConnectError extends Error {
  override readonly name = 'ApacheConnectError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** What makes two workers members of the same Connect cluster; pass it again to start a replacement. */
export interface ConnectClusterIdentity {
  readonly groupId: string;
  readonly configTopic: string;
  readonly offsetTopic: string;
  readonly statusTopic: string;
}

export interface ApacheConnectOptions {
  readonly bootstrapServers: string;
  /** Folder for the worker properties, log4j2 config and logs. */
  readonly workDir: string;
  /** REST port; default 18083. */
  readonly port?: number;
  /** Join an existing cluster (same group and storage topics); default a new unique one. */
  readonly cluster?: ConnectClusterIdentity;
  /** Connect's own default is 60000; its sample connect-distributed.properties uses 10000. */
  readonly offsetFlushIntervalMs?: number;
  /** JVM heap limit; default `2g`, as connect-distributed.sh sets. */
  readonly xmx?: string;
  /** More worker properties, written last so they win. */
  readonly workerProperties?: Readonly<Record<string, string>>;
  readonly startTimeoutMs?: number;
  readonly log?: (line: string) => void;
}

/** A running Connect worker. `stop()` shuts it down gracefully; `kill()` is `kill -9` and waits for the exit. */
export interface ApacheConnectWorker {
  readonly restUrl: string;
  readonly pid: number;
  readonly cluster: ConnectClusterIdentity;
  readonly logFile: string;
  stop(): Promise<void>;
  kill(): Promise<void>;
}

export function newClusterIdentity(prefix = 'apache-connect'): ConnectClusterIdentity {
  const id = `${prefix}-${randomBytes(4).toString('hex')}`;
  return { groupId: id, configTopic: `${id}-configs`, offsetTopic: `${id}-offsets`, statusTopic: `${id}-status` };
}

/** Starts a worker and resolves once `GET /` answers 200, i.e. it has joined its group and read its config topic. */
export async function startApacheConnect(o: ApacheConnectOptions): Promise<ApacheConnectWorker> {
  const port = o.port ?? 18083;
  const cluster = o.cluster ?? newClusterIdentity();
  const jars = await resolveJars(KAFKA_BROKER, o.log);
  const dir = join(o.workDir, `connect-${port}-${randomBytes(3).toString('hex')}`);
  const logDir = join(dir, 'logs');
  mkdirSync(logDir, { recursive: true });
  const propsFile = join(dir, 'connect-distributed.properties');
  writeFileSync(propsFile, workerProperties({ ...o, port, cluster }));
  const log4jFile = join(dir, 'connect-log4j2.properties');
  writeFileSync(log4jFile, log4jProperties(logDir));
  const restUrl = `http://127.0.0.1:${port}`;
  const startTimeoutMs = o.startTimeoutMs ?? 120_000;
  const started = Date.now();

  o.log?.(`Starting Apache Kafka Connect 4.1.1 (distributed, group ${cluster.groupId}) on ${restUrl}...`);
  const logFile = join(logDir, 'connect.log');
  const outFile = join(logDir, 'connect.out');
  // Callers often remove the work folder on failure, so the error carries the logs' last lines.
  const failure = (reason: string, cause?: unknown) =>
    new ApacheConnectError(`Apache Kafka Connect at ${restUrl} did not become ready: ${reason}\n${tail(outFile)}\n${tail(logFile)}`, { cause });
  const proc = await startJavaProcess({
    name: 'Apache Kafka Connect',
    classpath: `${jars}/*`,
    mainClass: 'org.apache.kafka.connect.cli.ConnectDistributed',
    args: [propsFile],
    // The JVM flags of kafka-run-class.sh, so the worker behaves as a stock installation.
    jvmOptions: [
      '-Xms256m',
      `-Xmx${o.xmx ?? '2g'}`,
      '-XX:+UseG1GC',
      '-XX:MaxGCPauseMillis=20',
      '-XX:InitiatingHeapOccupancyPercent=35',
      '-XX:+ExplicitGCInvokesConcurrent',
      '-Djava.awt.headless=true',
      `-Dlog4j2.configurationFile=${log4jFile}`,
      `-Dkafka.logs.dir=${logDir}`,
    ],
    logFile: outFile,
    port,
    startTimeoutMs,
  }).catch((e: unknown) => {
    throw failure((e as Error).message, e);
  });
  const pid = proc.pid;
  if (pid === undefined) throw new ApacheConnectError('Apache Kafka Connect did not get a process id');

  const worker: ApacheConnectWorker = {
    restUrl,
    pid,
    cluster,
    logFile,
    stop: () => proc.stop(),
    async kill() {
      if (!isAlive(pid)) return;
      process.kill(pid, 'SIGKILL');
      await proc.stop(); // returns once the exit has been observed
    },
  };
  try {
    await waitUntilReady(restUrl, started + startTimeoutMs, () => (isAlive(pid) ? undefined : 'it exited'));
  } catch (e) {
    await worker.kill();
    throw failure((e as Error).message, e);
  }
  return worker;
}

function workerProperties(o: ApacheConnectOptions & { port: number; cluster: ConnectClusterIdentity }): string {
  const props: Record<string, string> = {
    'bootstrap.servers': o.bootstrapServers,
    'group.id': o.cluster.groupId,
    // schemas.enable is left unset: Connect's default (true) is what users get.
    'key.converter': 'org.apache.kafka.connect.json.JsonConverter',
    'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
    'config.storage.topic': o.cluster.configTopic,
    'offset.storage.topic': o.cluster.offsetTopic,
    'status.storage.topic': o.cluster.statusTopic,
    'config.storage.replication.factor': '1',
    'offset.storage.replication.factor': '1',
    'status.storage.replication.factor': '1',
    'offset.flush.interval.ms': String(o.offsetFlushIntervalMs ?? 10_000),
    listeners: `http://127.0.0.1:${o.port}`,
    // plugin.path stays unset: connect-file is on the classpath.
    ...o.workerProperties,
  };
  return `${Object.entries(props)
    .map(([k, v]) => `${k}=${v}`)
    .join('\n')}\n`;
}

function log4jProperties(logDir: string): string {
  return [
    'status = warn',
    'appender.file.type = File',
    'appender.file.name = file',
    `appender.file.fileName = ${logDir}/connect.log`,
    'appender.file.layout.type = PatternLayout',
    'appender.file.layout.pattern = [%d] %p %m (%c)%n',
    'rootLogger.level = INFO',
    'rootLogger.appenderRef.file.ref = file',
    // The clients log every config dump at INFO; keep the file readable.
    'logger.clients.name = org.apache.kafka.clients',
    'logger.clients.level = WARN',
    '',
  ].join('\n');
}

async function waitUntilReady(restUrl: string, deadline: number, abort: () => string | undefined): Promise<void> {
  let last = 'no answer yet';
  while (Date.now() < deadline) {
    const reason = abort();
    if (reason) throw new ApacheConnectError(reason);
    try {
      const res = await fetch(`${restUrl}/`, { signal: AbortSignal.timeout(5_000) });
      await res.arrayBuffer();
      if (res.status === 200) return;
      last = `GET / answered ${res.status}`;
    } catch (e) {
      last = String(e);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new ApacheConnectError(`not ready in time (${last})`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function tail(file: string, lines = 15): string {
  if (!existsSync(file)) return `(${file} does not exist)`;
  return `--- last lines of ${file}:\n${readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n')}`;
}
