/**
 * Runs test/support/peer/AvroPeer.java: Apicurio's AvroConverter in Confluent mode, driven through
 * Connect's Converter API in a JVM, with Kafka's jars and the converter's from Maven Central
 * (host/apicurio-avro-converter.ts, shared with the benchmark).
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { avroConverterJars } from '../../host/apicurio-avro-converter.ts';
import { Struct } from '../../lib/plugins/connect-schema.ts';
import type { Schema } from '../../lib/plugins/connect-schema.ts';
import { Decimal } from '../../lib/converters/logical-types.ts';

const run = promisify(execFile);
const SOURCE = join(import.meta.dirname, 'peer', 'AvroPeer.java');

/** Runs the peer; returns its stdout lines. */
export async function runAvroPeer(args: readonly string[], stdin = ''): Promise<string[]> {
  const { converter, kafka } = await avroConverterJars();
  const child = run('java', ['-Xmx256m', '-cp', `${kafka}/*:${converter}/*`, SOURCE, ...args], { maxBuffer: 64 * 1024 * 1024 });
  child.child.stdin?.end(stdin);
  const { stdout } = await child;
  return stdout.split('\n').filter((l) => l.trim() !== '');
}

/** A Connect value as the peer prints it: longs and decimals as text, bytes as hex, temporals as epoch millis, map keys as text. */
export function peerJson(schema: Schema, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  switch (schema.type) {
    case 'STRUCT': {
      const out: Record<string, unknown> = {};
      for (const f of schema.fields ?? []) out[f.name] = peerJson(f.schema, (value as Struct).get(f.name));
      return out;
    }
    case 'MAP': {
      const out: Record<string, unknown> = {};
      for (const [k, v] of value as Map<unknown, unknown>) out[String(k)] = peerJson(schema.valueSchema as Schema, v);
      return out;
    }
    case 'ARRAY':
      return (value as unknown[]).map((v) => peerJson(schema.valueSchema as Schema, v));
    case 'INT64':
      return value instanceof Date ? value.getTime() : String(value);
    case 'BYTES':
      return value instanceof Decimal ? value.toPlainString() : Buffer.from(value as Uint8Array).toString('hex');
    default:
      return value instanceof Date ? value.getTime() : value;
  }
}
