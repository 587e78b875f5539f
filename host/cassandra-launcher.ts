/**
 * A single Apache Cassandra 5.0 node for the Cassandra sink's tests: `cassandra-all` from Maven
 * Central run in one JVM (CassandraDaemon) with a minimal cassandra.yaml on free ports, password
 * authentication on (user and password `cassandra`), native transport only, a small heap and
 * none of the waits a multi-node cluster needs. Ready once the default superuser can log in.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { auth, Client } from 'cassandra-driver';
import { startJavaProcess } from './java-process.ts';
import { CASSANDRA, resolveJars } from './maven-resolver.ts';
import { freePort } from './net-probe.ts';

export interface CassandraServer {
  /** host:port of the native transport (CQL). */
  readonly contactPoint: string;
  readonly localDc: string;
  readonly username: string;
  readonly password: string;
  stop(): Promise<void>;
}

const LOCAL_DC = 'datacenter1';

/** The module opening and export flags Cassandra's own launch script passes on Java 17 (conf/jvm17-server.options). */
const JAVA17_ACCESS = [
  ...['java.base/jdk.internal.misc', 'java.base/jdk.internal.ref', 'java.base/sun.nio.ch', 'java.management.rmi/com.sun.jmx.remote.internal.rmi', 'java.rmi/sun.rmi.registry', 'java.rmi/sun.rmi.server', 'java.sql/java.sql'].map(
    (p) => `--add-exports=${p}=ALL-UNNAMED`,
  ),
  ...[
    'java.base/java.lang.module',
    'java.base/jdk.internal.loader',
    'java.base/jdk.internal.ref',
    'java.base/jdk.internal.reflect',
    'java.base/jdk.internal.math',
    'java.base/jdk.internal.module',
    'java.base/jdk.internal.util.jar',
    'jdk.management/com.sun.management.internal',
    'java.base/sun.nio.ch',
    'java.base/java.io',
    'java.base/java.nio',
    'java.base/java.util.concurrent',
    'java.base/java.util',
    'java.base/java.util.concurrent.atomic',
    'java.base/java.lang',
    'java.base/java.math',
    'java.base/java.lang.reflect',
    'java.base/java.net',
  ].map((p) => `--add-opens=${p}=ALL-UNNAMED`),
];

export async function startCassandra(dataDir: string, log: (line: string) => void): Promise<CassandraServer> {
  const jars = await resolveJars(CASSANDRA, log);
  const [nativePort, storagePort] = [await freePort(), await freePort()];
  const dir = join(dataDir, 'cassandra');
  mkdirSync(dir, { recursive: true });
  const yaml = join(dir, 'cassandra.yaml');
  writeFileSync(yaml, cassandraYaml(dir, nativePort, storagePort));
  const logback = join(dir, 'logback.xml');
  writeFileSync(logback, logbackXml(join(dir, 'system.log')));
  const started = Date.now();
  const proc = await startJavaProcess({
    name: 'Cassandra',
    classpath: `${jars}/*`,
    mainClass: 'org.apache.cassandra.service.CassandraDaemon',
    args: [],
    jvmOptions: [
      '-Xms128m',
      '-Xmx384m',
      '-Xss256k',
      '-XX:MaxDirectMemorySize=256m',
      // A test node lives for one run: the C1 compiler and the serial collector start faster and use less memory.
      '-XX:TieredStopAtLevel=1',
      '-XX:+UseSerialGC',
      ...JAVA17_ACCESS,
      `-javaagent:${join(jars, 'jamm-0.4.0.jar')}`,
      `-Dcassandra.config=file://${yaml}`,
      `-Dlogback.configurationFile=${logback}`,
      `-Dcassandra.logdir=${dir}`,
      `-Dcassandra.storagedir=${dir}`,
      '-Dcassandra-foreground=yes',
      // One node: no ring to settle, no peers to wait for, the superuser created at once.
      '-Dcassandra.skip_wait_for_gossip_to_settle=0',
      '-Dcassandra.ring_delay_ms=0',
      '-Dcassandra.superuser_setup_delay_ms=0',
      // Measures the memtable row overhead on 1 row instead of 100,000 (seconds of start-up on a busy machine).
      '-Dcassandra.memtable_row_overhead_computation_step=1',
    ],
    logFile: join(dir, 'cassandra.out'),
    startTimeoutMs: 180_000,
    port: nativePort,
  });
  const server: CassandraServer = { contactPoint: `127.0.0.1:${nativePort}`, localDc: LOCAL_DC, username: 'cassandra', password: 'cassandra', stop: () => proc.stop() };
  try {
    await untilLogin(server);
  } catch (e) {
    await proc.stop();
    throw e;
  }
  log(`Cassandra 5.0.9 on ${server.contactPoint}, ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return server;
}

/** The native port opens just before the default superuser exists; logins fail until then. */
async function untilLogin(s: CassandraServer): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const client = new Client({ contactPoints: [s.contactPoint], localDataCenter: s.localDc, authProvider: new auth.PlainTextAuthProvider(s.username, s.password) });
    try {
      await client.connect();
      return;
    } catch (e) {
      if (Date.now() > deadline) throw new Error(`Cassandra on ${s.contactPoint} refused the default superuser for 60 s: ${(e as Error).message}`, { cause: e });
      await new Promise((r) => setTimeout(r, 250));
    } finally {
      await client.shutdown().catch(() => undefined);
    }
  }
}

function cassandraYaml(dir: string, nativePort: number, storagePort: number): string {
  return `cluster_name: tributary-test
num_tokens: 1
allocate_tokens_for_local_replication_factor: 1
partitioner: org.apache.cassandra.dht.Murmur3Partitioner
endpoint_snitch: SimpleSnitch
authenticator: PasswordAuthenticator
authorizer: AllowAllAuthorizer
role_manager: CassandraRoleManager
data_file_directories: [${join(dir, 'data')}]
commitlog_directory: ${join(dir, 'commitlog')}
saved_caches_directory: ${join(dir, 'saved_caches')}
hints_directory: ${join(dir, 'hints')}
cdc_raw_directory: ${join(dir, 'cdc_raw')}
commitlog_sync: periodic
commitlog_sync_period: 10000ms
commitlog_segment_size: 8MiB
# Off-heap buffers (chunk cache, networking) within the direct memory limit, sized for a test node.
file_cache_size: 32MiB
# A busy CI machine stalls the node for seconds at a time: writes and reads get longer than the 2 s and 5 s defaults.
write_request_timeout: 10000ms
read_request_timeout: 10000ms
range_request_timeout: 20000ms
seed_provider:
  - class_name: org.apache.cassandra.locator.SimpleSeedProvider
    parameters:
      - seeds: "127.0.0.1:${storagePort}"
listen_address: 127.0.0.1
storage_port: ${storagePort}
rpc_address: 127.0.0.1
native_transport_port: ${nativePort}
start_native_transport: true
auto_bootstrap: false
`;
}

function logbackXml(file: string): string {
  return `<configuration>
  <appender name="FILE" class="ch.qos.logback.core.FileAppender">
    <file>${file}</file>
    <encoder><pattern>%d %-5level [%thread] %logger{20} %msg%n</pattern></encoder>
  </appender>
  <root level="INFO"><appender-ref ref="FILE"/></root>
</configuration>
`;
}
