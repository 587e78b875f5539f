/**
 * Resolves the jars of a Java component (Kafka broker, DynamoDB Local) from Maven Central
 * with `mvn`, into a cache reused by later runs.
 */
import { execFile, spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { LocalHostError, PrerequisiteError } from './local-errors.ts';
import { cacheDir, projectRoot } from './local-paths.ts';

const run = promisify(execFile);

export interface MavenComponent {
  /** A pom under host/maven/ listing the component's dependencies. */
  readonly pom: string;
  /** Cache folder name; include the version so upgrades resolve anew. */
  readonly id: string;
  /** About how many bytes its jars take, for the first run's percentage (measured from a resolved cache). */
  readonly approxBytes?: number;
  /** A settings file under host/maven/, when resolution must not follow a parent POM's repositories. */
  readonly settings?: string;
}

export const KAFKA_BROKER: MavenComponent = { pom: 'kafka-broker.pom.xml', id: 'kafka-4.1.1', approxBytes: 56_100_000 };
export const DYNAMODB_LOCAL: MavenComponent = { pom: 'dynamodb-local.pom.xml', id: 'dynamodb-local-2.6.1', approxBytes: 53_100_000 };
/** Debezium's PostgreSQL and MySQL connectors: a plugin folder for the reference Apache Connect. */
export const DEBEZIUM_CONNECTORS: MavenComponent = { pom: 'debezium-connectors.pom.xml', id: 'debezium-connectors-3.6.1', approxBytes: 24_400_000 };
/** Debezium's MariaDB connector (3.5.0.Final, its newest release), a plugin folder of its own beside DEBEZIUM_CONNECTORS. */
export const DEBEZIUM_MARIADB_CONNECTOR: MavenComponent = { pom: 'debezium-mariadb-connector.pom.xml', id: 'debezium-mariadb-connector-3.5.0' };
export const APICURIO_AVRO_CONVERTER: MavenComponent = { pom: 'apicurio-avro-converter.pom.xml', id: 'apicurio-converter-2.1.5', settings: 'central-only.settings.xml' };
/** Apicurio's JSON Schema serdes in Confluent mode: the JSON Schema peer of the compatibility test. */
export const APICURIO_JSON_SCHEMA_SERDE: MavenComponent = { pom: 'apicurio-jsonschema-serde.pom.xml', id: 'apicurio-jsonschema-serde-2.1.5', settings: 'central-only.settings.xml' };
/** S3- and SQS-compatible servers for the AWS connectors' tests. */
export const S3MOCK: MavenComponent = { pom: 's3mock.pom.xml', id: 's3mock-4.11.0', approxBytes: 59_300_000 };
export const ELASTICMQ: MavenComponent = { pom: 'elasticmq.pom.xml', id: 'elasticmq-1.7.1', approxBytes: 38_500_000 };
/** A single Apache Cassandra node for the Cassandra sink's tests. */
export const CASSANDRA: MavenComponent = { pom: 'cassandra.pom.xml', id: 'cassandra-5.0.9', approxBytes: 70_000_000 };

let checked: Promise<void> | undefined;

/** Checks once that Java 17+ and Maven are installed, with one clear message if not. */
export function checkJavaAndMaven(): Promise<void> {
  checked ??= (async () => {
    const hint =
      'Tributary runs a real Kafka broker and DynamoDB Local on this machine, which need Java 17 or newer and Apache Maven. ' +
      'Install them (Debian/Ubuntu: `sudo apt-get install openjdk-17-jdk-headless maven`; macOS: `brew install openjdk@17 maven`), ' +
      'or point Tributary at running ones with KAFKA_BOOTSTRAP_SERVERS and DYNAMODB_ENDPOINT.';
    let javaVersion: string;
    try {
      const { stderr, stdout } = await run('java', ['-version']);
      javaVersion = `${stderr}${stdout}`;
    } catch (e) {
      throw new PrerequisiteError(`Java was not found. ${hint}`, { cause: e });
    }
    const major = Number(/version "(\d+)/.exec(javaVersion)?.[1] ?? '0');
    if (major < 17) throw new PrerequisiteError(`Java ${major || 'of unknown version'} is too old. ${hint}`);
    try {
      await run('mvn', ['-v']);
    } catch (e) {
      throw new PrerequisiteError(`Maven was not found. ${hint}`, { cause: e });
    }
  })();
  return checked;
}

/** Returns the folder holding the component's jars, resolving them on first use. */
export async function resolveJars(component: MavenComponent, log: (line: string) => void = () => {}): Promise<string> {
  const target = join(cacheDir(), 'maven', component.id);
  if (existsSync(target) && readdirSync(target).some((f) => f.endsWith('.jar'))) return target;
  await checkJavaAndMaven();
  log(`Resolving ${component.id} from Maven Central into ${target} (first run only)...`);
  const staging = `${target}.partial-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  try {
    await mavenCopyDependencies(component, staging, log);
  } catch (e) {
    rmSync(staging, { recursive: true, force: true });
    throw e;
  }
  // A concurrent resolver may have won the race; either copy is complete.
  if (!existsSync(target)) renameSync(staging, target);
  else rmSync(staging, { recursive: true, force: true });
  return target;
}

const UNITS: Record<string, number> = { B: 1, kB: 1e3, KB: 1e3, MB: 1e6, GB: 1e9 };

/**
 * Runs Maven's copy-dependencies and turns its transfer log ("Downloaded from central: … (1.2 MB
 * at …)") into one progress line: bytes so far and, where the component's size is known, a percentage.
 */
function mavenCopyDependencies(component: MavenComponent, outputDir: string, log: (line: string) => void): Promise<void> {
  // In batch mode Maven logs one line per finished download, which is all the progress needs.
  const settings = component.settings ? ['-s', join(projectRoot, 'host', 'maven', component.settings)] : [];
  const args = ['-B', ...settings, '-f', join(projectRoot, 'host', 'maven', component.pom), 'dependency:copy-dependencies', `-DoutputDirectory=${outputDir}`];
  return new Promise((resolve, reject) => {
    const child = spawn('mvn', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let tail = '';
    let pending = '';
    let bytes = 0;
    let files = 0;
    let lastReport = 0;
    const report = (force: boolean) => {
      if (files === 0 || (!force && Date.now() - lastReport < 1000)) return;
      lastReport = Date.now();
      const mb = (bytes / 1e6).toFixed(1);
      const pct = component.approxBytes ? ` (${Math.min(99, Math.floor((bytes / component.approxBytes) * 100))}%)` : '';
      log(`Downloading ${component.id}: ${mb} MB in ${files} files${force ? ', done' : pct}`);
    };
    child.stdout.on('data', (d: Buffer) => {
      const text = pending + d.toString();
      const lines = text.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        tail = (tail + line + '\n').slice(-4000);
        const m = /Downloaded from [^:]+: \S+ \(([\d.]+) (B|kB|KB|MB|GB)/.exec(line);
        if (!m) continue;
        files++;
        bytes += Number(m[1]) * (UNITS[m[2] ?? 'B'] ?? 1);
        report(false);
      }
    });
    child.stderr.on('data', (d: Buffer) => (tail = (tail + d.toString()).slice(-4000)));
    child.once('error', (e) => reject(new LocalHostError(`Maven could not be started: ${e.message}`, { cause: e })));
    child.once('exit', (code) => {
      if (code === 0) {
        report(true);
        resolve();
      } else reject(new LocalHostError(`Maven could not resolve ${component.id}: ${tail.slice(-2000)}`));
    });
  });
}

/** A Java application that Maven builds (`mvn package`) from Maven Central artifacts, e.g. a Quarkus app. */
export interface MavenBuiltApp {
  readonly pom: string;
  readonly id: string;
  /** A settings file under host/maven/, when the build must not follow a parent POM's repositories. */
  readonly settings?: string;
}

export const SCHEMA_REGISTRY: MavenBuiltApp = { pom: 'schema-registry.pom.xml', id: 'apicurio-registry-2.0.2', settings: 'central-only.settings.xml' };

/** Returns the folder of the built app (its `target/`: runner jar and lib/), building it on first use. */
export async function buildMavenApp(app: MavenBuiltApp, log: (line: string) => void = () => {}): Promise<string> {
  const target = join(cacheDir(), 'maven', app.id);
  if (existsSync(target) && readdirSync(target).some((f) => f.endsWith('-runner.jar'))) return target;
  await checkJavaAndMaven();
  log(`Building ${app.id} from Maven Central into ${target} (first run only)...`);
  const staging = `${target}.partial-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  const maven = join(projectRoot, 'host', 'maven');
  try {
    copyFileSync(join(maven, app.pom), join(staging, 'pom.xml'));
    const settings = app.settings ? ['-s', join(maven, app.settings)] : [];
    await run('mvn', ['-q', '-B', ...settings, '-f', join(staging, 'pom.xml'), 'package', '-DskipTests'], { maxBuffer: 16 * 1024 * 1024, cwd: staging });
  } catch (e) {
    rmSync(staging, { recursive: true, force: true });
    const out = (e as { stdout?: string }).stdout ?? '';
    throw new LocalHostError(`Maven could not build ${app.id}: ${out.slice(-2000)}`, { cause: e });
  }
  if (!existsSync(target)) renameSync(join(staging, 'target'), target);
  rmSync(staging, { recursive: true, force: true });
  return target;
}
