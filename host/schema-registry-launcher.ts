/**
 * A schema registry that speaks Confluent's REST API: Apicurio Registry 2.0.2 with in-memory
 * storage, built from Maven Central on first use, or the one named by SCHEMA_REGISTRY_URL.
 * Confluent-compatible clients use `<base>/apis/ccompat/v6`; Apicurio's own clients `<base>/apis/registry/v2`.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { startJavaProcess } from './java-process.ts';
import { SCHEMA_REGISTRY, buildMavenApp } from './maven-resolver.ts';
import { isPortOpen } from './net-probe.ts';

export interface SchemaRegistryEndpoint {
  /** The Confluent-compatible API, for `schema.registry.url`. */
  readonly url: string;
  /** Apicurio's own API (its converters and serdes), when the registry is Apicurio. */
  readonly apicurioUrl: string | undefined;
  readonly origin: 'started' | 'reused' | 'external';
  stop(): Promise<void>;
}

const CCOMPAT_PATH = '/apis/ccompat/v6';
const APICURIO_PATH = '/apis/registry/v2';

export async function ensureSchemaRegistry(o: { dataDir: string; port?: number; log?: (line: string) => void; env?: NodeJS.ProcessEnv }): Promise<SchemaRegistryEndpoint> {
  const env = o.env ?? process.env;
  const noop = async () => {};
  if (env.SCHEMA_REGISTRY_URL) return { url: env.SCHEMA_REGISTRY_URL, apicurioUrl: undefined, origin: 'external', stop: noop };
  const port = o.port ?? 8081;
  const base = `http://127.0.0.1:${port}`;
  if (await isPortOpen(port)) return { url: base + CCOMPAT_PATH, apicurioUrl: base + APICURIO_PATH, origin: 'reused', stop: noop };
  const app = await buildMavenApp(SCHEMA_REGISTRY, o.log);
  const dir = join(o.dataDir, 'schema-registry');
  mkdirSync(dir, { recursive: true });
  o.log?.(`Starting Apicurio Registry 2.0.2 (Confluent-compatible API) on ${base}...`);
  const proc = await startJavaProcess({
    name: 'Apicurio Registry',
    classpath: `${app}/schema-registry-2.0.2.Final-runner.jar:${app}/lib/*`,
    mainClass: 'io.quarkus.runner.GeneratedMain',
    args: [],
    jvmOptions: ['-Xms64m', '-Xmx384m', '-XX:TieredStopAtLevel=1', `-Dquarkus.http.port=${port}`, '-Dquarkus.http.host=127.0.0.1', '-Dquarkus.log.console.json=false'],
    logFile: join(dir, 'registry.out'),
    port,
    startTimeoutMs: 180_000,
  });
  return { url: base + CCOMPAT_PATH, apicurioUrl: base + APICURIO_PATH, origin: 'started', stop: () => proc.stop() };
}
