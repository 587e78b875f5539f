/**
 * io.confluent.connect.protobuf.ProtobufConverter: Connect data as Protobuf in Confluent's wire
 * format (magic byte 0, 4-byte schema id, the message indexes as zigzag varints — a single 0 for
 * the first message — then the message), with proto3 schemas registered as schemaType PROTOBUF.
 */
import protobuf from 'protobufjs';
import type { ConfigDef } from '../../config/config-def.ts';
import { DataError } from '../../plugins/connect-schema.ts';
import type { Schema } from '../../plugins/connect-schema.ts';
import type { Converter, Props, SchemaAndValue } from '../../plugins/plugin-types.ts';
import { PLUGIN_VERSION } from '../converter-config.ts';
import { SchemaRegistryDataError } from '../schema-registry/errors.ts';
import { andThen, type MaybePromise } from '../schema-registry/maybe-async.ts';
import { SchemaRegistryClient } from '../schema-registry/registry-client.ts';
import { parseRegistrySettings, registryConverterConfigDef, type RegistryConverterSettings } from '../schema-registry/registry-converter-config.ts';
import { subjectName } from '../schema-registry/subject-name-strategy.ts';
import { frame, unframe } from '../schema-registry/wire-format.ts';
import { ENHANCED_PROTOBUF_SCHEMA_SUPPORT_CONFIG, OPTIONAL_FOR_NULLABLES_CONFIG, WRAPPER_FOR_NULLABLES_CONFIG, withProtobufDataKeys } from './protobuf-data-config.ts';
import { TO_OBJECT_OPTIONS, fromProtoValue, toProtoValue } from './protobuf-data.ts';
import { indexesOf, messageAt, parseProtoFile, type ParsedProtoFile } from './protobuf-files.ts';
import { toConnectSchema, toProtoText, type ProtobufDataOptions } from './protobuf-schema-data.ts';

interface Writer {
  readonly text: string;
  readonly fullName: string;
  readonly type: protobuf.Type;
  /** Confluent's message-index prefix of this type. */
  readonly prefix: Buffer;
}

interface Reader {
  readonly file: ParsedProtoFile;
  readonly byPath: Map<string, { type: protobuf.Type; schema: Schema }>;
}

/** Confluent's message-index prefix: `[0]` as the single byte 0, else the count and the indexes as zigzag varints. */
export function writeMessageIndexes(indexes: readonly number[]): Buffer {
  if (indexes.length === 1 && indexes[0] === 0) return Buffer.from([0]);
  const w = protobuf.Writer.create();
  w.sint32(indexes.length);
  for (const i of indexes) w.sint32(i);
  return Buffer.from(w.finish());
}

/** Confluent's message-index prefix: `[0]` is the single byte 0, else a zigzag-varint count and indexes. */
export function readMessageIndexes(buf: Buffer): { indexes: number[]; rest: Buffer } {
  let pos = 0;
  const varint = (): number => {
    let result = 0;
    let shift = 0;
    for (;;) {
      const b = buf[pos++];
      if (b === undefined) throw new SchemaRegistryDataError('Truncated Protobuf message indexes');
      result |= (b & 0x7f) << shift;
      if (!(b & 0x80)) break;
      shift += 7;
    }
    return (result >>> 1) ^ -(result & 1);
  };
  const count = varint();
  const indexes = count === 0 ? [0] : Array.from({ length: count }, varint);
  return { indexes, rest: buf.subarray(pos) };
}

export class ProtobufConverter implements Converter {
  static readonly overview =
    'Converts Connect STRUCT data to and from Protobuf (proto3) in the Confluent wire format (magic byte 0, 4-byte schema id, message indexes), ' +
    'registering and looking up schemas in a Schema Registry. Schemas map as Confluent\'s ProtobufData: nested messages, repeated fields, maps, enums, oneofs, ' +
    'wrappers, and Decimal/Date/Time/Timestamp as confluent.type.Decimal, google.type.Date, google.type.TimeOfDay and google.protobuf.Timestamp.';

  private settings!: RegistryConverterSettings;
  private data!: ProtobufDataOptions;
  private client!: SchemaRegistryClient;
  private readonly writers = new Map<Schema, Writer>();
  private readonly readers = new Map<number, MaybePromise<Reader>>();

  version(): string {
    return PLUGIN_VERSION;
  }

  config(): ConfigDef {
    return withProtobufDataKeys(registryConverterConfigDef());
  }

  configure(props: Props, isKey?: boolean): void {
    this.settings = parseRegistrySettings(this.config(), props, isKey);
    const raw = this.settings.raw;
    this.data = {
      enhanced: raw[ENHANCED_PROTOBUF_SCHEMA_SUPPORT_CONFIG] === true,
      wrapperForNullables: raw[WRAPPER_FOR_NULLABLES_CONFIG] === true,
      optionalForNullables: raw[OPTIONAL_FOR_NULLABLES_CONFIG] === true,
    };
    this.client = new SchemaRegistryClient({ urls: this.settings.urls, userInfo: this.settings.userInfo });
  }

  fromConnectData(topic: string, schema: Schema | null | undefined, value: unknown): Buffer | null | Promise<Buffer | null> {
    if (value === null || value === undefined) return null;
    if (!schema) throw new DataError(`Failed to serialize Protobuf data from topic ${topic}: a schema is required`);
    const w = this.writerFor(schema);
    const subject = subjectName(this.settings.subjectNameStrategy, topic, this.settings.isKey, w.fullName);
    const s = this.settings;
    const id: MaybePromise<number> = s.useLatestVersion
      ? andThen(this.client.latest(subject), (l) => l.id)
      : s.autoRegister
        ? this.client.register(subject, w.text, 'PROTOBUF')
        : this.client.lookup(subject, w.text, 'PROTOBUF');
    return andThen(id, (n) => {
      try {
        const message = w.type.fromObject(toProtoValue(schema, value, w.type) as Record<string, unknown>);
        return frame(n, Buffer.concat([w.prefix, w.type.encode(message).finish()]));
      } catch (e) {
        throw new SchemaRegistryDataError(`Failed to serialize Protobuf data from topic ${topic}: ${(e as Error).message}`, { cause: e });
      }
    });
  }

  toConnectData(topic: string, bytes: Buffer | null): SchemaAndValue | Promise<SchemaAndValue> {
    if (bytes === null || bytes === undefined) return { schema: null, value: null };
    const { id, payload } = unframe(bytes);
    const { indexes, rest } = readMessageIndexes(payload);
    return andThen(this.readerFor(id, topic), (r) => {
      try {
        const key = indexes.join('.');
        let entry = r.byPath.get(key);
        if (!entry) {
          const type = messageAt(r.file, indexes);
          entry = { type, schema: toConnectSchema(type, this.data) };
          r.byPath.set(key, entry);
        }
        const obj = entry.type.toObject(entry.type.decode(rest), TO_OBJECT_OPTIONS);
        return { schema: entry.schema, value: fromProtoValue(entry.schema, obj, entry.type) };
      } catch (e) {
        throw new SchemaRegistryDataError(`Failed to deserialize data for topic ${topic} to Protobuf: ${(e as Error).message}`, { cause: e });
      }
    });
  }

  close(): void {}

  private writerFor(schema: Schema): Writer {
    const hit = this.writers.get(schema);
    if (hit) return hit;
    const { text, fullName } = toProtoText(schema, this.data);
    const file = parseProtoFile(text);
    const w: Writer = { text, fullName, type: file.root.lookupType(fullName), prefix: writeMessageIndexes(indexesOf(file, fullName)) };
    if (this.writers.size >= this.settings.schemasCacheSize) this.writers.clear();
    this.writers.set(schema, w);
    return w;
  }

  private readerFor(id: number, topic: string): MaybePromise<Reader> {
    const hit = this.readers.get(id);
    if (hit) return hit;
    const pending = Promise.resolve(this.client.schemaById(id)).then(
      (rs) => {
        const r: Reader = { file: parseProtoFile(rs.schema), byPath: new Map() };
        this.readers.set(id, r);
        return r;
      },
      (e: unknown) => {
        this.readers.delete(id);
        const err = e as Error & { retriable?: boolean };
        if (err.retriable) throw err;
        throw new SchemaRegistryDataError(`Error retrieving Protobuf schema for id ${id} (topic ${topic}): ${err.message}`, { cause: e });
      },
    );
    this.readers.set(id, pending);
    return pending;
  }
}
