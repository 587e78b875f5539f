/**
 * io.confluent.connect.json.JsonSchemaConverter: Connect data as JSON in Confluent's wire format
 * (magic byte 0, 4-byte schema id, JSON text), with JSON Schemas registered in a Schema Registry
 * (schemaType JSON). With `json.fail.invalid.schema=true` payloads are validated with ajv.
 */
import { Ajv, type ValidateFunction } from 'ajv';
import type { ConfigDef } from '../../config/config-def.ts';
import { DataError } from '../../plugins/connect-schema.ts';
import type { Schema } from '../../plugins/connect-schema.ts';
import type { Converter, Props, SchemaAndValue } from '../../plugins/plugin-types.ts';
import { PLUGIN_VERSION } from '../converter-config.ts';
import { SchemaRegistryDataError } from '../schema-registry/errors.ts';
import { andThen, type MaybePromise } from '../schema-registry/maybe-async.ts';
import { SchemaRegistryClient } from '../schema-registry/registry-client.ts';
import { parseRegistrySettings, registryConverterConfigDef, withConnectDataKeys, type RegistryConverterSettings } from '../schema-registry/registry-converter-config.ts';
import { subjectName } from '../schema-registry/subject-name-strategy.ts';
import { frame, unframe } from '../schema-registry/wire-format.ts';
import { fromConnectSchema, parseJsonText, plainJson, toConnectSchema, toConnectValue, toJsonValue, writeJsonText } from './json-schema-data.ts';

export const FAIL_INVALID_SCHEMA_CONFIG = 'json.fail.invalid.schema';

export function jsonSchemaConverterConfigDef(): ConfigDef {
  return withConnectDataKeys(registryConverterConfigDef()).define({
    name: FAIL_INVALID_SCHEMA_CONFIG,
    type: 'BOOLEAN',
    defaultValue: false,
    importance: 'MEDIUM',
    documentation: 'Whether to fail serialization and deserialization when a payload is not valid for its JSON Schema',
  });
}

interface Writer {
  readonly schemaString: string;
  readonly recordName: string;
  readonly validate: ValidateFunction | undefined;
}

interface Reader {
  readonly schema: Schema;
  readonly validate: ValidateFunction | undefined;
}

export class JsonSchemaConverter implements Converter {
  static readonly overview =
    'Converts Connect data to and from JSON in the Confluent wire format (magic byte 0, 4-byte schema id), with JSON Schemas registered in ' +
    'and looked up from a Schema Registry. Connect schemas map to JSON Schema as Confluent\'s JsonSchemaData maps them.';

  private settings!: RegistryConverterSettings;
  private failInvalid = false;
  private client!: SchemaRegistryClient;
  private readonly ajv = new Ajv({ strict: false, allErrors: false });
  private readonly writers = new Map<Schema, Writer>();
  private readonly readers = new Map<number, Reader>();

  version(): string {
    return PLUGIN_VERSION;
  }

  config(): ConfigDef {
    return jsonSchemaConverterConfigDef();
  }

  configure(props: Props, isKey?: boolean): void {
    this.settings = parseRegistrySettings(this.config(), props, isKey);
    this.failInvalid = this.settings.raw[FAIL_INVALID_SCHEMA_CONFIG] as boolean;
    this.client = new SchemaRegistryClient({ urls: this.settings.urls, userInfo: this.settings.userInfo });
  }

  fromConnectData(topic: string, schema: Schema | null | undefined, value: unknown): Buffer | null | Promise<Buffer | null> {
    if (value === null || value === undefined) return null;
    if (!schema) throw new DataError(`Failed to serialize JSON data from topic ${topic}: a schema is required`);
    const writer = this.writerFor(schema);
    const subject = subjectName(this.settings.subjectNameStrategy, topic, this.settings.isKey, writer.recordName);
    const s = this.settings;
    const id: MaybePromise<number> = s.useLatestVersion
      ? andThen(this.client.latest(subject), (l) => l.id)
      : s.autoRegister
        ? this.client.register(subject, writer.schemaString, 'JSON')
        : this.client.lookup(subject, writer.schemaString, 'JSON');
    return andThen(id, (n) => {
      let json: unknown;
      try {
        json = toJsonValue(schema, value);
      } catch (e) {
        throw new SchemaRegistryDataError(`Failed to serialize JSON data from topic ${topic}: ${(e as Error).message}`, { cause: e });
      }
      if (writer.validate && !writer.validate(plainJson(json))) {
        throw new SchemaRegistryDataError(`Validation error in JSON for topic ${topic}: ${this.ajv.errorsText(writer.validate.errors)}`);
      }
      return frame(n, Buffer.from(writeJsonText(json), 'utf8'));
    });
  }

  toConnectData(topic: string, bytes: Buffer | null): SchemaAndValue | Promise<SchemaAndValue> {
    if (bytes === null || bytes === undefined) return { schema: null, value: null };
    const { id, payload } = unframe(bytes);
    const hit = this.readers.get(id);
    const reader: MaybePromise<Reader> =
      hit ??
      Promise.resolve(this.client.schemaById(id)).then(
        (rs) => {
          const json = JSON.parse(rs.schema) as unknown;
          const r: Reader = { schema: toConnectSchema(json), validate: this.failInvalid ? this.ajv.compile(json as object) : undefined };
          this.readers.set(id, r);
          return r;
        },
        (e: unknown) => {
          const err = e as Error & { retriable?: boolean };
          if (err.retriable) throw err;
          throw new SchemaRegistryDataError(`Error retrieving JSON schema for id ${id} (topic ${topic}): ${err.message}`, { cause: e });
        },
      );
    return andThen(reader, (r) => {
      try {
        const json = parseJsonText(payload.toString('utf8'));
        if (r.validate && !r.validate(plainJson(json))) throw new SchemaRegistryDataError(this.ajv.errorsText(r.validate.errors));
        return { schema: r.schema, value: toConnectValue(r.schema, json) };
      } catch (e) {
        throw new SchemaRegistryDataError(`Failed to deserialize data for topic ${topic} to JSON: ${(e as Error).message}`, { cause: e });
      }
    });
  }

  close(): void {}

  private writerFor(schema: Schema): Writer {
    const hit = this.writers.get(schema);
    if (hit) return hit;
    const json = fromConnectSchema(schema);
    const w: Writer = {
      schemaString: JSON.stringify(json),
      recordName: schema.name ?? 'object',
      validate: this.failInvalid ? this.ajv.compile(json) : undefined,
    };
    if (this.writers.size >= this.settings.schemasCacheSize) this.writers.clear();
    this.writers.set(schema, w);
    return w;
  }
}
