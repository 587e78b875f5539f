import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../lib/config/config-def.ts';
import { JsonConverter, SCHEMAS_REQUIRED_MESSAGE } from '../../../lib/converters/json-converter.ts';
import { Decimal, dateSchema, decimalSchema, timeSchema, timestampSchema } from '../../../lib/converters/logical-types.ts';
import { DataError, SchemaBuilder, Schemas, Struct } from '../../../lib/plugins/connect-schema.ts';

function converter(props: Record<string, string> = {}, isKey = false): JsonConverter {
  const c = new JsonConverter();
  c.configure(props, isKey);
  return c;
}

const text = (b: Buffer | null) => b?.toString('utf8');

describe('JsonConverter with schemas enabled (default)', () => {
  const c = converter();

  it('wraps primitives in a schema/payload envelope with Connect type names', () => {
    expect(text(c.fromConnectData('t', Schemas.INT32, 42))).toBe('{"schema":{"type":"int32","optional":false},"payload":42}');
    expect(text(c.fromConnectData('t', Schemas.OPTIONAL_STRING, 'hi'))).toBe('{"schema":{"type":"string","optional":true},"payload":"hi"}');
    expect(text(c.fromConnectData('t', Schemas.FLOAT32, 1.5))).toBe('{"schema":{"type":"float","optional":false},"payload":1.5}');
    expect(text(c.fromConnectData('t', Schemas.FLOAT64, 1))).toBe('{"schema":{"type":"double","optional":false},"payload":1.0}');
    expect(text(c.fromConnectData('t', Schemas.BYTES, Buffer.from('hello')))).toBe('{"schema":{"type":"bytes","optional":false},"payload":"aGVsbG8="}');
  });

  it('writes struct schemas with fields, name, version, doc and parameters in Connect order', () => {
    const schema = SchemaBuilder.struct()
      .name('com.example.User')
      .version(2)
      .doc('a user')
      .parameter('p', 'v')
      .field('id', Schemas.INT64)
      .field('tags', SchemaBuilder.array(Schemas.STRING).optional().build())
      .build();
    const value = new Struct(schema).put('id', 7).put('tags', ['a']);
    expect(text(c.fromConnectData('t', schema, value))).toBe(
      '{"schema":{"type":"struct","fields":[{"type":"int64","optional":false,"field":"id"},' +
        '{"type":"array","items":{"type":"string","optional":false},"optional":true,"field":"tags"}],' +
        '"optional":false,"name":"com.example.User","version":2,"doc":"a user","parameters":{"p":"v"}},' +
        '"payload":{"id":7,"tags":["a"]}}',
    );
  });

  it('reads an envelope back into schema and Struct', () => {
    const bytes = Buffer.from(
      '{"schema":{"type":"struct","fields":[{"type":"int32","optional":false,"field":"a"},{"type":"string","optional":true,"field":"b"}],"optional":false,"name":"n"},"payload":{"a":1,"b":null}}',
    );
    const { schema, value } = c.toConnectData('t', bytes);
    expect(schema?.type).toBe('STRUCT');
    expect(schema?.name).toBe('n');
    expect(value).toBeInstanceOf(Struct);
    expect((value as Struct).get('a')).toBe(1);
    expect((value as Struct).get('b')).toBeNull();
  });

  it('maps tombstones: null bytes ↔ null value', () => {
    expect(c.fromConnectData('t', null, null)).toBeNull();
    expect(c.toConnectData('t', null)).toEqual({ schema: null, value: null });
  });

  it('writes a null value with an optional schema as payload null', () => {
    expect(text(c.fromConnectData('t', Schemas.OPTIONAL_INT32, null))).toBe('{"schema":{"type":"int32","optional":true},"payload":null}');
  });

  it('rejects plain JSON, telling to set schemas.enable=false', () => {
    expect(() => c.toConnectData('t', Buffer.from('{"a":1}'))).toThrow(DataError);
    expect(() => c.toConnectData('t', Buffer.from('{"a":1}'))).toThrow(/set schemas\.enable=false/);
    expect(() => c.toConnectData('t', Buffer.from('[1]'))).toThrow(SCHEMAS_REQUIRED_MESSAGE);
    expect(() => c.toConnectData('t', Buffer.from('{"schema":null,"payload":1,"extra":2}'))).toThrow(/may not contain additional fields/);
  });

  it('reports malformed JSON as DataError', () => {
    expect(() => c.toConnectData('t', Buffer.from('{"schema":'))).toThrow(DataError);
  });

  it('writes maps with string keys as objects and other keys as [key, value] pairs', () => {
    const strMap = SchemaBuilder.map(Schemas.STRING, Schemas.INT32).build();
    expect(text(c.fromConnectData('t', strMap, new Map([['a', 1]])))).toContain('"payload":{"a":1}');
    const intMap = SchemaBuilder.map(Schemas.INT32, Schemas.STRING).build();
    const bytes = c.fromConnectData('t', intMap, new Map([[1, 'x'], [2, 'y']]));
    expect(text(bytes)).toContain('"payload":[[1,"x"],[2,"y"]]');
    expect(c.toConnectData('t', bytes).value).toEqual(new Map([[1, 'x'], [2, 'y']]));
  });

  it('keeps INT64 precision beyond 2^53 (bigint) and accepts number or bigint', () => {
    const big = 2n ** 62n + 1n;
    const bytes = c.fromConnectData('t', Schemas.INT64, big);
    expect(text(bytes)).toContain(`"payload":${big}`);
    expect(c.toConnectData('t', bytes).value).toBe(big);
    expect(c.toConnectData('t', c.fromConnectData('t', Schemas.INT64, 12))).toEqual({ schema: Schemas.INT64, value: 12 });
    expect(c.toConnectData('t', Buffer.from('{"schema":{"type":"int64","optional":false},"payload":-9223372036854775808}')).value).toBe(-(2n ** 63n));
  });

  it('rejects values that do not fit their schema', () => {
    expect(() => c.fromConnectData('t', Schemas.INT8, 300)).toThrow(DataError);
    expect(() => c.fromConnectData('t', Schemas.INT32, 'x')).toThrow(/Invalid type for INT32/);
    expect(() => c.fromConnectData('t', Schemas.INT64, 2n ** 63n)).toThrow(DataError);
    expect(() => c.fromConnectData('t', Schemas.STRING, null)).toThrow(/null value for field that is required/);
    const other = SchemaBuilder.struct().field('x', Schemas.INT32).build();
    const s = SchemaBuilder.struct().field('y', Schemas.INT32).build();
    expect(() => c.fromConnectData('t', s, new Struct(other).put('x', 1))).toThrow(/Mismatching schema/);
    expect(() => c.toConnectData('t', Buffer.from('{"schema":{"type":"int32","optional":false},"payload":null}'))).toThrow(
      /Invalid null value for required INT32 field/,
    );
  });

  it('converts Decimal as base64 of the unscaled two\'s-complement bytes with a scale parameter', () => {
    const schema = decimalSchema(2);
    const bytes = c.fromConnectData('t', schema, new Decimal(-12345n, 2));
    expect(text(bytes)).toBe(
      '{"schema":{"type":"bytes","optional":false,"name":"org.apache.kafka.connect.data.Decimal","version":1,"parameters":{"scale":"2"}},"payload":"z8c="}',
    );
    expect(c.toConnectData('t', bytes).value).toEqual(new Decimal(-12345n, 2));
    expect(() => c.fromConnectData('t', schema, new Decimal(1n, 3))).toThrow(/mismatching scale/);
  });

  it('writes Decimal as a JSON number with decimal.format=NUMERIC (case-insensitive)', () => {
    const numeric = converter({ 'decimal.format': 'numeric' });
    const bytes = numeric.fromConnectData('t', decimalSchema(3), new Decimal(1234500n, 3));
    expect(text(bytes)).toContain('"payload":1234.500');
    expect(numeric.toConnectData('t', bytes).value).toEqual(new Decimal(1234500n, 3));
  });

  it('converts Date, Time and Timestamp to days, millis-of-day and epoch millis', () => {
    const day = new Date(Date.UTC(2024, 1, 29));
    expect(text(c.fromConnectData('t', dateSchema(), day))).toContain('"payload":19782');
    expect(text(c.fromConnectData('t', timeSchema(), new Date(3_600_000)))).toContain('"payload":3600000');
    const ts = new Date(Date.UTC(2024, 0, 1, 12, 30, 0, 5));
    const bytes = c.fromConnectData('t', timestampSchema(), ts);
    expect(text(bytes)).toContain(`"payload":${ts.getTime()}`);
    expect(c.toConnectData('t', bytes).value).toEqual(ts);
    expect(() => c.fromConnectData('t', dateSchema(), ts)).toThrow(/should not have any time fields/);
    expect(() => c.fromConnectData('t', timeSchema(), day)).toThrow(/should not have any date fields/);
  });

  it('replaces null with the schema default unless replace.null.with.default=false', () => {
    const schema = new SchemaBuilder('INT32').optional().defaultValue(5).build();
    expect(text(c.fromConnectData('t', schema, null))).toContain('"payload":5');
    expect(text(c.fromConnectData('t', schema, null))).toContain('"default":5');
    const keepNull = converter({ 'replace.null.with.default': 'false' });
    expect(text(keepNull.fromConnectData('t', schema, null))).toContain('"payload":null');
    const bytes = Buffer.from('{"schema":{"type":"int32","optional":true,"default":5},"payload":null}');
    expect(c.toConnectData('t', bytes).value).toBe(5);
    expect(keepNull.toConnectData('t', bytes).value).toBeNull();
  });

  it('works as a header converter', () => {
    const h = new JsonConverter();
    h.configure({});
    const bytes = h.fromConnectHeader('t', 'k', Schemas.BOOLEAN, true);
    expect(text(bytes)).toBe('{"schema":{"type":"boolean","optional":false},"payload":true}');
    expect(h.toConnectHeader('t', 'k', bytes)).toEqual({ schema: Schemas.BOOLEAN, value: true });
  });
});

describe('JsonConverter with schemas.enable=false', () => {
  const c = converter({ 'schemas.enable': 'false' });

  it('writes plain JSON and infers nothing on read', () => {
    expect(text(c.fromConnectData('t', null, { a: 1, b: [true, 'x'], c: null }))).toBe('{"a":1,"b":[true,"x"],"c":null}');
    const { schema, value } = c.toConnectData('t', Buffer.from('{"a":1,"b":{"c":[1.5,"x"]}}'));
    expect(schema).toBeNull();
    expect(value).toEqual({ a: 1, b: { c: [1.5, 'x'] } });
  });

  it('parses big integers without precision loss', () => {
    expect(c.toConnectData('t', Buffer.from('{"id":12345678901234567890}')).value).toEqual({ id: 12345678901234567890n });
    expect(c.toConnectData('t', Buffer.from('9007199254740993')).value).toBe(9007199254740993n);
  });

  it('still honours a schema when given one, and writes no envelope', () => {
    expect(text(c.fromConnectData('t', Schemas.FLOAT64, 2))).toBe('2.0');
    expect(text(c.fromConnectData('t', Schemas.BYTES, Buffer.from([1, 2])))).toBe('"AQI="');
  });

  it('reads empty input as null', () => {
    expect(c.toConnectData('t', Buffer.alloc(0)).value).toBeNull();
  });

  it('rejects values JSON cannot represent without a schema', () => {
    expect(() => c.fromConnectData('t', null, new Date())).toThrow(DataError);
  });
});

describe('JsonConverter config', () => {
  it('defines Connect\'s keys and defaults', () => {
    const def = new JsonConverter().config();
    expect(def.names()).toEqual(['converter.type', 'schemas.enable', 'schemas.cache.size', 'decimal.format', 'replace.null.with.default']);
    expect(def.get('schemas.enable')?.defaultValue).toBe(true);
    expect(def.get('decimal.format')?.defaultValue).toBe('BASE64');
  });

  it('rejects bad values with ConfigError', () => {
    expect(() => converter({ 'schemas.enable': 'maybe' })).toThrow(ConfigError);
    expect(() => converter({ 'decimal.format': 'HEX' })).toThrow(/decimal\.format/);
  });
});
