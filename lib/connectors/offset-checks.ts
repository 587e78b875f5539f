/**
 * Checks built-in source connectors run on offsets a user writes through
 * PATCH /connectors/{name}/offsets, before anything is stored: every key known, every value
 * of the type and range the task reads back, so a stored offset can never make a task fail
 * on resume.
 */
import { ConnectorError } from './connector-errors.ts';

/** An offset the connector would not be able to resume from (answered as a 400). */
export class InvalidOffsetError extends ConnectorError {
  override readonly name = 'InvalidOffsetError';
}

export type OffsetChange = { readonly partition: Record<string, unknown>; readonly offset: Record<string, unknown> | null };

/** Throws unless `map` holds only `allowed` keys. */
export function onlyKeys(what: string, map: Record<string, unknown>, allowed: readonly string[]): void {
  for (const k of Object.keys(map)) {
    if (!allowed.includes(k)) throw new InvalidOffsetError(`${what} objects may only contain the keys ${allowed.map((a) => `'${a}'`).join(', ')}, but had '${k}'`);
  }
}

/**
 * A whole number the task can hold exactly: a JSON number that is a safe integer, or a
 * string of digits within the 64-bit range (as Connect's Long) when `asLongString`.
 */
export function integerValue(what: string, key: string, v: unknown, range: { min?: number; max?: number } = {}): number {
  const n = typeof v === 'number' ? v : Number.NaN;
  if (!Number.isSafeInteger(n)) throw new InvalidOffsetError(`The value for the '${key}' key in the ${what} is expected to be an integer between ${Number.MIN_SAFE_INTEGER} and ${Number.MAX_SAFE_INTEGER}, but was ${JSON.stringify(v)}`);
  if (range.min !== undefined && n < range.min) throw new InvalidOffsetError(`The value for the '${key}' key in the ${what} should be at least ${range.min}, but was ${n}`);
  if (range.max !== undefined && n > range.max) throw new InvalidOffsetError(`The value for the '${key}' key in the ${what} should be at most ${range.max}, but was ${n}`);
  return n;
}
