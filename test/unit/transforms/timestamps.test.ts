import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../lib/config/config-def.ts';
import { dateSchema, timeSchema, timestampSchema } from '../../../lib/converters/logical-types.ts';
import { DataError, SchemaBuilder, Schemas, Struct } from '../../../lib/plugins/connect-schema.ts';
import { SimpleDateFormat } from '../../../lib/transforms/simple-date-format.ts';
import { TimestampConverter } from '../../../lib/transforms/timestamp-converter-transform.ts';
import { TimestampRouter } from '../../../lib/transforms/timestamp-router-transform.ts';
import { applied, configured, sourceRecord } from './fixtures.ts';

const T = Date.UTC(2024, 2, 5, 14, 7, 9, 45); // Tue 2024-03-05 14:07:09.045 UTC

describe('SimpleDateFormat', () => {
  it('formats Java patterns in UTC', () => {
    expect(new SimpleDateFormat("yyyy-MM-dd'T'HH:mm:ss.SSSZ").format(new Date(T))).toBe('2024-03-05T14:07:09.045+0000');
    expect(new SimpleDateFormat('yyyyMMdd').format(new Date(T))).toBe('20240305');
    expect(new SimpleDateFormat("EEE, d MMM yy h:mm a 'at' D").format(new Date(T))).toBe('Tue, 5 Mar 24 2:07 PM at 65');
    expect(new SimpleDateFormat("''yyyy'' XXX").format(new Date(T))).toBe("'2024' Z");
    expect(() => new SimpleDateFormat('yyyy-bb')).toThrow(ConfigError);
  });

  it('parses, honouring offsets and ignoring trailing text', () => {
    const f = new SimpleDateFormat("yyyy-MM-dd'T'HH:mm:ss.SSSXXX");
    expect(f.parse('2024-03-05T14:07:09.045Z')?.getTime()).toBe(T);
    expect(f.parse('2024-03-05T16:07:09.045+02:00')?.getTime()).toBe(T);
    expect(new SimpleDateFormat('yyyyMMdd').parse('20240305 trailing')?.getTime()).toBe(Date.UTC(2024, 2, 5));
    expect(new SimpleDateFormat('dd MMMM yyyy hh:mm a').parse('05 March 2024 02:07 PM')?.getTime()).toBe(Date.UTC(2024, 2, 5, 14, 7));
    expect(f.parse('not a date')).toBeNull();
  });
});

describe('TimestampConverter', () => {
  it('converts a schemaless unix field to a formatted string', () => {
    const t = configured(new TimestampConverter('value'), { field: 'ts', 'target.type': 'string', format: 'yyyy-MM-dd HH:mm' });
    expect(applied(t, sourceRecord({ value: { ts: T, x: 1 } })).value).toEqual({ ts: '2024-03-05 14:07', x: 1 });
  });

  it('converts a whole schema\'d string value to a Timestamp', () => {
    const t = configured(new TimestampConverter('value'), { 'target.type': 'Timestamp', format: "yyyy-MM-dd'T'HH:mm:ss.SSS" });
    const out = applied(t, sourceRecord({ valueSchema: Schemas.OPTIONAL_STRING, value: '2024-03-05T14:07:09.045' }));
    expect(out.valueSchema).toEqual(timestampSchema(true));
    expect(out.value).toEqual(new Date(T));
  });

  it('converts struct fields to Date, Time and unix with a precision', () => {
    const s = SchemaBuilder.struct().field('when', timestampSchema()).field('other', Schemas.STRING).build();
    const v = new Struct(s).put('when', new Date(T)).put('other', 'o');
    const date = applied(configured(new TimestampConverter('value'), { field: 'when', 'target.type': 'Date' }), sourceRecord({ valueSchema: s, value: v }));
    expect(date.valueSchema?.fields?.[0]?.schema).toEqual(dateSchema());
    expect((date.value as Struct).get('when')).toEqual(new Date(Date.UTC(2024, 2, 5)));
    const time = applied(configured(new TimestampConverter('value'), { field: 'when', 'target.type': 'Time' }), sourceRecord({ valueSchema: s, value: v }));
    expect(time.valueSchema?.fields?.[0]?.schema).toEqual(timeSchema());
    expect((time.value as Struct).get('when')).toEqual(new Date(T % 86_400_000));
    const unix = configured(new TimestampConverter('value'), { field: 'when', 'target.type': 'unix', 'unix.precision': 'nanoseconds' });
    expect((applied(unix, sourceRecord({ valueSchema: s, value: v })).value as Struct).get('when')).toBe(BigInt(T) * 1_000_000n);
    const secs = configured(new TimestampConverter('key'), { 'target.type': 'unix', 'unix.precision': 'seconds' });
    expect(applied(secs, sourceRecord({ key: new Date(T) })).key).toBe(Math.trunc(T / 1000));
  });

  it('reads unix input in the configured precision', () => {
    const t = configured(new TimestampConverter('value'), { 'target.type': 'Timestamp', 'unix.precision': 'microseconds' });
    expect(applied(t, sourceRecord({ valueSchema: Schemas.INT64, value: T * 1000 + 999 })).value).toEqual(new Date(T));
  });

  it('validates config and input as Connect does', () => {
    expect(() => configured(new TimestampConverter('value'), { 'target.type': 'string' })).toThrow(/requires format option/);
    expect(() => configured(new TimestampConverter('value'), { 'target.type': 'Instant' })).toThrow(ConfigError);
    const t = configured(new TimestampConverter('value'), { 'target.type': 'unix', format: 'yyyy' });
    expect(() => t.apply(sourceRecord({ valueSchema: Schemas.STRING, value: 'abc' }))).toThrow(/Could not parse timestamp/);
    expect(() => t.apply(sourceRecord({ value: true }))).toThrow(DataError);
    expect(() => t.apply(sourceRecord({ valueSchema: Schemas.BOOLEAN, value: true }))).toThrow(/does not correspond to a known timestamp type/);
  });

  it('passes nulls through', () => {
    const t = configured(new TimestampConverter('value'), { field: 'ts', 'target.type': 'unix' });
    expect(applied(t, sourceRecord({ value: null })).value).toBeNull();
    expect(applied(t, sourceRecord({ value: { ts: null } })).value).toEqual({ ts: null });
  });

  it('Timestamp → string → Timestamp and Timestamp → unix → Timestamp round-trip (property)', () => {
    const toString = configured(new TimestampConverter('value'), { 'target.type': 'string', format: "yyyy-MM-dd'T'HH:mm:ss.SSSZ" });
    const fromString = configured(new TimestampConverter('value'), { 'target.type': 'Timestamp', format: "yyyy-MM-dd'T'HH:mm:ss.SSSZ" });
    const toUnix = configured(new TimestampConverter('value'), { 'target.type': 'unix', 'unix.precision': 'microseconds' });
    const fromUnix = configured(new TimestampConverter('value'), { 'target.type': 'Timestamp', 'unix.precision': 'microseconds' });
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(1000, 0, 1), max: Date.UTC(9999, 11, 31) }), (ms) => {
        const r = sourceRecord({ valueSchema: timestampSchema(), value: new Date(ms) });
        expect(applied(fromString, applied(toString, r)).value).toEqual(new Date(ms));
        expect(applied(fromUnix, applied(toUnix, r)).value).toEqual(new Date(ms));
      }),
    );
  });
});

describe('TimestampRouter', () => {
  it('formats the topic from the record timestamp', () => {
    const t = configured(new TimestampRouter(), {});
    expect(applied(t, sourceRecord({ topic: 'logs', timestamp: T })).topic).toBe('logs-20240305');
    const custom = configured(new TimestampRouter(), { 'topic.format': '${timestamp}/${topic}', 'timestamp.format': 'yyyy.MM' });
    expect(applied(custom, sourceRecord({ topic: 'logs', timestamp: T })).topic).toBe('2024.03/logs');
  });

  it('fails without a timestamp and on bad formats', () => {
    expect(() => configured(new TimestampRouter(), {}).apply(sourceRecord({ timestamp: null }))).toThrow(/Timestamp missing on record/);
    expect(() => configured(new TimestampRouter(), { 'timestamp.format': 'yyyy-qq' })).toThrow(ConfigError);
  });
});
