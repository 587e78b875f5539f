/**
 * Confluent datagen's Avro form of `schema.string` / `schema.filename`: an Avro record schema
 * whose types carry `arg.properties` — `iteration: {start, step}`, `range: {min, max}` (max
 * exclusive), `options: [...]`, `regex`, and `length` (a number or `{min, max}`) for strings,
 * bytes, arrays and maps. The Connect schema is the one Confluent's AvroData gives that Avro schema.
 */
import { toConnectSchema } from '../../converters/avro/avro-schema-data.ts';
import { optionalBranch, readAvroSchema, type AvroNode } from '../../converters/avro/avro-schema-model.ts';
import { Decimal, daysToDate, millisToTime } from '../../converters/logical-types.ts';
import { Struct, type Schema } from '../../plugins/connect-schema.ts';
import { DatagenSchemaError } from './errors.ts';
import type { RecordGenerator } from './datagen-schema.ts';
import { PatternGenerator } from './pattern-generator.ts';
import type { SeededRandom } from './seeded-random.ts';

type Gen = (rng: SeededRandom, iteration: number) => unknown;
type Json = Record<string, unknown>;

const LETTERS = 'abcdefghijklmnopqrstuvwxyz';

/** Whether a parsed `schema.string` is in Avro form (a record schema) rather than JSON Schema. */
export function isAvroSchema(json: unknown): boolean {
  return !!json && typeof json === 'object' && (json as Json).type === 'record';
}

/** Compiles an Avro record schema with `arg.properties`; throws DatagenSchemaError naming the bad field. */
export function compileAvroSchema(json: unknown): RecordGenerator {
  let node: AvroNode;
  let schema: Schema;
  try {
    node = readAvroSchema(json);
    schema = toConnectSchema(node, { connectMetaData: true, enhancedSchemaSupport: false });
  } catch (e) {
    throw new DatagenSchemaError(`schema.string is not a valid Avro schema: ${(e as Error).message}`, { cause: e });
  }
  const root = compile(node, schema, '$');
  return { schema, generate: (rng, iteration) => root(rng, iteration) as Struct };
}

function args(node: AvroNode): Json {
  const a = node.attrs['arg.properties'];
  return a && typeof a === 'object' ? (a as Json) : {};
}

function lengthOf(a: Json, rng: SeededRandom, fallback: [number, number]): number {
  const l = a.length;
  if (typeof l === 'number') return l;
  if (l && typeof l === 'object') {
    const { min = fallback[0], max = fallback[1] + 1 } = l as { min?: number; max?: number };
    return rng.int(min, Math.max(min, max - 1));
  }
  return rng.int(fallback[0], fallback[1]);
}

function compile(node: AvroNode, schema: Schema, path: string): Gen {
  const inner = optionalBranch(node);
  if (inner) {
    const g = compile(inner, schema, path);
    return (rng, i) => (rng.bool() ? g(rng, i) : null);
  }
  const a = args(node);
  const options = a.options;
  if (Array.isArray(options)) {
    if (options.length === 0) throw new DatagenSchemaError(`${path}: arg.properties.options is empty`);
    return (rng) => fromJson(schema, rng.pick(options));
  }
  switch (node.kind) {
    case 'primitive':
      return primitive(node.type, a, schema, path);
    case 'enum':
      return (rng) => rng.pick(node.symbols);
    case 'fixed':
      return (rng) => Buffer.from(Array.from({ length: node.size }, () => rng.int(0, 255)));
    case 'array': {
      const item = compile(node.items, schema.type === 'MAP' ? (schema.valueSchema as Schema) : (schema.valueSchema as Schema), `${path}[]`);
      if (schema.type === 'MAP') throw new DatagenSchemaError(`${path}: arrays of map entries are not generated; use an Avro map`);
      return (rng, i) => Array.from({ length: lengthOf(a, rng, [0, 5]) }, () => item(rng, i));
    }
    case 'map': {
      const value = compile(node.values, schema.valueSchema as Schema, `${path}{}`);
      return (rng, i) => {
        const out = new Map<string, unknown>();
        const n = lengthOf(a, rng, [0, 5]);
        for (let k = 0; k < n; k++) out.set(randomLetters(rng, 6), value(rng, i));
        return out;
      };
    }
    case 'record': {
      const fields = node.fields.map((f) => {
        const fs = schema.fields?.find((x) => x.name === f.name)?.schema as Schema;
        return { name: f.name, gen: compile(f.node, fs, `${path}.${f.name}`) };
      });
      return (rng, i) => {
        const s = new Struct(schema);
        for (const f of fields) s.put(f.name, f.gen(rng, i));
        return s;
      };
    }
    case 'union':
      throw new DatagenSchemaError(`${path}: only unions of null and one other type are generated`);
  }
}

function primitive(type: string, a: Json, schema: Schema, path: string): Gen {
  const iteration = a.iteration as { start?: number; step?: number } | undefined;
  const range = a.range as { min?: number; max?: number } | undefined;
  const logical = schema.name;
  const wrap = (n: number): unknown => {
    if (logical === 'org.apache.kafka.connect.data.Timestamp') return new Date(n);
    if (logical === 'org.apache.kafka.connect.data.Date') return daysToDate(Math.trunc(n));
    if (logical === 'org.apache.kafka.connect.data.Time') return millisToTime(Math.trunc(n) % 86_400_000);
    if (logical === 'org.apache.kafka.connect.data.Decimal') return new Decimal(BigInt(Math.trunc(n)), Number(schema.parameters?.scale ?? 0));
    return n;
  };
  switch (type) {
    case 'int':
    case 'long':
    case 'float':
    case 'double':
    case 'bytes': {
      const integral = type === 'int' || type === 'long';
      if (iteration) {
        const start = iteration.start ?? 0;
        const step = iteration.step ?? 1;
        return (_rng, i) => wrap(start + i * step);
      }
      if (type === 'bytes' && logical !== 'org.apache.kafka.connect.data.Decimal') {
        return (rng) => Buffer.from(Array.from({ length: lengthOf(a, rng, [4, 16]) }, () => rng.int(0, 255)));
      }
      const min = range?.min ?? (integral ? (type === 'int' ? -(2 ** 31) : -(2 ** 53)) : 0);
      const max = range?.max ?? (integral ? (type === 'int' ? 2 ** 31 : 2 ** 53) : 1);
      if (!(max > min)) throw new DatagenSchemaError(`${path}: arg.properties.range needs min < max`);
      return integral || type === 'bytes' ? (rng) => wrap(rng.int(min, max - 1)) : (rng) => wrap(type === 'float' ? Math.fround(rng.float(min, max)) : rng.float(min, max));
    }
    case 'boolean':
      return (rng) => rng.bool();
    case 'string': {
      if (typeof a.regex === 'string') {
        let p: PatternGenerator;
        try {
          p = new PatternGenerator(a.regex);
        } catch (e) {
          throw new DatagenSchemaError(`${path}: arg.properties.regex: ${(e as Error).message}`, { cause: e });
        }
        return (rng) => p.generate(rng);
      }
      if (iteration) return (_rng, i) => String((iteration.start ?? 0) + i * (iteration.step ?? 1));
      return (rng) => randomLetters(rng, lengthOf(a, rng, [8, 8]));
    }
    case 'null':
      return () => null;
    default:
      throw new DatagenSchemaError(`${path}: unsupported type ${type}`);
  }
}

function randomLetters(rng: SeededRandom, n: number): string {
  let s = '';
  for (let k = 0; k < n; k++) s += LETTERS[rng.int(0, LETTERS.length - 1)];
  return s;
}

/** An `options` entry (JSON) as a Connect value of `schema`. */
function fromJson(schema: Schema, v: unknown): unknown {
  if (v === null || v === undefined) return null;
  switch (schema.type) {
    case 'STRUCT': {
      const s = new Struct(schema);
      for (const f of schema.fields ?? []) s.put(f.name, fromJson(f.schema, (v as Json)[f.name]));
      return s;
    }
    case 'ARRAY':
      return (v as unknown[]).map((x) => fromJson(schema.valueSchema as Schema, x));
    case 'MAP':
      return new Map(Object.entries(v as Json).map(([k, x]) => [k, fromJson(schema.valueSchema as Schema, x)]));
    case 'INT64':
      return schema.name === 'org.apache.kafka.connect.data.Timestamp' ? new Date(Number(v)) : v;
    case 'BYTES':
      return typeof v === 'string' ? Buffer.from(v, 'latin1') : v;
    default:
      return v;
  }
}
