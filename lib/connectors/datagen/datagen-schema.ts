/**
 * Compiles the JSON Schema subset of `schema.string` into a Connect schema and a record
 * generator. Supported: `type` object / integer / number / string / boolean / array (a type list
 * with "null" makes a field optional), `properties`, `required`, `enum`, `const`,
 * `minimum` / `maximum` (and the exclusive forms), `multipleOf`, `minLength` / `maxLength`,
 * `pattern`, `format` (date-time, date, uuid, email, int32), `minItems` / `maxItems`, `title`,
 * and the extension `iteration: {start, step}` for integers that count records.
 */
import { LOGICAL, SchemaBuilder, Schemas, Struct, type Schema } from '../../plugins/connect-schema.ts';
import { DatagenSchemaError } from './errors.ts';
import { PatternGenerator } from './pattern-generator.ts';
import type { SeededRandom } from './seeded-random.ts';

export interface RecordGenerator {
  readonly schema: Schema;
  /** The value of record number `iteration`, drawing randomness from `rng`. */
  generate(rng: SeededRandom, iteration: number): Struct;
}

interface FieldGen {
  readonly schema: Schema;
  make(rng: SeededRandom, iteration: number): unknown;
}

type Json = Record<string, unknown>;

const DEFAULT_TIME_MIN = Date.UTC(2020, 0, 1);
const DEFAULT_TIME_MAX = Date.UTC(2030, 0, 1);
const LETTERS = 'abcdefghijklmnopqrstuvwxyz';

/** Parses `schema.string` (text or object); throws DatagenSchemaError naming the bad path. */
export function compileJsonSchema(input: string | Json, defaultName?: string): RecordGenerator {
  let json: unknown = input;
  if (typeof input === 'string') {
    try {
      json = JSON.parse(input);
    } catch (e) {
      throw new DatagenSchemaError(`schema.string is not valid JSON: ${(e as Error).message}`, { cause: e });
    }
  }
  if (!isObject(json) || typeOf(json, '$').type !== 'object') {
    throw new DatagenSchemaError('schema.string must be a JSON Schema with "type": "object" at its root');
  }
  const name = typeof json['title'] === 'string' ? json['title'] : defaultName;
  const root = compileObject(json, '$', false, name);
  return {
    schema: root.schema,
    generate: (rng, iteration) => root.make(rng, iteration) as Struct,
  };
}

function compileNode(node: unknown, path: string, optionalHint: boolean): FieldGen {
  if (!isObject(node)) throw new DatagenSchemaError(`${path}: expected a schema object`);
  const { type, nullable } = typeOf(node, path);
  const optional = optionalHint || nullable;
  if ('const' in node) {
    const value = node['const'];
    return { schema: primitiveSchema(type ?? jsType(value, path), optional, node), make: () => value };
  }
  if (Array.isArray(node['enum'])) {
    const values = node['enum'] as unknown[];
    if (values.length === 0) throw new DatagenSchemaError(`${path}: enum is empty`);
    return { schema: primitiveSchema(type ?? jsType(values[0], path), optional, node), make: (rng) => rng.pick(values) };
  }
  switch (type) {
    case 'object':
      return compileObject(node, path, optional, typeof node['title'] === 'string' ? node['title'] : undefined);
    case 'array':
      return compileArray(node, path, optional);
    case 'integer':
      return compileInteger(node, path, optional);
    case 'number':
      return compileNumber(node, path, optional);
    case 'boolean':
      return { schema: optional ? Schemas.OPTIONAL_BOOLEAN : Schemas.BOOLEAN, make: (rng) => rng.bool() };
    case 'string':
      return compileString(node, path, optional);
    default:
      throw new DatagenSchemaError(`${path}: unsupported or missing "type" (${JSON.stringify(node['type'])})`);
  }
}

function compileObject(node: Json, path: string, optional: boolean, name: string | undefined): FieldGen {
  const props = node['properties'];
  if (!isObject(props) || Object.keys(props).length === 0) throw new DatagenSchemaError(`${path}: an object needs "properties"`);
  const required = new Set(Array.isArray(node['required']) ? (node['required'] as string[]) : Object.keys(props));
  const fields = Object.entries(props).map(([k, v]) => [k, compileNode(v, `${path}.properties.${k}`, !required.has(k))] as const);
  const builder = SchemaBuilder.struct();
  if (name) builder.name(name);
  if (optional) builder.optional();
  for (const [k, f] of fields) builder.field(k, f.schema);
  const schema = builder.build();
  return {
    schema,
    make: (rng, iteration) => {
      const s = new Struct(schema);
      for (const [k, f] of fields) s.put(k, f.make(rng, iteration));
      return s;
    },
  };
}

function compileArray(node: Json, path: string, optional: boolean): FieldGen {
  const items = compileNode(node['items'], `${path}.items`, false);
  const min = num(node['minItems'], 0);
  const max = num(node['maxItems'], min + 3);
  if (max < min) throw new DatagenSchemaError(`${path}: maxItems < minItems`);
  const b = SchemaBuilder.array(items.schema);
  return {
    schema: (optional ? b.optional() : b).build(),
    make: (rng, iteration) => Array.from({ length: rng.int(min, max) }, () => items.make(rng, iteration)),
  };
}

function compileInteger(node: Json, path: string, optional: boolean): FieldGen {
  const int32 = node['format'] === 'int32';
  const schema = int32 ? (optional ? Schemas.OPTIONAL_INT32 : Schemas.INT32) : optional ? Schemas.OPTIONAL_INT64 : Schemas.INT64;
  const iteration = node['iteration'];
  if (isObject(iteration)) {
    const start = num(iteration['start'], 0);
    const step = num(iteration['step'], 1);
    return { schema, make: (_rng, n) => start + step * n };
  }
  const min = Math.ceil(isNum(node['exclusiveMinimum']) ? (node['exclusiveMinimum'] as number) + 1 : num(node['minimum'], 0));
  const max = Math.floor(isNum(node['exclusiveMaximum']) ? (node['exclusiveMaximum'] as number) - 1 : num(node['maximum'], int32 ? 2_147_483_647 : 1_000_000));
  if (max < min) throw new DatagenSchemaError(`${path}: maximum < minimum`);
  return { schema, make: (rng) => rng.int(min, max) };
}

function compileNumber(node: Json, path: string, optional: boolean): FieldGen {
  const min = num(node['minimum'], num(node['exclusiveMinimum'], 0));
  const max = num(node['maximum'], num(node['exclusiveMaximum'], 1));
  if (max < min) throw new DatagenSchemaError(`${path}: maximum < minimum`);
  const step = isNum(node['multipleOf']) ? (node['multipleOf'] as number) : 0;
  const decimals = step > 0 ? Math.max(0, -Math.floor(Math.log10(step))) : 0;
  return {
    schema: optional ? Schemas.OPTIONAL_FLOAT64 : Schemas.FLOAT64,
    make: (rng) => {
      const v = rng.float(min, max);
      return step > 0 ? Number((Math.round(v / step) * step).toFixed(decimals)) : v;
    },
  };
}

function compileString(node: Json, path: string, optional: boolean): FieldGen {
  const format = node['format'];
  if (format === 'date-time' || format === 'date') {
    const lo = timeBound(node['formatMinimum'], DEFAULT_TIME_MIN, path);
    const hi = timeBound(node['formatMaximum'], DEFAULT_TIME_MAX, path);
    const b = new SchemaBuilder(format === 'date' ? 'INT32' : 'INT64').name(format === 'date' ? LOGICAL.date : LOGICAL.timestamp).version(1);
    return {
      schema: (optional ? b.optional() : b).build(),
      make: (rng) => {
        const ms = rng.int(lo, hi - 1);
        return new Date(format === 'date' ? ms - (ms % 86_400_000) : ms);
      },
    };
  }
  const schema = optional ? Schemas.OPTIONAL_STRING : Schemas.STRING;
  if (format === 'uuid') return { schema, make: uuid };
  if (format === 'email') return { schema, make: (rng) => `${letters(rng, 5, 10)}@${letters(rng, 4, 8)}.example.com` };
  if (typeof node['pattern'] === 'string') {
    const gen = new PatternGenerator(node['pattern']);
    return { schema, make: (rng) => gen.generate(rng) };
  }
  const min = num(node['minLength'], 5);
  const max = num(node['maxLength'], Math.max(min, 10));
  if (max < min) throw new DatagenSchemaError(`${path}: maxLength < minLength`);
  return { schema, make: (rng) => letters(rng, min, max) };
}

function primitiveSchema(type: string, optional: boolean, node: Json): Schema {
  switch (type) {
    case 'integer':
      return node['format'] === 'int32' ? (optional ? Schemas.OPTIONAL_INT32 : Schemas.INT32) : optional ? Schemas.OPTIONAL_INT64 : Schemas.INT64;
    case 'number':
      return optional ? Schemas.OPTIONAL_FLOAT64 : Schemas.FLOAT64;
    case 'boolean':
      return optional ? Schemas.OPTIONAL_BOOLEAN : Schemas.BOOLEAN;
    default:
      return optional ? Schemas.OPTIONAL_STRING : Schemas.STRING;
  }
}

function typeOf(node: Json, path: string): { type: string | undefined; nullable: boolean } {
  const t = node['type'];
  if (t === undefined || typeof t === 'string') return { type: t, nullable: false };
  if (Array.isArray(t)) {
    const others = t.filter((x) => x !== 'null');
    if (others.length !== 1 || typeof others[0] !== 'string') throw new DatagenSchemaError(`${path}: a type list may only add "null" to one type`);
    return { type: others[0], nullable: others.length !== t.length };
  }
  throw new DatagenSchemaError(`${path}: "type" must be a string or a list`);
}

function jsType(v: unknown, path: string): string {
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'boolean';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  throw new DatagenSchemaError(`${path}: enum and const values must be strings, numbers or booleans`);
}

function timeBound(v: unknown, fallback: number, path: string): number {
  if (v === undefined) return fallback;
  const ms = typeof v === 'string' ? Date.parse(v) : NaN;
  if (Number.isNaN(ms)) throw new DatagenSchemaError(`${path}: formatMinimum/formatMaximum must be ISO date-times`);
  return ms;
}

function letters(rng: SeededRandom, min: number, max: number): string {
  let s = '';
  for (let i = rng.int(min, max); i > 0; i--) s += LETTERS[rng.int(0, 25)];
  return s;
}

function uuid(rng: SeededRandom): string {
  const hex = Array.from({ length: 4 }, () => rng.nextUint32().toString(16).padStart(8, '0')).join('');
  const variant = ((parseInt(hex[16] as string, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

function num(v: unknown, fallback: number): number {
  return isNum(v) ? (v as number) : fallback;
}

function isNum(v: unknown): boolean {
  return typeof v === 'number' && Number.isFinite(v);
}

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
