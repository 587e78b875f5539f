/**
 * Avro schemas (JSON) read into a tree with names resolved: named types get their full
 * names, references to them point at their definition, and every node knows its union branch
 * name (the key avsc uses for a wrapped union value). Connect's mapping walks this tree.
 */
import { SchemaRegistryDataError } from '../schema-registry/errors.ts';

export type AvroPrimitive = 'null' | 'boolean' | 'int' | 'long' | 'float' | 'double' | 'bytes' | 'string';

export interface AvroField {
  readonly name: string;
  readonly node: AvroNode;
  readonly doc?: string | undefined;
  /** The field's JSON default, when it has one (`null` is a default). */
  readonly default?: unknown;
  readonly hasDefault: boolean;
}

interface Base {
  /** The JSON attributes of the type (logicalType, connect.*, ...). */
  readonly attrs: Readonly<Record<string, unknown>>;
  readonly branchName: string;
}

export type AvroNode =
  | (Base & { readonly kind: 'primitive'; readonly type: AvroPrimitive })
  | (Base & { readonly kind: 'record'; readonly fullName: string; readonly doc?: string | undefined; fields: AvroField[] })
  | (Base & { readonly kind: 'enum'; readonly fullName: string; readonly symbols: readonly string[]; readonly doc?: string | undefined })
  | (Base & { readonly kind: 'fixed'; readonly fullName: string; readonly size: number })
  | (Base & { readonly kind: 'array'; readonly items: AvroNode })
  | (Base & { readonly kind: 'map'; readonly values: AvroNode })
  | (Base & { readonly kind: 'union'; readonly branches: readonly AvroNode[] });

const PRIMITIVES = new Set<string>(['null', 'boolean', 'int', 'long', 'float', 'double', 'bytes', 'string']);

function bad(message: string): never {
  throw new SchemaRegistryDataError(`Invalid Avro schema: ${message}`);
}

function fullNameOf(name: string, namespace: string | undefined): string {
  return name.includes('.') || !namespace ? name : `${namespace}.${name}`;
}

function namespaceOf(fullName: string): string | undefined {
  const i = fullName.lastIndexOf('.');
  return i < 0 ? undefined : fullName.slice(0, i);
}

/** Reads an Avro schema (parsed JSON) into a tree; throws SchemaRegistryDataError when it is malformed. */
export function readAvroSchema(json: unknown): AvroNode {
  const named = new Map<string, AvroNode>();
  const walk = (s: unknown, ns: string | undefined): AvroNode => {
    if (typeof s === 'string') {
      if (PRIMITIVES.has(s)) return { kind: 'primitive', type: s as AvroPrimitive, attrs: {}, branchName: s };
      const ref = named.get(fullNameOf(s, ns)) ?? named.get(s);
      if (!ref) bad(`undefined name: ${s}`);
      return ref;
    }
    if (Array.isArray(s)) {
      const branches = s.map((b) => walk(b, ns));
      return { kind: 'union', branches, attrs: {}, branchName: 'union' };
    }
    if (!s || typeof s !== 'object') bad(`not a schema: ${JSON.stringify(s)}`);
    const o = s as Record<string, unknown>;
    const type = o.type;
    const { type: _t, name: _n, namespace: _ns, fields: _f, items: _i, values: _v, symbols: _s, size: _z, doc: _d, aliases: _a, default: _df, ...attrs } = o;
    if (typeof type === 'string' && PRIMITIVES.has(type)) return { kind: 'primitive', type: type as AvroPrimitive, attrs, branchName: type };
    if (type === 'array') return { kind: 'array', items: walk(o.items, ns), attrs, branchName: 'array' };
    if (type === 'map') return { kind: 'map', values: walk(o.values, ns), attrs, branchName: 'map' };
    if (type === 'record' || type === 'error' || type === 'enum' || type === 'fixed') {
      if (typeof o.name !== 'string' || o.name === '') bad(`${type} without a name`);
      const fullName = fullNameOf(o.name, typeof o.namespace === 'string' && o.namespace !== '' ? o.namespace : ns);
      if (named.has(fullName)) bad(`redefined name: ${fullName}`);
      const doc = typeof o.doc === 'string' ? o.doc : undefined;
      if (type === 'enum') {
        if (!Array.isArray(o.symbols)) bad(`enum ${fullName} without symbols`);
        const node: AvroNode = { kind: 'enum', fullName, symbols: o.symbols as string[], doc, attrs, branchName: fullName };
        named.set(fullName, node);
        return node;
      }
      if (type === 'fixed') {
        if (typeof o.size !== 'number') bad(`fixed ${fullName} without a size`);
        const node: AvroNode = { kind: 'fixed', fullName, size: o.size, attrs, branchName: fullName };
        named.set(fullName, node);
        return node;
      }
      if (!Array.isArray(o.fields)) bad(`record ${fullName} without fields`);
      const node: AvroNode & { kind: 'record' } = { kind: 'record', fullName, doc, fields: [], attrs, branchName: fullName };
      named.set(fullName, node);
      const inner = namespaceOf(fullName);
      for (const f of o.fields as Record<string, unknown>[]) {
        if (typeof f?.name !== 'string') bad(`a field of ${fullName} has no name`);
        node.fields.push({
          name: f.name,
          node: walk(f.type, inner),
          doc: typeof f.doc === 'string' ? f.doc : undefined,
          default: f.default,
          hasDefault: Object.hasOwn(f, 'default'),
        });
      }
      return node;
    }
    if (typeof type === 'string' || Array.isArray(type) || (type && typeof type === 'object')) {
      // {"type": "SomeName"} or {"type": {...}}: a wrapper around another schema.
      return walk(type, ns);
    }
    return bad(`unknown type ${JSON.stringify(type)}`);
  };
  return walk(json, undefined);
}

/** The non-null branch of an optional union (`["null", T]` or `[T, "null"]`), if the union is one. */
export function optionalBranch(node: AvroNode): AvroNode | undefined {
  if (node.kind !== 'union' || node.branches.length !== 2) return undefined;
  const [a, b] = node.branches as [AvroNode, AvroNode];
  if (a.kind === 'primitive' && a.type === 'null' && !(b.kind === 'primitive' && b.type === 'null')) return b;
  if (b.kind === 'primitive' && b.type === 'null' && !(a.kind === 'primitive' && a.type === 'null')) return a;
  return undefined;
}
