/**
 * The one reading of an HTTP request-target, shared by the local front and the API handler
 * (API Gateway proxy events included). It never throws: every target is either a path of
 * decoded segments with its query, or a verdict (404 or 400) answered in Connect's format.
 *
 * Nothing is normalized into another resource. As Apache Kafka Connect 4.1's Jetty answers
 * (checked by test/integration/differential/bad-request-conformance.test.ts): an empty
 * segment (a doubled slash), a percent-encoded `.`/`..` segment, an encoded `/` or `\`, a
 * raw `\` and a target that is not an absolute path are a 400; a plain `.`/`..` segment is
 * kept as written, so it names no route (404) and never resolves to another connector. A
 * single trailing slash is ignored and `;params` are dropped from segments, as in Connect.
 */

export type RequestTarget =
  | { readonly kind: 'path'; readonly segments: readonly string[]; readonly query: Readonly<Record<string, readonly string[]>> }
  | { readonly kind: 'not-found'; readonly reason: string }
  | { readonly kind: 'bad-request'; readonly message: string };

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Splits a request-target (`/path?query`) without resolving anything; never throws. */
export function splitTarget(target: string): { path: string; query: string } {
  const q = target.indexOf('?');
  const withoutFragment = (s: string) => {
    const h = s.indexOf('#');
    return h < 0 ? s : s.slice(0, h);
  };
  return q < 0 ? { path: withoutFragment(target), query: '' } : { path: target.slice(0, q), query: withoutFragment(target.slice(q + 1)) };
}

/** Query parameters in order, `+` as a space; malformed escapes are kept as written (never throws). */
export function parseQuery(query: string): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  if (query === '') return out;
  for (const [k, v] of new URLSearchParams(query)) (out[k] ??= []).push(v);
  return out;
}

/**
 * Decodes one path segment: percent-escapes to bytes, bytes as UTF-8. Undefined when an
 * escape is malformed or the bytes are not well-formed UTF-8.
 */
export function decodeSegment(raw: string): string | undefined {
  if (!raw.includes('%')) return raw;
  const bytes: number[] = [];
  for (let i = 0; i < raw.length; ) {
    const c = raw.charCodeAt(i);
    if (c === 0x25) {
      const hex = raw.slice(i + 1, i + 3);
      if (!/^[0-9a-fA-F]{2}$/.test(hex)) return undefined;
      bytes.push(parseInt(hex, 16));
      i += 3;
      continue;
    }
    const cp = raw.codePointAt(i) as number;
    for (const b of Buffer.from(String.fromCodePoint(cp), 'utf8')) bytes.push(b);
    i += cp > 0xffff ? 2 : 1;
  }
  try {
    return utf8.decode(Uint8Array.from(bytes));
  } catch {
    return wtf8(bytes);
  }
}

/**
 * UTF-8 that also admits encoded surrogates (WTF-8, as `%ED%A0%80`): the only way a URL can
 * name a connector stored before names had to be well-formed Unicode. The router refuses
 * the ill-formed result on every route but the delete.
 */
function wtf8(bytes: readonly number[]): string | undefined {
  let out = '';
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i] as number;
    const cont = (n: number) => {
      const x = bytes[i + n];
      return x !== undefined && (x & 0xc0) === 0x80 ? x & 0x3f : -1;
    };
    if (b < 0x80) {
      out += String.fromCharCode(b);
      i += 1;
    } else if (b >= 0xe0 && b < 0xf0) {
      const c1 = cont(1);
      const c2 = cont(2);
      if (c1 < 0 || c2 < 0) return undefined;
      const cp = ((b & 0x0f) << 12) | (c1 << 6) | c2;
      if (cp < 0x800) return undefined;
      out += String.fromCharCode(cp);
      i += 3;
    } else if (b >= 0xc2 && b < 0xe0) {
      const c1 = cont(1);
      if (c1 < 0) return undefined;
      out += String.fromCharCode(((b & 0x1f) << 6) | c1);
      i += 2;
    } else if (b >= 0xf0 && b < 0xf5) {
      const c1 = cont(1);
      const c2 = cont(2);
      const c3 = cont(3);
      if (c1 < 0 || c2 < 0 || c3 < 0) return undefined;
      const cp = ((b & 0x07) << 18) | (c1 << 12) | (c2 << 6) | c3;
      if (cp < 0x10000 || cp > 0x10ffff) return undefined;
      out += String.fromCodePoint(cp);
      i += 4;
    } else {
      return undefined;
    }
  }
  return out;
}

/**
 * Reads a request-target's path (and query, when the target carries one). `query` given
 * separately (API Gateway hands it over parsed) takes precedence.
 */
export function parseRequestTarget(target: string, query?: Readonly<Record<string, readonly string[]>>): RequestTarget {
  const parts = splitTarget(target);
  const q = query ?? parseQuery(parts.query);
  const path = parts.path;
  if (!path.startsWith('/')) return { kind: 'bad-request', message: 'Bad URI path: the request-target must be an absolute path' };
  if (path === '/') return { kind: 'path', segments: [], query: q };
  const raw = path.slice(1).split('/');
  if (raw.length > 1 && raw[raw.length - 1] === '') raw.pop();
  const segments: string[] = [];
  for (const written of raw) {
    if (written === '') return { kind: 'bad-request', message: 'Ambiguous URI empty segment' };
    if (written.includes('\\')) return { kind: 'bad-request', message: 'Suspicious path character' };
    const semicolon = written.indexOf(';');
    const s = semicolon < 0 ? written : written.slice(0, semicolon);
    if (s === '') return { kind: 'bad-request', message: 'Ambiguous URI empty segment' };
    const decoded = decodeSegment(s);
    if (decoded === undefined) return { kind: 'bad-request', message: `Malformed percent-encoding or UTF-8 in path segment '${printable(s)}'` };
    if (decoded !== s) {
      if (decoded === '.' || decoded === '..') return { kind: 'bad-request', message: 'Ambiguous URI path segment' };
      if (decoded.includes('/')) return { kind: 'bad-request', message: 'Ambiguous URI path separator' };
      if (decoded.includes('\\')) return { kind: 'bad-request', message: 'Suspicious path character' };
    }
    if (decoded === '.' || decoded === '..') return { kind: 'not-found', reason: 'a dot segment names no route' };
    segments.push(decoded);
  }
  return { kind: 'path', segments, query: q };
}

/** A segment as it may be shown in a message: control characters escaped, at most 80 characters. */
export function printable(s: string): string {
  const shown = s.length > 80 ? `${s.slice(0, 80)}...` : s;
  return shown.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Whether a string is well-formed Unicode: no lone surrogate (which UTF-8 cannot carry). */
export function isWellFormed(s: string): boolean {
  return !LONE_SURROGATE.test(s);
}
