/**
 * Debezium itself, from Maven Central, inside the reference Apache Kafka Connect, so the change
 * data capture tests and the bench can compare Tributary's topics with Debezium's: the PostgreSQL
 * and MySQL connectors 3.6.1.Final, and the MariaDB connector 3.5.0.Final (its newest release),
 * each release a plugin folder of its own.
 */
import { mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { DEBEZIUM_CONNECTORS, DEBEZIUM_MARIADB_CONNECTOR, resolveJars } from './maven-resolver.ts';
import { startApacheConnect, type ApacheConnectWorker } from './apache-connect-launcher.ts';
import { freePort } from './net-probe.ts';

/** The Debezium version whose output Tributary's connectors are compared with. */
export const DEBEZIUM_VERSION = '3.6.1.Final';
/** The release of Debezium's MariaDB connector, which is published apart from the others. */
export const DEBEZIUM_MARIADB_VERSION = '3.5.0.Final';

/** Starts an Apache Connect worker whose plugin.path holds Debezium's connectors. */
export async function startDebeziumConnect(o: { bootstrapServers: string; workDir: string; log?: (line: string) => void }): Promise<ApacheConnectWorker> {
  const [jars, mariadbJars] = await Promise.all([resolveJars(DEBEZIUM_CONNECTORS, o.log), resolveJars(DEBEZIUM_MARIADB_CONNECTOR, o.log)]);
  // Connect treats each folder under a plugin.path entry as one plugin with its own class loader.
  const pluginRoot = join(o.workDir, 'plugins');
  mkdirSync(pluginRoot, { recursive: true });
  symlinkSync(jars, join(pluginRoot, 'debezium'));
  symlinkSync(mariadbJars, join(pluginRoot, 'debezium-mariadb'));
  return startApacheConnect({
    bootstrapServers: o.bootstrapServers,
    workDir: o.workDir,
    port: await freePort(),
    xmx: '512m',
    offsetFlushIntervalMs: 1000,
    // Scanning every class by reflection takes a minute on a busy machine; Debezium registers its services.
    workerProperties: { 'plugin.path': pluginRoot, 'plugin.discovery': 'service_load' },
    ...(o.log ? { log: o.log } : {}),
  });
}
