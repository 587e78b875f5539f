/** The plain-parse fast path of parseJsonTree must give exactly what the reviver path gives. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { JsonNumber, parseJsonTree, writeJson } from '../../../lib/converters/json-text.ts';

describe('parseJsonTree', () => {
  it('keeps every number as written, on either path', () => {
    fc.assert(
      fc.property(fc.oneof(fc.integer(), fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }), fc.double({ noNaN: true, noDefaultInfinity: true })), (n) => {
        const text = typeof n === 'bigint' ? n.toString() : JSON.stringify(n);
        const node = parseJsonTree(`{"a":[${text}]}`) as { a: JsonNumber[] };
        expect(node.a[0]).toBeInstanceOf(JsonNumber);
        expect(node.a[0]?.text).toBe(text);
      }),
    );
  });

  it('round-trips any JSON document to the same value', () => {
    fc.assert(
      fc.property(fc.json(), (text) => {
        expect(JSON.parse(writeJson(parseJsonTree(text) ?? null))).toEqual(JSON.parse(text));
      }),
    );
  });
});
