/** The comparator the REST differential test trusts: it must see no difference where there is none, and name the ones there are. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { diffShapes, normalise, shapeOf, valueAt } from './response-shape.ts';

describe('response shapes', () => {
  it('finds no difference between a value and itself, or a copy with other leaf values of the same types', () => {
    const relabel = (v: unknown): unknown =>
      typeof v === 'string' ? `${v}!` : typeof v === 'number' ? v + 1 : Array.isArray(v) ? v.map(relabel) : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, relabel(x)])) : v;
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        expect(diffShapes(v, v)).toEqual([]);
        expect(diffShapes(v, relabel(v))).toEqual([]);
      }),
    );
  });

  it('names missing keys, changed types, and empty against non-empty arrays', () => {
    const apache = { name: 'a', connector: { state: 'RUNNING', version: '4.1.1' }, tasks: [{ id: 0 }] };
    const tributary = { name: 'a', connector: { state: 'RUNNING' }, tasks: [], extra: 1 };
    expect(diffShapes(apache, tributary)).toEqual([
      { path: '$.connector.version', reference: 'string', candidate: 'absent' },
      { path: '$.extra', reference: 'absent', candidate: 'number' },
      { path: '$.tasks[]', reference: 'object', candidate: 'absent' },
      { path: '$.tasks[].id', reference: 'number', candidate: 'absent' },
    ]);
  });

  it('merges the element types of an array, so lengths do not matter', () => {
    expect(shapeOf([1, 'x', 2])).toEqual(new Map([['$', 'array'], ['$[]', 'number|string']]));
    expect(diffShapes([{ a: 1 }], [{ a: 2 }, { a: 3 }])).toEqual([]);
  });

  it('puts placeholders back in keys and values, the longest name first', () => {
    const body = { 'conn-1': { file: '/tmp/conn-1/in.txt', name: 'conn-1' } };
    expect(normalise(body, { 'conn-1': '{name}', '/tmp/conn-1/in.txt': '{file}' })).toEqual({ '{name}': { file: '{file}', name: '{name}' } });
  });

  it('reads values by path, undefined where absent', () => {
    const body = { tasks: [{ id: 0, state: 'RUNNING' }], '{name}': { info: { config: { a: '1' } } } };
    expect(valueAt(body, '$.tasks[0].state')).toBe('RUNNING');
    expect(valueAt(body, '$.{name}.info.config')).toEqual({ a: '1' });
    expect(valueAt(body, '$.tasks[3].state')).toBeUndefined();
    expect(valueAt(body, '$')).toBe(body);
  });
});
