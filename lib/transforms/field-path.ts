/**
 * KIP-821 field paths (`field.syntax.version`): V1 names a top-level field; V2 walks nested
 * structs and maps with dots, backticks wrapping names that contain dots (`` `a.b`.c ``).
 */
import { ConfigError } from '../config/config-def.ts';
import type { ConfigDef } from '../config/config-def.ts';
import type { Field, Schema, Struct } from '../plugins/connect-schema.ts';
import { structValue } from '../converters/data-util.ts';
import { oneOf } from '../converters/converter-config.ts';
import { requireMapOrNull, requireStructOrNull } from './transform-util.ts';

export type FieldSyntaxVersion = 'V1' | 'V2';

export const FIELD_SYNTAX_VERSION_CONFIG = 'field.syntax.version';
export const FIELD_SYNTAX_VERSION_DOC =
  'Defines the version of the syntax to access fields. If set to `V1`, then the field paths are limited to access the elements at the root level of the struct or map. ' +
  'If set to `V2`, the syntax will support accessing nested elements. To access nested elements, dotted notation is used. ' +
  'If dots are already included in the field name, then backtick pairs can be used to wrap field names containing dots. ' +
  'E.g. to access the subfield `baz` from a field named "foo.bar" in a struct/map the following format can be used to access its elements: "`foo.bar`.baz".';

/** Adds `field.syntax.version` to a transform's definition. */
export function withFieldSyntaxVersion(def: ConfigDef): ConfigDef {
  return def.define({
    name: FIELD_SYNTAX_VERSION_CONFIG,
    type: 'STRING',
    defaultValue: 'V1',
    importance: 'HIGH',
    documentation: FIELD_SYNTAX_VERSION_DOC,
    validator: oneOf(true, 'V1', 'V2'),
    validValues: '[V1, V2]',
  });
}

export function fieldSyntaxVersion(value: unknown): FieldSyntaxVersion {
  return String(value).toUpperCase() === 'V2' ? 'V2' : 'V1';
}

function incompleteBacktick(path: string, at: number): ConfigError {
  return new ConfigError(
    `Incomplete backtick pair in path: [${path}], consider adding a backslash before backtick at position ${at} to escape it`,
  );
}

function parseV2(path: string): string[] {
  const steps: string[] = [];
  let idx = 0;
  while (idx < path.length) {
    if (path.charAt(idx) !== '`') {
      const dot = path.indexOf('.', idx);
      steps.push(dot >= 0 ? path.slice(idx, dot) : path.slice(idx));
      idx = dot >= 0 ? dot + 1 : path.length;
      continue;
    }
    const openedAt = idx;
    let start = ++idx;
    let field = '';
    for (;;) {
      idx = path.indexOf('`', idx);
      if (idx < 0) throw incompleteBacktick(path, openedAt);
      const escaped = path.charAt(idx - 1) === '\\';
      if (idx >= path.length - 1) {
        if (escaped) throw incompleteBacktick(path, openedAt);
        steps.push(field + path.slice(start, idx));
        idx++;
        break;
      }
      if (path.charAt(idx + 1) !== '.') {
        idx++;
        continue;
      }
      if (escaped) {
        field += `${path.slice(start, idx - 1)}\``;
        start = ++idx;
        continue;
      }
      steps.push(field + path.slice(start, idx));
      idx += 2;
      break;
    }
  }
  if (path.endsWith('.')) steps.push('');
  return steps;
}

/** A path to one field of a Struct or schemaless map. */
export class SingleFieldPath {
  readonly steps: readonly string[];

  constructor(path: string, version: FieldSyntaxVersion) {
    this.steps = version === 'V1' ? [path] : parseV2(path);
  }

  private get parents(): readonly string[] {
    return this.steps.slice(0, -1);
  }

  private get last(): string {
    return this.steps[this.steps.length - 1] ?? '';
  }

  /** The field at this path in a struct schema, or undefined. */
  fieldFrom(schema: Schema | null | undefined): Field | undefined {
    let current = schema;
    for (const step of this.parents) {
      current = current?.fields?.find((f) => f.name === step)?.schema;
      if (!current) return undefined;
    }
    return current?.fields?.find((f) => f.name === this.last);
  }

  /** The value at this path in a struct, or null when any step is missing. */
  valueFromStruct(struct: Struct | null, withDefault: boolean): unknown {
    let current = struct;
    for (const step of this.parents) {
      if (!current?.field(step)) return null;
      current = requireStructOrNull(current.get(step), 'nested field access');
    }
    if (!current?.field(this.last)) return null;
    return structValue(current, this.last, withDefault);
  }

  /** The value at this path in a schemaless map, or null when any step is missing. */
  valueFromMap(map: Record<string, unknown> | null): unknown {
    let current = map;
    for (const step of this.parents) {
      current = requireMapOrNull(current && Object.hasOwn(current, step) ? current[step] : null, 'nested field access');
      if (!current) return null;
    }
    return current && Object.hasOwn(current, this.last) ? (current[this.last] ?? null) : null;
  }
}
