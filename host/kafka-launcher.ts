/**
 * The local Kafka broker: a real Apache Kafka (KRaft, single node) resolved from Maven
 * Central, or the cluster named by KAFKA_BOOTSTRAP_SERVERS.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startJavaProcess, type ManagedProcess } from './java-process.ts';
import { KAFKA_BROKER, resolveJars } from './maven-resolver.ts';
import { isPortOpen } from './net-probe.ts';

const run = promisify(execFile);

export interface KafkaEndpoint {
  readonly bootstrapServers: string;
  /** How we got it: started by us, already running on the port, or given by the environment. */
  readonly origin: 'started' | 'reused' | 'external';
  stop(): Promise<void>;
}

export interface KafkaLaunchOptions {
  readonly dataDir: string;
  readonly port?: number;
  readonly controllerPort?: number;
  readonly log?: (line: string) => void;
  readonly env?: NodeJS.ProcessEnv;
  /** Listeners besides PLAINTEXT (tests: TLS and SASL), and the broker properties they need. */
  readonly extraListeners?: readonly { readonly name: string; readonly port: number; readonly protocol: 'SSL' | 'SASL_SSL' | 'SASL_PLAINTEXT' }[];
  readonly extraProperties?: Readonly<Record<string, string>>;
}

export async function ensureKafka(o: KafkaLaunchOptions): Promise<KafkaEndpoint> {
  const env = o.env ?? process.env;
  const noop = async () => {};
  if (env.KAFKA_BOOTSTRAP_SERVERS) return { bootstrapServers: env.KAFKA_BOOTSTRAP_SERVERS, origin: 'external', stop: noop };
  const port = o.port ?? 9092;
  const bootstrapServers = `127.0.0.1:${port}`;
  if (await isPortOpen(port)) return { bootstrapServers, origin: 'reused', stop: noop };

  const jars = await resolveJars(KAFKA_BROKER, o.log);
  const dir = join(o.dataDir, 'kafka');
  const logDir = join(dir, 'data');
  const controllerPort = o.controllerPort ?? port + 1;
  mkdirSync(dir, { recursive: true });
  const propsFile = join(dir, 'server.properties');
  writeFileSync(propsFile, brokerProperties({ port, controllerPort, logDir, extraListeners: o.extraListeners ?? [], extraProperties: o.extraProperties ?? {} }));
  const log4j = join(dir, 'log4j2.properties');
  writeFileSync(log4j, log4jProperties(join(dir, 'logs')));
  const classpath = `${jars}/*`;
  const jvmOptions = ['-Xms256m', '-Xmx768m', `-Dlog4j2.configurationFile=${log4j}`, `-Dkafka.logs.dir=${join(dir, 'logs')}`];

  if (!existsSync(join(logDir, 'meta.properties'))) {
    const clusterId = randomBytes(16).toString('base64url');
    await run('java', [...jvmOptions, '-cp', classpath, 'kafka.tools.StorageTool', 'format', `--cluster-id=${clusterId}`, '-c', propsFile], {
      maxBuffer: 4 * 1024 * 1024,
    });
  }
  o.log?.(`Starting Apache Kafka 4.1.1 (KRaft) on ${bootstrapServers}...`);
  const proc: ManagedProcess = await startJavaProcess({
    name: 'Kafka',
    classpath,
    mainClass: 'kafka.Kafka',
    args: [propsFile],
    jvmOptions,
    logFile: join(dir, 'kafka.out'),
    port,
  });
  return { bootstrapServers, origin: 'started', stop: () => proc.stop() };
}

function brokerProperties(p: {
  port: number;
  controllerPort: number;
  logDir: string;
  extraListeners: NonNullable<KafkaLaunchOptions['extraListeners']>;
  extraProperties: NonNullable<KafkaLaunchOptions['extraProperties']>;
}): string {
  const extra = p.extraListeners.map((l) => `,${l.name}://127.0.0.1:${l.port}`).join('');
  return [
    'process.roles=broker,controller',
    'node.id=1',
    `controller.quorum.voters=1@127.0.0.1:${p.controllerPort}`,
    `listeners=PLAINTEXT://127.0.0.1:${p.port},CONTROLLER://127.0.0.1:${p.controllerPort}${extra}`,
    `advertised.listeners=PLAINTEXT://127.0.0.1:${p.port}${extra}`,
    'controller.listener.names=CONTROLLER',
    `listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT${p.extraListeners.map((l) => `,${l.name}:${l.protocol}`).join('')}`,
    'inter.broker.listener.name=PLAINTEXT',
    `log.dirs=${p.logDir}`,
    'num.partitions=1',
    'offsets.topic.replication.factor=1',
    'offsets.topic.num.partitions=5',
    'transaction.state.log.replication.factor=1',
    'transaction.state.log.min.isr=1',
    'transaction.state.log.num.partitions=5',
    'group.initial.rebalance.delay.ms=0',
    'share.coordinator.state.topic.replication.factor=1',
    'share.coordinator.state.topic.min.isr=1',
    'auto.create.topics.enable=true',
    'log.retention.hours=168',
    ...Object.entries(p.extraProperties).map(([k, v]) => `${k}=${v}`),
    '',
  ].join('\n');
}

function log4jProperties(logDir: string): string {
  return [
    'status = warn',
    'appender.file.type = File',
    'appender.file.name = file',
    `appender.file.fileName = ${logDir}/server.log`,
    'appender.file.layout.type = PatternLayout',
    'appender.file.layout.pattern = [%d] %p %m (%c)%n',
    'rootLogger.level = INFO',
    'rootLogger.appenderRef.file.ref = file',
    'logger.kafka.name = kafka',
    'logger.kafka.level = WARN',
    'logger.apache.name = org.apache.kafka',
    'logger.apache.level = WARN',
    '',
  ].join('\n');
}
