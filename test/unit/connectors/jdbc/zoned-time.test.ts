import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  compareTimestamps,
  formatDbTimestamp,
  isValidTimeZone,
  parseDbDate,
  parseDbTime,
  parseDbTimestamp,
  preciseFromMillis,
} from '../../../../lib/connectors/jdbc/zoned-time.ts';

describe('zoned time', () => {
  it('keeps microseconds as java.sql.Timestamp does: millis plus the nanos of the second', () => {
    expect(parseDbTimestamp('2024-01-02 03:04:05.123456', 'UTC')).toEqual({ epochMs: Date.UTC(2024, 0, 2, 3, 4, 5, 123), nanos: 123_456_000 });
    expect(parseDbTimestamp('1969-12-31 23:59:59.5', 'UTC')).toEqual({ epochMs: -500, nanos: 500_000_000 });
  });

  it('reads naive text in the zone and offset text as absolute', () => {
    expect(parseDbTimestamp('2024-01-15 12:00:00', 'Europe/Paris').epochMs).toBe(Date.UTC(2024, 0, 15, 11));
    expect(parseDbTimestamp('2024-07-15 12:00:00', 'Europe/Paris').epochMs).toBe(Date.UTC(2024, 6, 15, 10));
    expect(parseDbTimestamp('2024-07-15 12:00:00+05:30', 'Europe/Paris').epochMs).toBe(Date.UTC(2024, 6, 15, 6, 30));
  });

  it('formats with microseconds in the zone, and parsing the result gives the same instant (property)', () => {
    expect(formatDbTimestamp({ epochMs: Date.UTC(2024, 0, 2, 3, 4, 5, 123), nanos: 123_456_789 }, 'UTC')).toBe('2024-01-02 03:04:05.123456');
    fc.assert(
      fc.property(fc.integer({ min: -2_000_000_000_000, max: 4_000_000_000_000 }), fc.integer({ min: 0, max: 999 }), fc.constantFrom('UTC', 'America/New_York', 'Asia/Kolkata'), (ms, micros, zone) => {
        const base = preciseFromMillis(ms);
        const ts = { epochMs: base.epochMs, nanos: base.nanos + micros * 1000 };
        const back = parseDbTimestamp(formatDbTimestamp(ts, zone), zone);
        // Wall-clock times repeated at a DST fall-back are ambiguous; compare what is not.
        if (zone === 'UTC' || zone === 'Asia/Kolkata') expect(back).toEqual(ts);
        else expect(back.nanos).toBe(ts.nanos);
      }),
    );
  });

  it('orders by second then nanos', () => {
    const a = parseDbTimestamp('2024-01-01 00:00:00.000001', 'UTC');
    const b = parseDbTimestamp('2024-01-01 00:00:00.000002', 'UTC');
    expect(compareTimestamps(a, b)).toBeLessThan(0);
    expect(compareTimestamps(b, b)).toBe(0);
  });

  it('reads dates and times as Connect logical values', () => {
    expect(parseDbDate('0001-01-01')?.toISOString()).toBe('0001-01-01T00:00:00.000Z');
    expect(parseDbDate('0000-00-00')).toBeNull();
    expect(parseDbTime('23:59:59.999')).toEqual(new Date(86_399_999));
    expect(parseDbTime('12:00:00+02')).toEqual(new Date(10 * 3_600_000));
    expect(() => parseDbTime('25:00:00')).toThrow(/outside one day/);
  });

  it('knows valid zone names', () => {
    expect(isValidTimeZone('UTC')).toBe(true);
    expect(isValidTimeZone('Europe/Berlin')).toBe(true);
    expect(isValidTimeZone('Mars/Olympus')).toBe(false);
  });
});
