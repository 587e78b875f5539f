/** JsonConverter's shortcuts (cached schema text, strings without a tree) must write exactly what the tree path writes. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { asJsonSchema, convertToJson } from '../../../lib/converters/json-data.ts';
import { JsonConverter } from '../../../lib/converters/json-converter.ts';
import { jsonObject, writeJson } from '../../../lib/converters/json-text.ts';
import { SchemaBuilder, Schemas, Struct, type Schema } from '../../../lib/plugins/connect-schema.ts';

const codec = { decimalFormat: 'BASE64', replaceNullWithDefault: true } as const;

/** The envelope as the converter wrote it before the shortcuts: one tree, written once. */
function reference(schema: Schema | null, value: unknown, schemas: boolean): string {
  const payload = convertToJson(schema, value, codec);
  return writeJson(schemas ? jsonObject([['schema', schema ? asJsonSchema(schema, codec) : null], ['payload', payload]]) : payload);
}

function converter(schemas: boolean): JsonConverter {
  const c = new JsonConverter();
  c.configure({ 'schemas.enable': String(schemas) }, false);
  return c;
}

describe('JsonConverter.fromConnectData shortcuts', () => {
  it('writes any string as the tree path does, with and without the envelope', () => {
    for (const schemas of [true, false]) {
      const c = converter(schemas);
      fc.assert(
        fc.property(fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.constantFrom('', '"', '\\', '\u0000\u001f\u007f', '\ud800', 'é€😀', '</script>')), (s) => {
          expect(c.fromConnectData('t', Schemas.STRING, s)?.toString('utf8')).toBe(reference(Schemas.STRING, s, schemas));
          expect(c.fromConnectData('t', Schemas.OPTIONAL_STRING, s)?.toString('utf8')).toBe(reference(Schemas.OPTIONAL_STRING, s, schemas));
        }),
      );
    }
  });

  it('writes structs, nulls and schemaless values as before, also when the schema text is reused', () => {
    const schema = SchemaBuilder.struct().name('com.example.Row').field('id', Schemas.INT64).field('name', Schemas.OPTIONAL_STRING).build();
    const c = converter(true);
    for (let i = 0; i < 3; i++) {
      const row = new Struct(schema).put('id', i).put('name', i === 1 ? null : `n${i}`);
      expect(c.fromConnectData('t', schema, row)?.toString('utf8')).toBe(reference(schema, row, true));
    }
    expect(c.fromConnectData('t', Schemas.OPTIONAL_STRING, null)?.toString('utf8')).toBe(reference(Schemas.OPTIONAL_STRING, null, true));
    expect(c.fromConnectData('t', null, { a: [1, 'x'] })?.toString('utf8')).toBe(reference(null, { a: [1, 'x'] }, true));
    expect(c.fromConnectData('t', null, null)).toBeNull();
  });
});

describe('JsonConverter.toConnectData shortcut for string envelopes', () => {
  const head = '{"schema":{"type":"string","optional":false},"payload":';
  const general = (text: string) => {
    // The same text with a space before the payload takes the general path.
    return converter(true).toConnectData('t', Buffer.from(text.replace(head, `${head} `)));
  };

  it('reads any string envelope as the general path does', () => {
    const c = converter(true);
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.constantFrom('', '"', '\\', '\u0000', 'é€😀', '"}')), (s) => {
        const text = c.fromConnectData('t', Schemas.STRING, s)!.toString('utf8');
        expect(text.startsWith(head)).toBe(true);
        const fast = c.toConnectData('t', Buffer.from(text));
        expect(fast.value).toBe(s);
        expect(fast).toEqual(general(text));
      }),
    );
  });

  it('reads any bytes between the quotes as the general path does: escapes, raw control characters, quotes, invalid UTF-8, whitespace', () => {
    const c = converter(true);
    c.toConnectData('t', Buffer.from(`${head}"primed"}`));
    const outcome = (conv: JsonConverter, bytes: Buffer) => {
      try {
        return { value: conv.toConnectData('t', bytes) };
      } catch (e) {
        return { error: (e as Error).message };
      }
    };
    const special = fc.constantFrom(0x22, 0x5c, 0x00, 0x09, 0x0a, 0x1f, 0x20, 0x7f, 0x80, 0xc3, 0xa9, 0xff, 0x75);
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.integer({ min: 0, max: 255 }), special), { maxLength: 40 }), fc.constantFrom('', ' ', '\n', ' \t'), (inner, trailing) => {
        const bytes = Buffer.concat([Buffer.from(`${head}"`), Buffer.from(inner), Buffer.from(`"${trailing}}${trailing}`)]);
        // A converter that has read no envelope yet parses the whole text: the reference.
        expect(outcome(c, bytes)).toEqual(outcome(converter(true), bytes));
      }),
      { numRuns: 2_000 },
    );
    expect(c.toConnectData('t', Buffer.from(`${head}"tab\\there"}`)).value).toBe('tab\there');
    expect(() => c.toConnectData('t', Buffer.from(`${head}"raw\nline"}`))).toThrow(/serialization error/);
  });

  it('leaves anything but exactly one string payload to the general path and its errors', () => {
    const c = converter(true);
    expect(() => c.toConnectData('t', Buffer.from(`${head}"a","extra":1}`))).toThrow(/requires "schema" and "payload" fields/);
    expect(() => c.toConnectData('t', Buffer.from(`${head}"a"`))).toThrow(/serialization error/);
    expect(() => c.toConnectData('t', Buffer.from(`${head}1}`))).toThrow();
    expect(() => c.toConnectData('t', Buffer.from(`${head}null}`))).toThrow(/Invalid null value for required STRING field/);
  });
});

describe('JsonConverter.toConnectData with the schema text of the previous envelope', () => {
  const row = SchemaBuilder.struct().name('com.example.Row').field('id', Schemas.INT64).field('name', Schemas.OPTIONAL_STRING).field('tags', SchemaBuilder.array(Schemas.STRING).optional().build()).build();
  const writer = converter(true);
  const envelope = (schema: Schema | null, value: unknown) => writer.fromConnectData('t', schema, value)!.toString('utf8');
  /** Reads `text` right after an envelope of the same schema (the shortcut), and with a fresh converter (the general path). */
  const both = (first: string, text: string) => {
    const warm = converter(true);
    warm.toConnectData('t', Buffer.from(first));
    const read = (c: JsonConverter) => {
      try {
        return { ok: c.toConnectData('t', Buffer.from(text)) };
      } catch (e) {
        return { error: (e as Error).message };
      }
    };
    return { shortcut: read(warm), general: read(converter(true)) };
  };

  it('reads structs, numbers, nulls and schemaless envelopes as the general path does', () => {
    const first = envelope(row, new Struct(row).put('id', 0));
    fc.assert(
      fc.property(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), fc.option(fc.string()), fc.option(fc.array(fc.string())), (id, name, tags) => {
        const text = envelope(row, new Struct(row).put('id', id).put('name', name).put('tags', tags));
        const { shortcut, general } = both(first, text);
        expect(shortcut).toEqual(general);
      }),
    );
    fc.assert(
      fc.property(fc.json(), (payload) => {
        const text = `{"schema":null,"payload":${payload}}`;
        const { shortcut, general } = both('{"schema":null,"payload":1}', text);
        expect(shortcut).toEqual(general);
      }),
    );
  });

  it('leaves other layouts, extra fields and bad payloads to the general path and its errors', () => {
    const first = envelope(Schemas.INT32, 1);
    const head = first.slice(0, first.indexOf('"payload":') + '"payload":'.length);
    for (const rest of ['2}', ' 2 } \n', '2', '2,"x":1}', '}', '', ' }', '"a"}', 'null}', '2}}', '2} x', '1.5}', '99999999999}', '\ufeff2}']) {
      const { shortcut, general } = both(first, head + rest);
      expect(shortcut, rest).toEqual(general);
    }
    for (const text of [' ' + first, first.replace('{"schema":', '{ "schema":'), first.replace('"payload"', '"payload2"'), `{"payload":2,"schema":${JSON.stringify({ type: 'int32', optional: false })}}`]) {
      const { shortcut, general } = both(first, text);
      expect(shortcut, text).toEqual(general);
    }
  });

  it('shares one Connect schema per schema text, unless schemas.cache.size is 0', () => {
    const text = envelope(row, new Struct(row).put('id', 1));
    const cached = converter(true);
    expect(cached.toConnectData('t', Buffer.from(text)).schema).toBe(cached.toConnectData('t', Buffer.from(text)).schema);
    const uncached = new JsonConverter();
    uncached.configure({ 'schemas.enable': 'true', 'schemas.cache.size': '0' }, false);
    const [a, b] = [uncached.toConnectData('t', Buffer.from(text)), uncached.toConnectData('t', Buffer.from(text))];
    expect(a.schema).not.toBe(b.schema);
    expect(a).toEqual(b);
  });
});
