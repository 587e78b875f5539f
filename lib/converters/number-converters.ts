/**
 * Connect's fixed-width converters (org.apache.kafka.connect.converters.IntegerConverter,
 * LongConverter, ShortConverter, FloatConverter, DoubleConverter, BooleanConverter):
 * big-endian bytes exactly as Kafka's serializers write them.
 */
import type { ConfigDef } from '../config/config-def.ts';
import { DataError, Schemas } from '../plugins/connect-schema.ts';
import type { Schema } from '../plugins/connect-schema.ts';
import type { ConnectHeader } from '../plugins/connect-record.ts';
import type { Converter, HeaderConverter, Props, SchemaAndValue } from '../plugins/plugin-types.ts';
import { PLUGIN_VERSION, newConverterConfigDef } from './converter-config.ts';
import { describeType, fitsInt, isInt64, integralBigInt, normalizeInt64 } from './data-util.ts';

interface FixedWidth {
  readonly typeName: string;
  readonly deserializer: string;
  readonly schema: Schema;
  readonly size: number;
  accepts(value: unknown): boolean;
  write(buf: Buffer, value: unknown): void;
  read(buf: Buffer): unknown;
}

abstract class FixedWidthConverter implements Converter, HeaderConverter {
  protected abstract readonly spec: FixedWidth;

  version(): string {
    return PLUGIN_VERSION;
  }

  config(): ConfigDef {
    return newConverterConfigDef();
  }

  configure(_props: Props, _isKey?: boolean): void {}

  fromConnectData(_topic: string, _schema: Schema | null | undefined, value: unknown, _headers?: ConnectHeader[]): Buffer | null {
    if (value === null || value === undefined) return null;
    if (!this.spec.accepts(value)) {
      throw new DataError(`Failed to serialize to ${this.spec.typeName} (was ${describeType(value)}): ${String(value)}`);
    }
    const buf = Buffer.alloc(this.spec.size);
    this.spec.write(buf, value);
    return buf;
  }

  toConnectData(_topic: string, value: Buffer | null, _headers?: readonly ConnectHeader[]): SchemaAndValue {
    if (value === null || value === undefined) return { schema: this.spec.schema, value: null };
    const buf = Buffer.from(value);
    if (buf.length !== this.spec.size) {
      throw new DataError(
        `Failed to deserialize ${this.spec.typeName}: Size of data received by ${this.spec.deserializer} is not ${this.spec.size}`,
      );
    }
    return { schema: this.spec.schema, value: this.spec.read(buf) };
  }

  fromConnectHeader(topic: string, _headerKey: string, schema: Schema | null | undefined, value: unknown): Buffer | null {
    return this.fromConnectData(topic, schema, value);
  }

  toConnectHeader(topic: string, _headerKey: string, value: Buffer | null): SchemaAndValue {
    return this.toConnectData(topic, value);
  }

  close(): void {}
}

export class ShortConverter extends FixedWidthConverter {
  static readonly overview = 'Serializes INT16 values as 2 big-endian bytes.';
  protected readonly spec: FixedWidth = {
    typeName: 'short',
    deserializer: 'ShortDeserializer',
    schema: Schemas.OPTIONAL_INT16,
    size: 2,
    accepts: (v) => fitsInt('INT16', v),
    write: (b, v) => b.writeInt16BE(v as number),
    read: (b) => b.readInt16BE(),
  };
}

export class IntegerConverter extends FixedWidthConverter {
  static readonly overview = 'Serializes INT32 values as 4 big-endian bytes.';
  protected readonly spec: FixedWidth = {
    typeName: 'integer',
    deserializer: 'IntegerDeserializer',
    schema: Schemas.OPTIONAL_INT32,
    size: 4,
    accepts: (v) => fitsInt('INT32', v),
    write: (b, v) => b.writeInt32BE(v as number),
    read: (b) => b.readInt32BE(),
  };
}

export class LongConverter extends FixedWidthConverter {
  static readonly overview = 'Serializes INT64 values (number or bigint) as 8 big-endian bytes; reads a number when safe, else a bigint.';
  protected readonly spec: FixedWidth = {
    typeName: 'long',
    deserializer: 'LongDeserializer',
    schema: Schemas.OPTIONAL_INT64,
    size: 8,
    accepts: isInt64,
    write: (b, v) => b.writeBigInt64BE(integralBigInt(v) ?? 0n),
    read: (b) => normalizeInt64(b.readBigInt64BE()),
  };
}

export class FloatConverter extends FixedWidthConverter {
  static readonly overview = 'Serializes FLOAT32 values as 4 big-endian IEEE-754 bytes.';
  protected readonly spec: FixedWidth = {
    typeName: 'float',
    deserializer: 'FloatDeserializer',
    schema: Schemas.OPTIONAL_FLOAT32,
    size: 4,
    accepts: (v) => typeof v === 'number',
    write: (b, v) => b.writeFloatBE(v as number),
    read: (b) => b.readFloatBE(),
  };
}

export class DoubleConverter extends FixedWidthConverter {
  static readonly overview = 'Serializes FLOAT64 values as 8 big-endian IEEE-754 bytes.';
  protected readonly spec: FixedWidth = {
    typeName: 'double',
    deserializer: 'DoubleDeserializer',
    schema: Schemas.OPTIONAL_FLOAT64,
    size: 8,
    accepts: (v) => typeof v === 'number',
    write: (b, v) => b.writeDoubleBE(v as number),
    read: (b) => b.readDoubleBE(),
  };
}

export class BooleanConverter extends FixedWidthConverter {
  static readonly overview = 'Serializes BOOLEAN values as one byte, 0x01 for true and 0x00 for false.';
  protected readonly spec: FixedWidth = {
    typeName: 'boolean',
    deserializer: 'BooleanDeserializer',
    schema: Schemas.OPTIONAL_BOOLEAN,
    size: 1,
    accepts: (v) => typeof v === 'boolean',
    write: (b, v) => b.writeUInt8(v ? 1 : 0),
    read: (b) => {
      const byte = b.readInt8();
      if (byte !== 0 && byte !== 1) throw new DataError(`Failed to deserialize boolean: Unexpected byte received by BooleanDeserializer: ${byte}`);
      return byte === 1;
    },
  };

  override fromConnectData(topic: string, schema: Schema | null | undefined, value: unknown, headers?: ConnectHeader[]): Buffer | null {
    if (schema && schema.type !== 'BOOLEAN') throw new DataError(`Invalid schema type for BooleanConverter: ${schema.type}`);
    return super.fromConnectData(topic, schema, value, headers);
  }
}
