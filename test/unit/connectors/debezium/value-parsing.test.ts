/** Text parsers behind the change data capture connectors' Debezium values. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NameFilter } from '../../../../lib/connectors/debezium-common/table-filter.ts';
import { epochDays, isoUtcFromMicros, timestampMicros } from '../../../../lib/connectors/debezium-common/temporal.ts';
import { lsnToNumber, lsnToText } from '../../../../lib/connectors/debezium-postgres/lsn.ts';
import { constantText, intervalMicros, parseArray } from '../../../../lib/connectors/debezium-postgres/pg-type-mapper.ts';

describe('temporal text', () => {
  it('counts days and microseconds as Debezium does, also before 1970 and in years below 100', () => {
    expect(epochDays('2024-02-29')).toBe(19782);
    expect(epochDays('1969-12-31')).toBe(-1);
    // 0001-01-01 is 719162 days before the epoch (java.time agrees).
    expect(epochDays('0001-01-01')).toBe(-719162);
    expect(timestampMicros('2024-02-29 12:34:56.789123')).toBe(1709210096789123);
    expect(isoUtcFromMicros(1709210096789123, 6)).toBe('2024-02-29T12:34:56.789123Z');
    expect(isoUtcFromMicros(1709210096000000, 6)).toBe('2024-02-29T12:34:56Z');
  });

  it('agrees with Date for any millisecond timestamp between 0001 and 9999', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('0001-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59Z'), noInvalidDate: true }), (d) => {
        const iso = d.toISOString();
        const text = `${iso.slice(0, 10)} ${iso.slice(11, 23)}`;
        expect(timestampMicros(text)).toBe(d.getTime() * 1000);
      }),
    );
  });
});

describe('PostgreSQL text forms', () => {
  it('reads array literals with quotes, escapes and NULL', () => {
    expect(parseArray('{}')).toEqual([]);
    expect(parseArray('{1,NULL,3}')).toEqual(['1', null, '3']);
    expect(parseArray('{"x","y z","a\\"b"}')).toEqual(['x', 'y z', 'a"b']);
  });

  it('turns intervals into MicroDuration (a month is 30.4375 days)', () => {
    expect(intervalMicros('1 day 02:00:00')).toBe(93_600_000_000);
    expect(intervalMicros('1 year 2 mons 3 days 04:05:06.5')).toBe(Math.round((14 * 30.4375 + 3) * 86_400_000_000 + 14_706_500_000));
    expect(intervalMicros('-01:00:00')).toBe(-3_600_000_000);
  });

  it('keeps constant defaults and drops expressions', () => {
    expect(constantText("'dflt'::text")).toBe('dflt');
    expect(constantText("'it''s'::character varying")).toBe("it's");
    expect(constantText('(-1)')).toBe('-1');
    expect(constantText("nextval('t_id_seq'::regclass)")).toBeNull();
    expect(constantText('now()')).toBeNull();
  });

  it('round-trips LSNs', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), (n) => lsnToNumber(lsnToText(n)) === n));
    expect(lsnToNumber('0/1520620')).toBe(0x1520620);
  });
});

describe('include/exclude lists', () => {
  it('match whole names, case-insensitively, include before exclude', () => {
    const f = new NameFilter(['public\\.(a|b)'], []);
    expect(f.matches('public.a')).toBe(true);
    expect(f.matches('PUBLIC.B')).toBe(true);
    expect(f.matches('public.ab')).toBe(false);
    const x = new NameFilter([], ['public\\.secret.*']);
    expect(x.matches('public.secrets')).toBe(false);
    expect(x.matches('public.open')).toBe(true);
  });
});
