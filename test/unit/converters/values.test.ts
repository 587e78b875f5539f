import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Decimal, dateSchema, timeSchema, timestampSchema } from '../../../lib/converters/logical-types.ts';
import { SimpleHeaderConverter } from '../../../lib/converters/simple-header-converter.ts';
import { convertToString, parseString } from '../../../lib/converters/values.ts';
import { SchemaBuilder, Schemas, Struct, valuesEqual } from '../../../lib/plugins/connect-schema.ts';

describe('Values.parseString', () => {
  it('infers booleans, null and the smallest integer type', () => {
    expect(parseString('true')).toEqual({ schema: Schemas.BOOLEAN, value: true });
    expect(parseString('null')).toEqual({ schema: null, value: null });
    expect(parseString('12')).toEqual({ schema: Schemas.INT8, value: 12 });
    expect(parseString('300')).toEqual({ schema: Schemas.INT16, value: 300 });
    expect(parseString('70000')).toEqual({ schema: Schemas.INT32, value: 70000 });
    expect(parseString('9223372036854775807')).toEqual({ schema: Schemas.INT64, value: 9223372036854775807n });
    expect(parseString('1.0')).toEqual({ schema: Schemas.INT8, value: 1 });
  });

  it('infers FLOAT32, then FLOAT64, then Decimal', () => {
    expect(parseString('1.5')).toEqual({ schema: Schemas.FLOAT32, value: 1.5 });
    expect(parseString('1e300').schema).toEqual(Schemas.FLOAT64);
    const big = parseString('123456789012345678901234567890');
    expect(big.schema?.name).toBe('org.apache.kafka.connect.data.Decimal');
    expect(big.value).toEqual(new Decimal(123456789012345678901234567890n, 0));
  });

  it('infers ISO-8601 dates, times and timestamps', () => {
    expect(parseString('2024-02-29')).toEqual({ schema: dateSchema(), value: new Date(Date.UTC(2024, 1, 29)) });
    expect(parseString('12:00:00.001Z')).toEqual({ schema: timeSchema(), value: new Date(43_200_001) });
    expect(parseString('2024-02-29T01:02:03.004Z')).toEqual({ schema: timestampSchema(), value: new Date(Date.UTC(2024, 1, 29, 1, 2, 3, 4)) });
    expect(parseString('2024-02-30').schema).toEqual(Schemas.STRING);
  });

  it('parses lists and maps with a common element schema', () => {
    expect(parseString('[1, 2, 300]')).toEqual({ schema: SchemaBuilder.array(Schemas.INT16).build(), value: [1, 2, 300] });
    const map = parseString('{"a":1,"b":true}');
    expect(map.schema).toBeNull();
    expect(map.value).toEqual(new Map<string, unknown>([['a', 1], ['b', true]]));
    const typed = parseString('{"a":[1],"b":[2]}');
    expect(typed.schema).toEqual(SchemaBuilder.map(Schemas.STRING, SchemaBuilder.array(Schemas.INT8).build()).build());
    expect(parseString('{"t":12:30:00.000Z}').value).toEqual(new Map([['t', new Date(45_000_000)]]));
  });

  it('falls back to the original string', () => {
    expect(parseString('hello world')).toEqual({ schema: Schemas.STRING, value: 'hello world' });
    expect(parseString('[1, two]')).toEqual({ schema: Schemas.STRING, value: '[1, two]' });
    expect(parseString('{a:1')).toEqual({ schema: Schemas.STRING, value: '{a:1' });
    expect(parseString('')).toEqual({ schema: Schemas.STRING, value: '' });
    expect(parseString('1,2')).toEqual({ schema: Schemas.STRING, value: '1,2' });
  });
});

describe('Values.convertToString', () => {
  it('writes Connect text forms', () => {
    expect(convertToString(Schemas.STRING, 'x')).toBe('x');
    expect(convertToString(Schemas.FLOAT32, 0.1)).toBe('0.1');
    expect(convertToString(Schemas.FLOAT64, 2)).toBe('2.0');
    expect(convertToString(null, [1, 'a"b', null])).toBe('[1,"a\\"b",null]');
    expect(convertToString(null, new Map([['k', true]]))).toBe('{"k":true}');
    expect(convertToString(null, Buffer.from('hi'))).toBe('aGk=');
    expect(convertToString(dateSchema(), new Date(0))).toBe('1970-01-01');
    expect(convertToString(null, new Date(Date.UTC(2020, 0, 2, 3, 4, 5, 6)))).toBe('2020-01-02T03:04:05.006Z');
    const s = SchemaBuilder.struct().field('a', Schemas.INT32).field('b', Schemas.OPTIONAL_STRING).build();
    expect(convertToString(s, new Struct(s).put('a', 1).put('b', 'x'))).toBe('{"a":1,"b":"x"}');
    expect(convertToString(null, null)).toBeNull();
  });
});

describe('SimpleHeaderConverter', () => {
  const c = new SimpleHeaderConverter();

  it('writes text and parses it back with an inferred schema', () => {
    const bytes = c.fromConnectHeader('t', 'h', Schemas.INT32, 42);
    expect(bytes?.toString()).toBe('42');
    expect(c.toConnectHeader('t', 'h', bytes)).toEqual({ schema: Schemas.INT8, value: 42 });
    expect(c.toConnectHeader('t', 'h', Buffer.from('some text'))).toEqual({ schema: Schemas.STRING, value: 'some text' });
    expect(c.toConnectHeader('t', 'h', null)).toEqual({ schema: null, value: null });
    expect(c.fromConnectHeader('t', 'h', null, null)).toBeNull();
  });

  it('keeps bytes that are not UTF-8 as BYTES', () => {
    const raw = Buffer.from([0xff, 0xfe, 0x00]);
    expect(c.toConnectHeader('t', 'h', raw)).toEqual({ schema: Schemas.BYTES, value: raw });
  });

  it('round-trips strings, booleans, integers and lists of integers (property)', () => {
    const value = fc.oneof(
      fc.string().filter((s) => parseString(s).schema === Schemas.STRING),
      fc.boolean(),
      fc.integer(),
      fc.array(fc.integer({ min: -100, max: 100 }), { minLength: 1, maxLength: 5 }),
    );
    fc.assert(
      fc.property(value, (v) => {
        const back = c.toConnectHeader('t', 'h', c.fromConnectHeader('t', 'h', null, v));
        expect(valuesEqual(back.value, v)).toBe(true);
      }),
    );
  });
});
