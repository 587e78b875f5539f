/**
 * Resolves the jars of a Java component (Kafka broker, DynamoDB Local) from Maven Central
 * with `mvn`, into a cache reused by later runs.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
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
}

export const KAFKA_BROKER: MavenComponent = { pom: 'kafka-broker.pom.xml', id: 'kafka-4.1.1' };
export const DYNAMODB_LOCAL: MavenComponent = { pom: 'dynamodb-local.pom.xml', id: 'dynamodb-local-2.6.1' };
/** S3- and SQS-compatible servers for the AWS connectors' tests. */
export const S3MOCK: MavenComponent = { pom: 's3mock.pom.xml', id: 's3mock-4.11.0' };
export const ELASTICMQ: MavenComponent = { pom: 'elasticmq.pom.xml', id: 'elasticmq-1.7.1' };

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
    await run(
      'mvn',
      ['-q', '-B', '-f', join(projectRoot, 'host', 'maven', component.pom), 'dependency:copy-dependencies', `-DoutputDirectory=${staging}`],
      { maxBuffer: 16 * 1024 * 1024 },
    );
  } catch (e) {
    rmSync(staging, { recursive: true, force: true });
    const out = (e as { stdout?: string }).stdout ?? '';
    throw new LocalHostError(`Maven could not resolve ${component.id}: ${out.slice(-2000)}`, { cause: e });
  }
  // A concurrent resolver may have won the race; either copy is complete.
  if (!existsSync(target)) renameSync(staging, target);
  else rmSync(staging, { recursive: true, force: true });
  return target;
}
