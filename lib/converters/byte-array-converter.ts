/**
 * org.apache.kafka.connect.converters.ByteArrayConverter: passes bytes through unchanged.
 */
import type { ConfigDef } from '../config/config-def.ts';
import { DataError, Schemas } from '../plugins/connect-schema.ts';
import type { Schema } from '../plugins/connect-schema.ts';
import type { ConnectHeader } from '../plugins/connect-record.ts';
import type { Converter, HeaderConverter, Props, SchemaAndValue } from '../plugins/plugin-types.ts';
import { PLUGIN_VERSION, newConverterConfigDef } from './converter-config.ts';
import { describeType, isBytes } from './data-util.ts';

export class ByteArrayConverter implements Converter, HeaderConverter {
  static readonly overview = 'Passes raw bytes through unchanged; the schema must be bytes (or absent).';

  version(): string {
    return PLUGIN_VERSION;
  }

  config(): ConfigDef {
    return newConverterConfigDef();
  }

  configure(_props: Props, _isKey?: boolean): void {}

  fromConnectData(_topic: string, schema: Schema | null | undefined, value: unknown, _headers?: ConnectHeader[]): Buffer | null {
    if (schema && schema.type !== 'BYTES') throw new DataError(`Invalid schema type for ByteArrayConverter: ${schema.type}`);
    if (value === null || value === undefined) return null;
    if (!isBytes(value)) throw new DataError(`ByteArrayConverter is not compatible with objects of type ${describeType(value)}`);
    return Buffer.isBuffer(value) ? value : Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  }

  toConnectData(_topic: string, value: Buffer | null, _headers?: readonly ConnectHeader[]): SchemaAndValue {
    return { schema: Schemas.OPTIONAL_BYTES, value: value ?? null };
  }

  fromConnectHeader(topic: string, _headerKey: string, schema: Schema | null | undefined, value: unknown): Buffer | null {
    return this.fromConnectData(topic, schema, value);
  }

  toConnectHeader(topic: string, _headerKey: string, value: Buffer | null): SchemaAndValue {
    return this.toConnectData(topic, value);
  }

  close(): void {}
}
