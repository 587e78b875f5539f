/**
 * Connect schemas to Avro schemas and back, as Confluent's AvroData maps them: INT8/INT16 as
 * int with `connect.type`, logical Decimal/Date/Time/Timestamp with Avro logical types,
 * optional schemas as unions with null, maps with string keys as Avro maps (others as arrays
 * of MapEntry records), and Connect's name, version, doc, parameters and defaults carried in
 * `connect.*` attributes when `connect.meta.data` is on.
 */
import { LOGICAL, SchemaBuilder } from '../../plugins/connect-schema.ts';
import type { Schema } from '../../plugins/connect-schema.ts';
import { SchemaRegistryDataError } from '../schema-registry/errors.ts';
import { optionalBranch, type AvroField, type AvroNode } from './avro-schema-model.ts';
import { avroDefaultToConnect, connectDefaultToAvro } from './avro-value-data.ts';

export const NAMESPACE = 'io.confluent.connect.avro';
export const DEFAULT_RECORD_NAME = `${NAMESPACE}.ConnectDefault`;
export const MAP_ENTRY_NAME = `${NAMESPACE}.MapEntry`;
export const UNION_NAME = `${NAMESPACE}.Union`;
export const ENUM_PARAMETER = `${NAMESPACE}.Enum`;
export const FIXED_SIZE_PARAMETER = 'connect.fixed.size';
export const PRECISION_PARAMETER = 'connect.decimal.precision';
const DEFAULT_PRECISION = 64;

export interface AvroDataOptions {
  readonly connectMetaData: boolean;
  readonly enhancedSchemaSupport: boolean;
}

type Json = unknown;

/** Connect schema → Avro schema JSON (AvroData.fromConnectSchema). */
export function fromConnectSchema(schema: Schema, opts: AvroDataOptions): Json {
  const defined = new Set<string>();
  let unnamed = 0;
  let mapEntries = 0;

  const meta = (s: Schema, out: Record<string, unknown>, withName: boolean): void => {
    if (!opts.connectMetaData) return;
    if (s.doc !== undefined) out['connect.doc'] = s.doc;
    if (s.version !== undefined) out['connect.version'] = s.version;
    if (s.parameters && Object.keys(s.parameters).length) out['connect.parameters'] = { ...s.parameters };
    if (withName && s.name !== undefined) out['connect.name'] = s.name;
  };

  const base = (s: Schema): Json => {
    switch (s.type) {
      case 'INT8':
      case 'INT16': {
        const out: Record<string, unknown> = { type: 'int', 'connect.type': s.type === 'INT8' ? 'int8' : 'int16' };
        meta(s, out, true);
        return out;
      }
      case 'INT32':
      case 'INT64':
      case 'FLOAT32':
      case 'FLOAT64':
      case 'BOOLEAN':
      case 'STRING':
      case 'BYTES': {
        const type = { INT32: 'int', INT64: 'long', FLOAT32: 'float', FLOAT64: 'double', BOOLEAN: 'boolean', STRING: 'string', BYTES: 'bytes' }[s.type];
        const out: Record<string, unknown> = { type };
        if (s.name === LOGICAL.decimal) {
          const scale = Number(s.parameters?.scale ?? 0);
          const precision = Number(s.parameters?.[PRECISION_PARAMETER] ?? DEFAULT_PRECISION);
          Object.assign(out, { scale, precision });
          meta(s, out, true);
          out.logicalType = 'decimal';
          return out;
        }
        if (s.name === LOGICAL.date) out.logicalType = 'date';
        if (s.name === LOGICAL.time) out.logicalType = 'time-millis';
        if (s.name === LOGICAL.timestamp) out.logicalType = 'timestamp-millis';
        if (opts.enhancedSchemaSupport && s.type === 'STRING' && s.parameters?.[ENUM_PARAMETER]) return enumSchema(s);
        meta(s, out, true);
        return Object.keys(out).length === 1 ? type : out;
      }
      case 'ARRAY':
        return withMeta(s, { type: 'array', items: fromSchema(s.valueSchema as Schema) });
      case 'MAP': {
        const k = s.keySchema as Schema;
        const v = s.valueSchema as Schema;
        if (k.type === 'STRING' && !k.optional && k.name === undefined) return withMeta(s, { type: 'map', values: fromSchema(v) });
        mapEntries++;
        const entryName = mapEntries === 1 ? MAP_ENTRY_NAME : `${MAP_ENTRY_NAME}${mapEntries}`;
        defined.add(entryName);
        const entry = { type: 'record', name: entryName, fields: [field('key', k), field('value', v)] };
        return withMeta(s, { type: 'array', items: entry });
      }
      case 'STRUCT': {
        let name = s.name;
        if (name === undefined) {
          unnamed++;
          name = unnamed === 1 ? DEFAULT_RECORD_NAME : `${DEFAULT_RECORD_NAME}${unnamed}`;
        }
        if (defined.has(name)) return name;
        defined.add(name);
        const out: Record<string, unknown> = { type: 'record', name };
        if (s.doc !== undefined) out.doc = s.doc;
        out.fields = (s.fields ?? []).map((f) => field(f.name, f.schema));
        meta(s, out, false);
        return out;
      }
    }
  };

  const enumSchema = (s: Schema): Json => {
    const name = s.parameters?.[ENUM_PARAMETER] as string;
    if (defined.has(name)) return name;
    defined.add(name);
    const prefix = `${ENUM_PARAMETER}.`;
    const symbols = Object.entries(s.parameters ?? {})
      .filter(([k]) => k.startsWith(prefix))
      .map(([, v]) => v);
    return { type: 'enum', name, symbols };
  };

  const withMeta = (s: Schema, out: Record<string, unknown>): Json => {
    meta(s, out, true);
    return out;
  };

  const fromSchema = (s: Schema): Json => {
    const b = base(s);
    if (!s.optional) return b;
    return s.defaultValue !== undefined && s.defaultValue !== null ? [b, 'null'] : ['null', b];
  };

  const field = (name: string, s: Schema): Record<string, unknown> => {
    const out: Record<string, unknown> = { name, type: fromSchema(s) };
    if (s.doc !== undefined && s.type === 'STRUCT') out.doc = s.doc;
    if (s.defaultValue !== undefined && s.defaultValue !== null) out.default = connectDefaultToAvro(s, s.defaultValue);
    else if (s.optional) out.default = null;
    return out;
  };

  return fromSchema(schema);
}

/** Avro schema → Connect schema (AvroData.toConnectSchema). */
export function toConnectSchema(node: AvroNode, opts: AvroDataOptions): Schema {
  const seen = new Set<AvroNode>();

  const convert = (n: AvroNode, optional: boolean, fieldDefault?: { json: unknown }): Schema => {
    const inner = optionalBranch(n);
    if (inner) return convert(inner, true, fieldDefault);
    let b: SchemaBuilder;
    const attrs = n.attrs;
    switch (n.kind) {
      case 'primitive': {
        const logical = attrs.logicalType;
        if (n.type === 'null') throw new SchemaRegistryDataError('Standalone null schemas are not supported by Connect');
        if (n.type === 'bytes' && logical === 'decimal') {
          b = new SchemaBuilder('BYTES').name(LOGICAL.decimal).version(1).parameter('scale', String(Number(attrs.scale ?? 0)));
          const precision = attrs.precision;
          if (precision !== undefined && Number(precision) !== DEFAULT_PRECISION) b.parameter(PRECISION_PARAMETER, String(precision));
          const params = attrs['connect.parameters'] as Record<string, string> | undefined;
          if (params?.[PRECISION_PARAMETER] !== undefined) b.parameter(PRECISION_PARAMETER, params[PRECISION_PARAMETER]);
          break;
        }
        if (n.type === 'int' && logical === 'date') b = new SchemaBuilder('INT32').name(LOGICAL.date).version(1);
        else if (n.type === 'int' && logical === 'time-millis') b = new SchemaBuilder('INT32').name(LOGICAL.time).version(1);
        else if (n.type === 'long' && logical === 'timestamp-millis') b = new SchemaBuilder('INT64').name(LOGICAL.timestamp).version(1);
        else {
          const connectType = attrs['connect.type'];
          const t =
            n.type === 'int'
              ? connectType === 'int8'
                ? 'INT8'
                : connectType === 'int16'
                  ? 'INT16'
                  : 'INT32'
              : ({ boolean: 'BOOLEAN', long: 'INT64', float: 'FLOAT32', double: 'FLOAT64', bytes: 'BYTES', string: 'STRING' } as const)[n.type];
          b = new SchemaBuilder(t);
          applyMeta(b, attrs, true);
        }
        break;
      }
      case 'enum': {
        b = new SchemaBuilder('STRING').name(n.fullName).parameter(ENUM_PARAMETER, n.fullName);
        for (const sym of n.symbols) b.parameter(`${ENUM_PARAMETER}.${sym}`, sym);
        if (n.doc !== undefined) b.doc(n.doc);
        applyMeta(b, attrs, false);
        break;
      }
      case 'fixed':
        b = new SchemaBuilder('BYTES').name(n.fullName).parameter(FIXED_SIZE_PARAMETER, String(n.size));
        applyMeta(b, attrs, false);
        break;
      case 'array': {
        const items = n.items;
        if (items.kind === 'record' && isMapEntry(items)) {
          const [k, v] = items.fields as [AvroField, AvroField];
          b = SchemaBuilder.map(convert(k.node, false), convert(v.node, false));
        } else {
          b = SchemaBuilder.array(convert(items, false));
        }
        applyMeta(b, attrs, true);
        break;
      }
      case 'map':
        b = SchemaBuilder.map(new SchemaBuilder('STRING').build(), convert(n.values, false));
        applyMeta(b, attrs, true);
        break;
      case 'record': {
        if (seen.has(n)) throw new SchemaRegistryDataError(`Recursive Avro schema ${n.fullName} cannot be represented in Connect`);
        seen.add(n);
        b = SchemaBuilder.struct();
        if (!n.fullName.startsWith(DEFAULT_RECORD_NAME)) b.name(n.fullName);
        if (n.doc !== undefined) b.doc(n.doc);
        for (const f of n.fields) b.field(f.name, convert(f.node, false, f.hasDefault ? { json: f.default } : undefined));
        applyMeta(b, attrs, false);
        seen.delete(n);
        break;
      }
      case 'union': {
        b = SchemaBuilder.struct().name(UNION_NAME);
        for (const br of n.branches) {
          if (br.kind === 'primitive' && br.type === 'null') {
            optional = true;
            continue;
          }
          b.field(unionFieldName(br), convert(br, true));
        }
        break;
      }
    }
    if (optional) b.optional();
    if (fieldDefault !== undefined && !(fieldDefault.json === null && optional)) {
      const schemaSoFar = b.build();
      b.defaultValue(avroDefaultToConnect(schemaSoFar, fieldDefault.json));
    }
    return b.build();
  };

  const applyMeta = (b: SchemaBuilder, attrs: Readonly<Record<string, unknown>>, withName: boolean): void => {
    if (!opts.connectMetaData) return;
    if (withName && typeof attrs['connect.name'] === 'string') b.name(attrs['connect.name']);
    if (typeof attrs['connect.version'] === 'number') b.version(attrs['connect.version']);
    if (typeof attrs['connect.doc'] === 'string') b.doc(attrs['connect.doc']);
    const params = attrs['connect.parameters'];
    if (params && typeof params === 'object') for (const [k, v] of Object.entries(params)) b.parameter(k, String(v));
  };

  return convert(node, false);
}

function isMapEntry(n: AvroNode & { kind: 'record' }): boolean {
  return n.fullName.startsWith(MAP_ENTRY_NAME) && n.fields.length === 2 && n.fields[0]?.name === 'key' && n.fields[1]?.name === 'value';
}

/** The field of a Connect Union struct that holds a union branch. */
export function unionFieldName(n: AvroNode): string {
  return n.kind === 'record' || n.kind === 'enum' || n.kind === 'fixed' ? (n.fullName.split('.').pop() as string) : n.branchName;
}
