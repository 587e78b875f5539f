import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../lib/config/config-def.ts';
import { ByteArrayConverter } from '../../../lib/converters/byte-array-converter.ts';
import { withConverterType } from '../../../lib/converters/converter-config.ts';
import { INT64_MAX, INT64_MIN, normalizeInt64 } from '../../../lib/converters/data-util.ts';
import {
  BooleanConverter,
  DoubleConverter,
  FloatConverter,
  IntegerConverter,
  LongConverter,
  ShortConverter,
} from '../../../lib/converters/number-converters.ts';
import { StringConverter } from '../../../lib/converters/string-converter.ts';
import { DataError, SchemaBuilder, Schemas } from '../../../lib/plugins/connect-schema.ts';

describe('StringConverter', () => {
  it('writes UTF-8 by default and reads back an optional string', () => {
    const c = new StringConverter();
    c.configure({}, false);
    const bytes = c.fromConnectData('t', Schemas.STRING, 'héllo €');
    expect(bytes).toEqual(Buffer.from('héllo €', 'utf8'));
    expect(c.toConnectData('t', bytes)).toEqual({ schema: Schemas.OPTIONAL_STRING, value: 'héllo €' });
    expect(c.fromConnectData('t', null, null)).toBeNull();
    expect(c.toConnectData('t', null)).toEqual({ schema: Schemas.OPTIONAL_STRING, value: null });
  });

  it('honours converter.encoding (Java charset names)', () => {
    const c = new StringConverter();
    c.configure({ 'converter.encoding': 'UTF-16' }, true);
    const bytes = c.fromConnectData('t', null, 'AB');
    expect([...(bytes ?? [])]).toEqual([0xfe, 0xff, 0x00, 0x41, 0x00, 0x42]);
    expect(c.toConnectData('t', bytes).value).toBe('AB');
    const latin = new StringConverter();
    latin.configure({ 'converter.encoding': 'ISO-8859-1' }, false);
    expect([...(latin.fromConnectData('t', null, 'é') ?? [])]).toEqual([0xe9]);
  });

  it('rejects unknown encodings with ConfigError', () => {
    expect(() => new StringConverter().configure({ 'converter.encoding': 'EBCDIC-XYZ' }, false)).toThrow(ConfigError);
  });

  it('writes non-string values in their text form', () => {
    const c = new StringConverter();
    expect(c.fromConnectData('t', Schemas.INT32, 42)?.toString()).toBe('42');
    expect(c.fromConnectData('t', Schemas.FLOAT64, 1)?.toString()).toBe('1.0');
    expect(c.fromConnectData('t', null, true)?.toString()).toBe('true');
  });

  it('round-trips any string (property)', () => {
    const c = new StringConverter();
    fc.assert(fc.property(fc.string({ unit: 'grapheme' }), (s) => {
      expect(c.toConnectData('t', c.fromConnectData('t', null, s)).value).toBe(s);
    }));
  });

  it('validates converter.type like Connect', () => {
    const def = new StringConverter().config();
    const result = def.validate(withConverterType({}, 'header'));
    expect(result.every((r) => r.errors.length === 0)).toBe(true);
    expect(def.validate({}).find((r) => r.name === 'converter.type')?.errors[0]).toMatch(/Missing required configuration "converter.type"/);
  });
});

describe('ByteArrayConverter', () => {
  const c = new ByteArrayConverter();

  it('passes bytes through', () => {
    const b = Buffer.from([1, 2, 3]);
    expect(c.fromConnectData('t', Schemas.BYTES, b)).toBe(b);
    expect(c.fromConnectData('t', null, new Uint8Array([9]))).toEqual(Buffer.from([9]));
    expect(c.toConnectData('t', b)).toEqual({ schema: Schemas.OPTIONAL_BYTES, value: b });
    expect(c.fromConnectData('t', null, null)).toBeNull();
  });

  it('rejects other schemas and values', () => {
    expect(() => c.fromConnectData('t', Schemas.STRING, Buffer.from('x'))).toThrow('Invalid schema type for ByteArrayConverter: STRING');
    expect(() => c.fromConnectData('t', null, 'x')).toThrow(DataError);
  });
});

describe('number converters', () => {
  it('write big-endian fixed widths as Kafka serializers do', () => {
    expect([...(new ShortConverter().fromConnectData('t', null, -2) ?? [])]).toEqual([0xff, 0xfe]);
    expect([...(new IntegerConverter().fromConnectData('t', null, 258) ?? [])]).toEqual([0, 0, 1, 2]);
    expect([...(new LongConverter().fromConnectData('t', null, -1n) ?? [])]).toEqual([255, 255, 255, 255, 255, 255, 255, 255]);
    expect([...(new FloatConverter().fromConnectData('t', null, 1) ?? [])]).toEqual([0x3f, 0x80, 0, 0]);
    expect([...(new DoubleConverter().fromConnectData('t', null, 1) ?? [])]).toEqual([0x3f, 0xf0, 0, 0, 0, 0, 0, 0]);
    expect([...(new BooleanConverter().fromConnectData('t', null, true) ?? [])]).toEqual([1]);
  });

  it('read back with optional schemas', () => {
    expect(new IntegerConverter().toConnectData('t', Buffer.from([0, 0, 1, 2]))).toEqual({ schema: Schemas.OPTIONAL_INT32, value: 258 });
    expect(new LongConverter().toConnectData('t', null)).toEqual({ schema: Schemas.OPTIONAL_INT64, value: null });
    expect(new BooleanConverter().toConnectData('t', Buffer.from([0]))).toEqual({ schema: Schemas.OPTIONAL_BOOLEAN, value: false });
  });

  it('reject wrong sizes and wrong types with DataError', () => {
    expect(() => new IntegerConverter().toConnectData('t', Buffer.from([1]))).toThrow(/Size of data received by IntegerDeserializer is not 4/);
    expect(() => new IntegerConverter().fromConnectData('t', null, 2 ** 31)).toThrow(/Failed to serialize to integer/);
    expect(() => new ShortConverter().fromConnectData('t', null, 'x')).toThrow(DataError);
    expect(() => new BooleanConverter().toConnectData('t', Buffer.from([2]))).toThrow(/Unexpected byte/);
    expect(() => new BooleanConverter().fromConnectData('t', SchemaBuilder.struct().build(), true)).toThrow(/Invalid schema type/);
  });

  it('round-trip their whole ranges (property)', () => {
    const long = new LongConverter();
    fc.assert(
      fc.property(fc.bigInt({ min: INT64_MIN, max: INT64_MAX }), (n) => {
        expect(long.toConnectData('t', long.fromConnectData('t', null, n)).value).toBe(normalizeInt64(n));
      }),
    );
    const int = new IntegerConverter();
    fc.assert(fc.property(fc.integer(), (n) => {
      expect(int.toConnectData('t', int.fromConnectData('t', null, n)).value).toBe(n);
    }));
    const dbl = new DoubleConverter();
    fc.assert(fc.property(fc.double(), (n) => {
      expect(dbl.toConnectData('t', dbl.fromConnectData('t', null, n)).value).toBe(n);
    }));
    const flt = new FloatConverter();
    fc.assert(fc.property(fc.float(), (n) => {
      expect(flt.toConnectData('t', flt.fromConnectData('t', null, n)).value).toBe(n);
    }));
  });
});
