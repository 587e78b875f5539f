/**
 * A JSON tree that keeps numbers as their source text, so INT64 and Decimal values survive
 * parsing and writing without passing through a double.
 */
import { setOwn } from './data-util.ts';

/** A JSON number kept as written. */
export class JsonNumber {
  readonly text: string;
  constructor(text: string) {
    this.text = text;
  }
  /** True when written without fraction or exponent. */
  isIntegral(): boolean {
    return !/[.eE]/.test(this.text);
  }
}

export type JsonNode = null | boolean | string | JsonNumber | JsonNode[] | JsonObject;
export interface JsonObject {
  [key: string]: JsonNode;
}

export function isJsonObject(node: JsonNode | undefined): node is JsonObject {
  return node !== null && typeof node === 'object' && !Array.isArray(node) && !(node instanceof JsonNumber);
}

function reviver(this: unknown, _key: string, value: unknown, context?: { source?: string }): unknown {
  if (typeof value === 'number') return new JsonNumber(context?.source ?? String(value));
  return value;
}

/**
 * Parses JSON text into a tree; numbers become {@link JsonNumber}. Returns undefined for
 * empty (whitespace-only) input, as Jackson's missing node. Throws SyntaxError on bad JSON.
 */
export function parseJsonTree(text: string): JsonNode | undefined {
  return parseJsonValue(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
}

/** {@link parseJsonTree} without the byte order mark: for JSON text inside a document. */
export function parseJsonValue(body: string): JsonNode | undefined {
  // A text that opens with a quote can only be a string: no numbers to keep, no tree to walk.
  if (body.charCodeAt(0) === 0x22) return JSON.parse(body) as string;
  if (body.trim() === '') return undefined;
  // The hot path: when no number can have a fraction, an exponent or more digits than a double
  // holds exactly, a plain parse loses nothing and is much faster than a reviver per value.
  if (!MAYBE_INEXACT_NUMBER.test(body)) return wrapNumbers(JSON.parse(body) as unknown);
  return JSON.parse(body, reviver) as JsonNode;
}

/**
 * The string of a JSON string literal at `bytes[start, end)` that has no escapes, or undefined
 * for anything else (then JSON.parse decides). What it returns is what JSON.parse gives for it:
 * the literal's bytes between the quotes, decoded. The common payload of text records; decoding
 * it straight from the bytes halves what parsing it costs.
 */
export function plainJsonString(bytes: Buffer, start: number, end: number): string | undefined {
  if (end - start < 2 || bytes[start] !== 0x22 || bytes[end - 1] !== 0x22) return undefined;
  for (let i = start + 1; i < end - 1; i++) {
    const c = bytes[i] as number;
    // A quote, a backslash or a control character: escaped, malformed, or not one string.
    if (c === 0x22 || c === 0x5c || c < 0x20) return undefined;
  }
  return bytes.toString('utf8', start + 1, end - 1);
}

/** A digit followed by `.`, `e` or `E`, or 16 digits in a row, anywhere (strings included, conservatively). */
const MAYBE_INEXACT_NUMBER = /\d[.eE]|\d{16}/;

/** Replaces the numbers of a plainly parsed value with {@link JsonNumber}s, in place. */
function wrapNumbers(v: unknown): JsonNode {
  if (typeof v === 'number') return new JsonNumber(Object.is(v, -0) ? '-0' : String(v));
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) v[i] = wrapNumbers(v[i]);
    return v as JsonNode[];
  }
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    for (const k of Object.keys(o)) o[k] = wrapNumbers(o[k]);
    return o as JsonObject;
  }
  return v as JsonNode;
}

/** Writes a tree as compact JSON, numbers verbatim (one string built in a loop: the sink of every struct a converter writes). */
export function writeJson(node: JsonNode): string {
  if (node === null) return 'null';
  if (typeof node === 'string') return JSON.stringify(node);
  if (typeof node === 'boolean') return node ? 'true' : 'false';
  if (node instanceof JsonNumber) return node.text;
  if (Array.isArray(node)) {
    let out = '[';
    for (let i = 0; i < node.length; i++) {
      if (i > 0) out += ',';
      out += writeJson(node[i] ?? null);
    }
    return `${out}]`;
  }
  let out = '{';
  let first = true;
  for (const k of Object.keys(node)) {
    if (!first) out += ',';
    first = false;
    out += JSON.stringify(k);
    out += ':';
    out += writeJson(node[k] ?? null);
  }
  return `${out}}`;
}

/** Strings JSON writes as they are between quotes: printable ASCII without `"` and `\\`. */
const VERBATIM_STRING = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

/**
 * `head`, the node as compact JSON, then the byte `tail`, in one buffer. A plain string, the
 * common payload of line- and text-based sources, is copied in without an intermediate string.
 */
export function jsonBytes(head: Buffer, node: JsonNode, tail: number): Buffer {
  if (typeof node === 'string' && VERBATIM_STRING.test(node)) {
    const out = Buffer.allocUnsafe(head.length + node.length + 3);
    head.copy(out, 0);
    let at = head.length;
    out[at++] = 0x22;
    at += out.write(node, at, 'latin1');
    out[at++] = 0x22;
    out[at] = tail;
    return out;
  }
  const json = Buffer.from(writeJson(node), 'utf8');
  const out = Buffer.allocUnsafe(head.length + json.length + 1);
  head.copy(out, 0);
  json.copy(out, head.length);
  out[out.length - 1] = tail;
  return out;
}

/** Builds a JSON object from entries, safe for any key. */
export function jsonObject(entries: Iterable<readonly [string, JsonNode]>): JsonObject {
  const obj: JsonObject = {};
  for (const [k, v] of entries) setOwn(obj as Record<string, unknown>, k, v);
  return obj;
}
