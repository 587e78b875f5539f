/**
 * Comparing two REST answers by shape: which keys exist and what type each value has,
 * recursively, with the run-specific names (connector, file, topic) put back to placeholders.
 */

/** Run-specific strings and what they read as after normalisation, e.g. the connector name → `<name>`. */
export type Placeholders = Readonly<Record<string, string>>;

/** Replaces each run-specific string by its placeholder, in keys and values, recursively. */
export function normalise(value: unknown, placeholders: Placeholders): unknown {
  // Longest first, so a file path that contains the connector name is replaced whole.
  const pairs = Object.entries(placeholders).sort(([a], [b]) => b.length - a.length);
  const text = (s: string) => pairs.reduce((acc, [actual, placeholder]) => acc.split(actual).join(placeholder), s);
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return text(v);
    if (Array.isArray(v)) return v.map(walk);
    if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [text(k), walk(x)]));
    return v;
  };
  return walk(value);
}

/**
 * The shape of a JSON value as `path → type`: `$` is the root, `.key` an object member, `[]`
 * any array element (the types of all elements merge, so lengths do not matter but an empty
 * array differs from a non-empty one). A body that is not JSON has type `text`.
 */
export function shapeOf(value: unknown): Map<string, string> {
  const shape = new Map<string, Set<string>>();
  const add = (path: string, type: string) => {
    const types = shape.get(path) ?? new Set<string>();
    types.add(type);
    shape.set(path, types);
  };
  const walk = (v: unknown, path: string) => {
    if (Array.isArray(v)) {
      add(path, 'array');
      for (const x of v) walk(x, `${path}[]`);
    } else if (v !== null && typeof v === 'object') {
      add(path, 'object');
      for (const [k, x] of Object.entries(v)) walk(x, `${path}.${k}`);
    } else {
      add(path, v === null ? 'null' : typeof v);
    }
  };
  walk(value, '$');
  return new Map([...shape].map(([path, types]) => [path, [...types].sort().join('|')]));
}

export interface ShapeDifference {
  readonly path: string;
  /** The type on each side, or `absent`. */
  readonly reference: string;
  readonly candidate: string;
}

/** Paths whose types differ between the reference (Apache) and the candidate (Tributary), sorted. */
export function diffShapes(reference: unknown, candidate: unknown): ShapeDifference[] {
  const a = shapeOf(reference);
  const b = shapeOf(candidate);
  const paths = [...new Set([...a.keys(), ...b.keys()])].sort();
  return paths
    .map((path) => ({ path, reference: a.get(path) ?? 'absent', candidate: b.get(path) ?? 'absent' }))
    .filter((d) => d.reference !== d.candidate);
}

/** The value at a path written as in `shapeOf` but with indexes: `$.tasks[0].state`; undefined when absent. */
export function valueAt(value: unknown, path: string): unknown {
  const parts = path
    .replace(/^\$/, '')
    .split(/\.|(?=\[)/)
    .filter(Boolean);
  let v: unknown = value;
  for (const part of parts) {
    if (v === null || typeof v !== 'object') return undefined;
    const index = /^\[(\d+)\]$/.exec(part)?.[1];
    v = index !== undefined ? (Array.isArray(v) ? v[Number(index)] : undefined) : (v as Record<string, unknown>)[part];
  }
  return v;
}
