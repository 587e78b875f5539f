/**
 * Number text as the JVM writes it (Double.toString, Float.toString), so FLOAT32/FLOAT64
 * values render the way Connect renders them: `1.0`, `1.0E7`, `0.1` for the float 0.1f.
 */

interface Decomposed {
  readonly negative: boolean;
  /** Significant digits without leading or trailing zeros. */
  readonly digits: string;
  /** Decimal exponent of the first digit. */
  readonly exponent: number;
}

function decompose(value: number, precision?: number): Decomposed {
  const text = precision === undefined ? Math.abs(value).toExponential() : Math.abs(value).toExponential(precision - 1);
  const [mantissa = '0', exp = '0'] = text.split('e');
  const digits = mantissa.replace('.', '').replace(/0+$/, '') || '0';
  return { negative: value < 0, digits, exponent: Number(exp) };
}

function javaText({ negative, digits, exponent }: Decomposed): string {
  const sign = negative ? '-' : '';
  if (exponent >= -3 && exponent < 7) {
    if (exponent >= 0) {
      const intPart = digits.slice(0, exponent + 1).padEnd(exponent + 1, '0');
      return `${sign}${intPart}.${digits.slice(exponent + 1) || '0'}`;
    }
    return `${sign}0.${'0'.repeat(-exponent - 1)}${digits}`;
  }
  return `${sign}${digits[0]}.${digits.slice(1) || '0'}E${exponent}`;
}

function special(value: number): string | undefined {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return 'Infinity';
  if (value === -Infinity) return '-Infinity';
  if (value === 0) return Object.is(value, -0) ? '-0.0' : '0.0';
  return undefined;
}

/** Java's Double.toString. */
export function formatDouble(value: number): string {
  return special(value) ?? javaText(decompose(value));
}

/** Java's Float.toString of `Math.fround(value)`: the shortest digits that identify the float. */
export function formatFloat(value: number): string {
  const f = Math.fround(value);
  const s = special(f);
  if (s !== undefined) return s;
  for (let p = 1; p <= 9; p++) {
    const d = decompose(f, p);
    if (Math.fround(Number(`${d.negative ? '-' : ''}${d.digits[0]}.${d.digits.slice(1) || '0'}e${d.exponent}`)) === f) {
      return javaText(d);
    }
  }
  return javaText(decompose(f));
}
