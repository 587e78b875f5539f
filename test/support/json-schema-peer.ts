/**
 * Runs test/support/peer/JsonSchemaPeer.java: Apicurio's JSON Schema serializer and deserializer in
 * Confluent mode, in a JVM with Kafka's jars and the serdes' from Maven Central.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { APICURIO_JSON_SCHEMA_SERDE, KAFKA_BROKER, resolveJars } from '../../host/maven-resolver.ts';

const run = promisify(execFile);
const SOURCE = join(import.meta.dirname, 'peer', 'JsonSchemaPeer.java');

/** Resolves the peer's jars (first use only); returns the classpath. */
export async function jsonSchemaPeerClasspath(): Promise<string> {
  const [serde, kafka] = await Promise.all([resolveJars(APICURIO_JSON_SCHEMA_SERDE), resolveJars(KAFKA_BROKER)]);
  // The serdes' Jackson first: Kafka's jars carry another version.
  return `${serde}/*:${kafka}/*`;
}

/** Runs the peer in `read` or `write` mode with one input per line; returns its output lines. */
export async function runJsonSchemaPeer(mode: 'read' | 'write', apicurioUrl: string, topic: string, lines: readonly string[]): Promise<string[]> {
  const child = run('java', ['-Xmx256m', '-cp', await jsonSchemaPeerClasspath(), SOURCE, mode, apicurioUrl, topic], { maxBuffer: 64 * 1024 * 1024 });
  child.child.stdin?.end(`${lines.join('\n')}\n`);
  const { stdout } = await child;
  return stdout.split('\n').filter((l) => l.trim() !== '');
}
