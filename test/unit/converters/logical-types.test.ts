import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatDouble, formatFloat } from '../../../lib/converters/java-format.ts';
import { Decimal, bigIntToBytes, bytesToBigInt, dateToDays, formatTemporal, timeToMillis } from '../../../lib/converters/logical-types.ts';
import { DataError } from '../../../lib/plugins/connect-schema.ts';

describe('Decimal', () => {
  it('prints like Java BigDecimal.toString', () => {
    expect(new Decimal(12345n, 2).toString()).toBe('123.45');
    expect(new Decimal(-5n, 3).toString()).toBe('-0.005');
    expect(new Decimal(12n, -3).toString()).toBe('1.2E+4');
    expect(new Decimal(1n, 10).toString()).toBe('1E-10');
    expect(new Decimal(120n, 9).toString()).toBe('1.20E-7');
    expect(new Decimal(100n, 2).toPlainString()).toBe('1.00');
  });

  it('parses keeping the written scale', () => {
    expect(Decimal.parse('1.20')).toEqual(new Decimal(120n, 2));
    expect(Decimal.parse('-1.5E+3')).toEqual(new Decimal(-15n, -2));
    expect(() => Decimal.parse('abc')).toThrow(DataError);
  });

  it('rescales only when exact', () => {
    expect(new Decimal(15n, 1).withScale(3)).toEqual(new Decimal(1500n, 3));
    expect(() => new Decimal(15n, 1).withScale(0)).toThrow(/without rounding/);
  });

  it('toString and parse are inverse (property)', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 40n), max: 10n ** 40n }), fc.integer({ min: -20, max: 40 }), (u, s) => {
        expect(Decimal.parse(new Decimal(u, s).toString())).toEqual(new Decimal(u, s));
      }),
    );
  });

  it('two\'s-complement bytes are minimal and inverse (property)', () => {
    expect([...bigIntToBytes(128n)]).toEqual([0, 128]);
    expect([...bigIntToBytes(-129n)]).toEqual([0xff, 0x7f]);
    fc.assert(
      fc.property(fc.bigInt({ min: -(2n ** 200n), max: 2n ** 200n }), (n) => {
        const bytes = bigIntToBytes(n);
        expect(bytesToBigInt(bytes)).toBe(n);
        if (bytes.length > 1) expect(bytesToBigInt(bytes.subarray(1)) === n).toBe(false);
      }),
    );
  });
});

describe('temporal helpers', () => {
  it('checks Date and Time values as Connect does', () => {
    expect(dateToDays(new Date(86_400_000 * 3))).toBe(3);
    expect(() => dateToDays(new Date(1))).toThrow(DataError);
    expect(timeToMillis(new Date(5))).toBe(5);
    expect(() => timeToMillis(new Date(86_400_000))).toThrow(DataError);
  });

  it('formats by value when no schema is known (Values.dateFormatFor)', () => {
    expect(formatTemporal(new Date(1000))).toBe('00:00:01.000Z');
    expect(formatTemporal(new Date(86_400_000 * 2))).toBe('1970-01-03');
    expect(formatTemporal(new Date(86_400_000 * 2 + 1))).toBe('1970-01-03T00:00:00.001Z');
  });
});

describe('Java number text', () => {
  it('matches Double.toString and Float.toString', () => {
    expect(formatDouble(1)).toBe('1.0');
    expect(formatDouble(-0)).toBe('-0.0');
    expect(formatDouble(1e7)).toBe('1.0E7');
    expect(formatDouble(9999999.5)).toBe('9999999.5');
    expect(formatDouble(0.001)).toBe('0.001');
    expect(formatDouble(0.0001)).toBe('1.0E-4');
    expect(formatDouble(1.25e-10)).toBe('1.25E-10');
    expect(formatDouble(NaN)).toBe('NaN');
    expect(formatFloat(0.1)).toBe('0.1');
    expect(formatFloat(16777217)).toBe('1.6777216E7');
  });

  it('reads back to the same number (property)', () => {
    fc.assert(fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (d) => {
      expect(Number(formatDouble(d))).toBe(d);
    }));
    fc.assert(fc.property(fc.float({ noNaN: true, noDefaultInfinity: true }), (f) => {
      expect(Math.fround(Number(formatFloat(f)))).toBe(f);
    }));
  });
});
