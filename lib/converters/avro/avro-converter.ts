/**
 * io.confluent.connect.avro.AvroConverter: Connect data as Avro in Confluent's wire format
 * (magic byte 0, 4-byte schema id, Avro binary), with schemas registered in and looked up from a
 * Schema Registry. Connect ↔ Avro schemas map as Confluent's AvroData maps them.
 */
import type { ConfigDef } from '../../config/config-def.ts';
import { DataError } from '../../plugins/connect-schema.ts';
import type { Schema } from '../../plugins/connect-schema.ts';
import type { Converter, Props, SchemaAndValue } from '../../plugins/plugin-types.ts';
import { PLUGIN_VERSION } from '../converter-config.ts';
import { SchemaRegistryDataError } from '../schema-registry/errors.ts';
import { andThen, isPromise, type MaybePromise } from '../schema-registry/maybe-async.ts';
import { SchemaRegistryClient, type RegisteredSchema } from '../schema-registry/registry-client.ts';
import { parseRegistrySettings, registryConverterConfigDef, withConnectDataKeys, type RegistryConverterSettings } from '../schema-registry/registry-converter-config.ts';
import { subjectName } from '../schema-registry/subject-name-strategy.ts';
import { HEADER_SIZE, unframe, writeHeader } from '../schema-registry/wire-format.ts';
import { BoundedCache } from '../bounded-cache.ts';
import { avroType, type AvroType } from './avro-codec.ts';
import { readAvroSchema, type AvroNode } from './avro-schema-model.ts';
import { fromConnectSchema, toConnectSchema } from './avro-schema-data.ts';
import { avroToConnect, connectToAvro } from './avro-value-data.ts';

/** What writing one Connect schema needs: its Avro form as registered, the tree and the codec. */
interface Writer {
  readonly schemaString: string;
  readonly node: AvroNode;
  readonly type: AvroType;
  readonly recordName: string;
}

/** Where a record is written: the schema id and the writer registered under it. */
interface Target {
  readonly id: number;
  readonly writer: Writer;
}

/** What reading one schema id needs. */
interface Reader {
  readonly schema: Schema;
  readonly node: AvroNode;
  readonly type: AvroType;
}

export function avroConverterConfigDef(): ConfigDef {
  return withConnectDataKeys(registryConverterConfigDef());
}

export class AvroConverter implements Converter {
  static readonly overview =
    'Converts Connect data to and from Avro in the Confluent wire format (magic byte 0, 4-byte schema id), registering and looking up ' +
    'schemas in a Schema Registry that speaks the Confluent REST API. Connect schemas map to Avro as Confluent\'s AvroData maps them.';

  private settings!: RegistryConverterSettings;
  private client!: SchemaRegistryClient;
  private writers = new BoundedCache<Schema, Writer>(1000);
  private writersByJson = new BoundedCache<string, Writer>(1000);
  private readers = new BoundedCache<number, Reader>(1000);
  private latestWriters = new Map<string, MaybePromise<Target>>();
  /** Resolved targets by writer, then topic: found without building the subject name and the registry client's key per record. */
  private targets = new WeakMap<Writer, Map<string, Target>>();
  /** Where a record's Avro bytes are written after the 5-byte header, then copied out at their size (avsc's toBuffer zero-fills a new buffer per record, and framing copied it again). */
  private scratch = Buffer.allocUnsafe(16 * 1024);

  version(): string {
    return PLUGIN_VERSION;
  }

  config(): ConfigDef {
    return avroConverterConfigDef();
  }

  configure(props: Props, isKey?: boolean): void {
    this.settings = parseRegistrySettings(this.config(), props, isKey);
    this.client = new SchemaRegistryClient({ urls: this.settings.urls, userInfo: this.settings.userInfo });
    this.writers = new BoundedCache(this.settings.schemasCacheSize);
    this.writersByJson = new BoundedCache(this.settings.schemasCacheSize);
    this.readers = new BoundedCache(this.settings.schemasCacheSize);
  }

  fromConnectData(topic: string, schema: Schema | null | undefined, value: unknown): Buffer | null | Promise<Buffer | null> {
    if (value === null || value === undefined) return null;
    if (!schema) throw new DataError(`Failed to serialize Avro data from topic ${topic}: a schema is required`);
    let writer: Writer;
    try {
      writer = this.writerFor(schema);
    } catch (e) {
      throw wrap(`Failed to convert the Connect schema to Avro for topic ${topic}`, e);
    }
    const target = this.targets.get(writer)?.get(topic) ?? this.resolveTarget(topic, writer);
    return andThen(target, ({ id, writer: w }) => {
      try {
        return this.framed(id, w.type, connectToAvro(schema, w.node, value));
      } catch (e) {
        throw wrap(`Failed to serialize Avro data from topic ${topic}`, e);
      }
    });
  }

  toConnectData(topic: string, bytes: Buffer | null): SchemaAndValue | Promise<SchemaAndValue> {
    if (bytes === null || bytes === undefined) return { schema: null, value: null };
    const { id, payload } = unframe(bytes);
    const reader = this.readerFor(id, topic);
    return andThen(reader, (r) => {
      try {
        return { schema: r.schema, value: avroToConnect(r.schema, r.node, r.type.fromBuffer(payload)) };
      } catch (e) {
        throw wrap(`Failed to deserialize data for topic ${topic} to Avro`, e);
      }
    });
  }

  close(): void {}

  /** Magic byte, schema id and the value's Avro binary, in a buffer of their size. */
  private framed(id: number, type: AvroType, value: unknown): Buffer {
    for (;;) {
      const end = type.encode(value, this.scratch, HEADER_SIZE);
      if (end >= 0) {
        const out = Buffer.allocUnsafe(end);
        this.scratch.copy(out, HEADER_SIZE, HEADER_SIZE, end);
        writeHeader(out, id);
        return out;
      }
      // A negative end is the number of bytes missing.
      this.scratch = Buffer.allocUnsafe(Math.max(2 * this.scratch.length, this.scratch.length - end));
    }
  }

  private resolveTarget(topic: string, writer: Writer): MaybePromise<Target> {
    const subject = subjectName(this.settings.subjectNameStrategy, topic, this.settings.isKey, writer.recordName);
    return andThen(this.targetFor(subject, writer), (t) => {
      let byTopic = this.targets.get(writer);
      if (!byTopic) this.targets.set(writer, (byTopic = new Map()));
      byTopic.set(topic, t);
      return t;
    });
  }

  /** The schema id to write under and the writer for it: ours, or the subject's latest version. */
  private targetFor(subject: string, writer: Writer): MaybePromise<Target> {
    const s = this.settings;
    if (s.useLatestVersion) {
      const key = `${subject}\0${writer.schemaString}`;
      let t = this.latestWriters.get(key);
      if (!t) {
        t = andThen(this.client.latest(subject), (latest) => {
          const w = this.writerForJson(latest.schema);
          if (s.latestCompatibilityStrict) {
            try {
              w.type.createResolver(writer.type);
            } catch (e) {
              throw wrap(`Latest version of subject ${subject} (id ${latest.id}) cannot read data written with the record's schema`, e);
            }
          }
          const ready = { id: latest.id, writer: w };
          this.latestWriters.set(key, ready);
          return ready;
        });
        if (isPromise(t)) t.catch(() => this.latestWriters.delete(key));
        this.latestWriters.set(key, t);
      }
      return t;
    }
    const id = s.autoRegister ? this.client.register(subject, writer.schemaString, 'AVRO') : this.client.lookup(subject, writer.schemaString, 'AVRO');
    return andThen(id, (n) => ({ id: n, writer }));
  }

  private writerFor(schema: Schema): Writer {
    const hit = this.writers.get(schema);
    if (hit) return hit;
    const json = JSON.stringify(fromConnectSchema(schema, this.settings));
    const w = this.writerForJson(json);
    this.writers.set(schema, w);
    return w;
  }

  private writerForJson(json: string): Writer {
    const hit = this.writersByJson.get(json);
    if (hit) return hit;
    const parsed = JSON.parse(json) as unknown;
    const node = readAvroSchema(parsed);
    const recordName = node.kind === 'record' || node.kind === 'enum' || node.kind === 'fixed' ? node.fullName : node.branchName;
    const w: Writer = { schemaString: json, node, type: avroType(parsed), recordName };
    this.writersByJson.set(json, w);
    return w;
  }

  private readerFor(id: number, topic: string): MaybePromise<Reader> {
    const hit = this.readers.get(id);
    if (hit) return hit;
    let registered: MaybePromise<RegisteredSchema>;
    try {
      registered = this.client.schemaById(id);
    } catch (e) {
      throw wrap(`Failed to deserialize data for topic ${topic} to Avro`, e);
    }
    const build = (rs: RegisteredSchema): Reader => {
      if (rs.schemaType !== 'AVRO') throw new SchemaRegistryDataError(`Schema id ${id} is a ${rs.schemaType} schema, not Avro`);
      const parsed = JSON.parse(rs.schema) as unknown;
      const node = readAvroSchema(parsed);
      const r: Reader = { schema: toConnectSchema(node, this.settings), node, type: avroType(parsed) };
      this.readers.set(id, r);
      return r;
    };
    if (!isPromise(registered)) return build(registered);
    return registered.then(build, (e: unknown) => {
      throw wrap(`Error retrieving Avro schema for id ${id} (topic ${topic})`, e);
    });
  }
}

/** Data errors become DataErrors naming what failed; registry outages and 5xx keep their own type (retriable). */
function wrap(message: string, e: unknown): Error {
  const err = e as Error & { retriable?: boolean };
  if (err?.retriable) return err;
  if (err instanceof SchemaRegistryDataError) return new SchemaRegistryDataError(`${message}: ${err.message}`, { cause: err });
  return new SchemaRegistryDataError(`${message}: ${err?.message ?? String(e)}`, { cause: e });
}
