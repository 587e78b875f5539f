/**
 * org.apache.kafka.connect.transforms.ReplaceField$Key / $Value: keeps (`include`), drops
 * (`exclude`) and renames (`renames`) fields. The pre-3.9 names `whitelist` and `blacklist` are
 * still accepted as aliases of `include` and `exclude`.
 */
import { ConfigDef } from '../config/config-def.ts';
import { SchemaBuilder, Struct } from '../plugins/connect-schema.ts';
import type { Schema } from '../plugins/connect-schema.ts';
import type { ConnectRecord } from '../plugins/connect-record.ts';
import type { Props } from '../plugins/plugin-types.ts';
import { setOwn, structValue } from '../converters/data-util.ts';
import { KeyValueTransform } from './operating-side.ts';
import {
  REPLACE_NULL_WITH_DEFAULT_CONFIG,
  REPLACE_NULL_WITH_DEFAULT_DOC,
  SchemaCache,
  buildSchemaSafely,
  copySchemaBasics,
  invalidConfig,
  javaSplit,
  parseConfig,
  requireMap,
  requireStruct,
} from './transform-util.ts';

const EXCLUDE = 'exclude';
const INCLUDE = 'include';
const RENAMES = 'renames';
const LEGACY = { whitelist: INCLUDE, blacklist: EXCLUDE } as const;
const PURPOSE = 'field replacement';

/** Parses `old:new` pairs; throws ConfigError on a malformed pair. */
export function parseRenameMappings(mappings: readonly string[]): Map<string, string> {
  const result = new Map<string, string>();
  for (const mapping of mappings) {
    const parts = javaSplit(mapping, ':');
    if (parts.length !== 2) throw invalidConfig(RENAMES, mappings, `Invalid rename mapping: ${mapping}`);
    result.set(parts[0] ?? '', parts[1] ?? '');
  }
  return result;
}

/** ConfigUtils.translateDeprecatedConfigs: a legacy key fills in its replacement when that is unset. */
function translateLegacy(props: Props): Props {
  const out: Record<string, string> = { ...props };
  for (const [legacy, current] of Object.entries(LEGACY)) {
    const v = props[legacy];
    if (v !== undefined && props[current] === undefined) out[current] = v;
    delete out[legacy];
  }
  return out;
}

export class ReplaceField extends KeyValueTransform {
  static readonly overview = 'Filter or rename fields.';

  private exclude = new Set<string>();
  private include = new Set<string>();
  private renames = new Map<string, string>();
  private reverseRenames = new Map<string, string>();
  private replaceNullWithDefault = true;
  private readonly schemas = new SchemaCache();

  config(): ConfigDef {
    return new ConfigDef()
      .define({ name: EXCLUDE, type: 'LIST', defaultValue: [], importance: 'MEDIUM', documentation: 'Fields to exclude. This takes precedence over the fields to include.' })
      .define({ name: 'blacklist', type: 'LIST', defaultValue: null, importance: 'LOW', documentation: `Deprecated. Use ${EXCLUDE} instead.` })
      .define({ name: INCLUDE, type: 'LIST', defaultValue: [], importance: 'MEDIUM', documentation: 'Fields to include. If specified, only these fields will be used.' })
      .define({ name: 'whitelist', type: 'LIST', defaultValue: null, importance: 'LOW', documentation: `Deprecated. Use ${INCLUDE} instead.` })
      .define({
        name: RENAMES,
        type: 'LIST',
        defaultValue: [],
        importance: 'MEDIUM',
        documentation: 'Field rename mappings.',
        validator: (_name, value) => void parseRenameMappings(Array.isArray(value) ? value : []),
        validValues: 'list of colon-delimited pairs, e.g. `foo:bar,abc:xyz`',
      })
      .define({ name: REPLACE_NULL_WITH_DEFAULT_CONFIG, type: 'BOOLEAN', defaultValue: true, importance: 'MEDIUM', documentation: REPLACE_NULL_WITH_DEFAULT_DOC });
  }

  configure(props: Props): void {
    const cfg = parseConfig(this.config(), translateLegacy(props));
    this.exclude = new Set(cfg[EXCLUDE] as string[]);
    this.include = new Set(cfg[INCLUDE] as string[]);
    this.renames = parseRenameMappings(cfg[RENAMES] as string[]);
    this.reverseRenames = new Map([...this.renames].map(([from, to]) => [to, from]));
    this.replaceNullWithDefault = cfg[REPLACE_NULL_WITH_DEFAULT_CONFIG] as boolean;
  }

  /** Whether a field survives include/exclude. */
  keeps(field: string): boolean {
    return !this.exclude.has(field) && (this.include.size === 0 || this.include.has(field));
  }

  private renamed(field: string): string {
    return this.renames.get(field) ?? field;
  }

  apply<R extends ConnectRecord>(record: R): R | null {
    const value = this.on.value(record);
    if (value === null) return record;
    const schema = this.on.schema(record);
    if (!schema) {
      const updated: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(requireMap(value, PURPOSE))) if (this.keeps(k)) setOwn(updated, this.renamed(k), v);
      return this.on.update(record, null, updated);
    }
    const struct = requireStruct(value, PURPOSE);
    const updatedSchema = this.schemas.getOrBuild(struct.schema, (s) => buildSchemaSafely(PURPOSE, () => this.buildSchema(s)));
    const updated = new Struct(updatedSchema);
    for (const f of updatedSchema.fields ?? []) {
      updated.put(f.name, structValue(struct, this.reverseRenames.get(f.name) ?? f.name, this.replaceNullWithDefault));
    }
    return this.on.update(record, updatedSchema, updated);
  }

  private buildSchema(schema: Schema): Schema {
    const b = copySchemaBasics(schema, SchemaBuilder.struct());
    for (const f of schema.fields ?? []) if (this.keeps(f.name)) b.field(this.renamed(f.name), f.schema);
    return b.build();
  }
}
