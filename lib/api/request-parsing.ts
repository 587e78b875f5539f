/**
 * Reading requests safely: media type, body size, JSON, shapes, connector names and query
 * values. Anything wrong is a 4xx in Connect's error format, never a 500 and never stored.
 */
import { invalidConfigMessage } from '../control/connector-validator.ts';
import type { TargetState } from '../store/store-model.ts';
import { ApiError, BadInputError, PayloadTooLargeError, RouteNotFoundError, UnsupportedMediaTypeError } from './api-errors.ts';
import type { ApiRequest } from './http-types.ts';
import { isWellFormed } from './request-target.ts';

export const MAX_BODY_BYTES = 1024 * 1024;
/** Longest connector name: it becomes part of a consumer group, DynamoDB keys and execution names. */
export const MAX_NAME_LENGTH = 249;

/**
 * A JSON number in a config map, kept as written: Connect's Jackson reads a number into a
 * `Map<String, String>` as its source text, so `1.0` stays `"1.0"` (not an int) and `1e0`
 * stays `"1e0"`.
 */
export class JsonNumberText {
  constructor(readonly text: string) {}
}

/**
 * Parses the JSON body; 415 for a non-JSON media type, 413 when too large, 400 when empty,
 * malformed, not well-formed UTF-8 or holding a string with a lone surrogate (it could be
 * neither stored nor named in a URL). With `numbersAsText`, numbers come back as
 * JsonNumberText (for config maps).
 */
export function jsonBody(req: ApiRequest, opts: { numbersAsText?: boolean } = {}): unknown {
  const type = req.headers['content-type'];
  if (type !== undefined && type.trim() !== '' && !/^\s*application\/([\w.+-]+\+)?json\s*(;|$)/i.test(type)) throw new UnsupportedMediaTypeError();
  if (req.bodyError !== undefined) throw new BadInputError(req.bodyError);
  if (req.body === null || req.body.trim() === '') throw new BadInputError('Request body is empty: a JSON body is required');
  if (Buffer.byteLength(req.body) > MAX_BODY_BYTES) throw new PayloadTooLargeError(MAX_BODY_BYTES);
  let value: unknown;
  try {
    value = opts.numbersAsText
      ? (JSON.parse(req.body, (_k, v: unknown, context?: { source?: string }) => (typeof v === 'number' ? new JsonNumberText(context?.source ?? String(v)) : v)) as unknown)
      : (JSON.parse(req.body) as unknown);
  } catch (e) {
    throw new BadInputError(`Request body is not valid JSON: ${(e as Error).message}`);
  }
  // The string itself is not echoed: it may be a secret.
  if (illFormedString(value) !== undefined) throw new BadInputError('Request body holds a string that is not well-formed Unicode (a lone surrogate such as \\ud800)');
  return value;
}

/** The first string (key or value) in a parsed JSON value that holds a lone surrogate; iterative, as bodies may nest deeply. */
function illFormedString(root: unknown): string | undefined {
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const v = stack.pop();
    if (typeof v === 'string') {
      if (!isWellFormed(v)) return v;
    } else if (Array.isArray(v)) {
      for (const x of v) stack.push(x);
    } else if (typeof v === 'object' && v !== null && !(v instanceof JsonNumberText)) {
      for (const [k, x] of Object.entries(v)) {
        if (!isWellFormed(k)) return k;
        stack.push(x);
      }
    }
  }
  return undefined;
}

function jsonType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'Array';
  if (v instanceof JsonNumberText) return 'Number';
  return typeof v === 'object' ? 'Object' : typeof v === 'string' ? 'String' : typeof v === 'number' ? 'Number' : typeof v === 'boolean' ? 'Boolean' : typeof v;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof JsonNumberText);
}

/**
 * A connector config map: string values; numbers and booleans become strings as Connect's
 * JSON reader makes them; null is kept for the caller (PATCH deletes, PUT rejects);
 * objects and arrays are a 400.
 */
export function configMap(value: unknown, where = 'the request body'): Record<string, string | null> {
  if (!isObject(value)) throw new BadInputError(`Cannot read a connector config from ${jsonType(value)} value in ${where}: expected a JSON object of string values`);
  const out: Record<string, string | null> = {};
  for (const [k, v] of Object.entries(value)) {
    if (v === null || typeof v === 'string') out[k] = v;
    else if (v instanceof JsonNumberText) out[k] = v.text;
    else if (typeof v === 'number' || typeof v === 'boolean') out[k] = String(v);
    else throw new BadInputError(`Cannot read config value "${k}" in ${where}: expected a string, got ${jsonType(v)} value`);
  }
  return out;
}

/** A config map for PUT and POST: a null value is an invalid config, as Connect words it. */
export function fullConfig(value: unknown, where?: string): Record<string, string> {
  const map = configMap(value, where);
  if (Object.values(map).includes(null)) throw new ApiError(400, invalidConfigMessage(['Null value can not be supplied as the configuration value.']));
  return map as Record<string, string>;
}

export interface CreateRequest {
  readonly name: string;
  readonly config: Record<string, string>;
  readonly initialState: TargetState;
}

const CREATE_FIELDS = ['name', 'config', 'initial_state'];
const STATES: readonly TargetState[] = ['RUNNING', 'PAUSED', 'STOPPED'];

/** The body of POST /connectors (Connect's CreateConnectorRequest); unknown fields are rejected as Jackson does. */
export function createRequest(body: unknown): CreateRequest {
  if (!isObject(body)) throw new BadInputError(`Cannot read a create-connector request from ${jsonType(body)} value: expected {"name": ..., "config": {...}}`);
  for (const k of Object.keys(body)) {
    if (!CREATE_FIELDS.includes(k)) throw new BadInputError(`Unrecognized field "${k}" (known properties: "config", "name", "initial_state")`);
  }
  const { name, config, initial_state: state } = body;
  if (name !== undefined && name !== null && typeof name !== 'string') throw new BadInputError(`Field "name" must be a string, got ${jsonType(name)} value`);
  if (state !== undefined && state !== null && (typeof state !== 'string' || !STATES.includes(state.toUpperCase() as TargetState))) {
    throw new BadInputError(`Invalid initial_state ${JSON.stringify(state)}: expected one of ${STATES.join(', ')}`);
  }
  return {
    name: (name ?? '').trim(),
    config: config === undefined || config === null ? {} : fullConfig(config, 'field "config"'),
    initialState: typeof state === 'string' ? (state.toUpperCase() as TargetState) : 'RUNNING',
  };
}

/**
 * A connector name as Connect accepts it (non-empty, no control characters), and safe for
 * Tributary's URLs and resource names: no `/` or `\`, not `.` or `..`, at most 249
 * characters. Errors read as Connect's invalid-config 400.
 */
export function checkName(name: string): string {
  const shown = name.length > 80 ? `${name.slice(0, 80)}...` : name;
  const invalid = (why: string) => new ApiError(400, invalidConfigMessage([`Invalid value ${printable(shown)} for configuration name: ${why}`]));
  if (name.trim() === '') throw invalid('String may not be empty');
   
  if (!isWellFormed(name)) throw invalid('String must be well-formed Unicode (it holds a lone surrogate)');
  // Connect's rule is Java's Character.isISOControl: C0, DEL and C1.
  const control = [...name].filter((c) => /[\u0000-\u001f\u007f-\u009f]/.test(c)).map((c) => c.charCodeAt(0));
  if (control.length) throw invalid(`String may not contain control sequences but had the following ASCII chars: ${control.join(', ')}`);
  if (name.length > MAX_NAME_LENGTH) throw invalid(`String must be at most ${MAX_NAME_LENGTH} characters long`);
  if (/[/\\]/.test(name)) throw invalid("String may not contain '/' or '\\' (a connector name is part of its REST path)");
  if (name.trim() === '.' || name.trim() === '..') throw invalid("String may not be '.' or '..' (a connector name is part of its REST path)");
  return name;
}

function printable(s: string): string {
   
  return s.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** A boolean query parameter: true/false in any case, absent or empty is `fallback`; anything else is a 400. */
export function boolParam(req: ApiRequest, key: string, fallback = false): boolean {
  const values = req.query[key] ?? [];
  const v = values[values.length - 1];
  if (v === undefined || v === '') return fallback;
  if (/^true$/i.test(v)) return true;
  if (/^false$/i.test(v)) return false;
  throw new BadInputError(`Invalid value ${v} for query parameter ${key}: expected true or false`);
}

/** `?expand=status&expand=info`: undefined when absent; unknown values are a 400. */
export function expandParam(req: ApiRequest): Set<'status' | 'info'> | undefined {
  const values = req.query.expand;
  if (values === undefined) return undefined;
  const out = new Set<'status' | 'info'>();
  for (const v of values) {
    if (v === 'status' || v === 'info') out.add(v);
    else if (v !== '') throw new BadInputError(`Invalid value ${v} for query parameter expand: expected status or info`);
  }
  return out;
}

/**
 * A task id path segment as Java's Integer.parseInt reads it (`+0`, `007` and `-1` parse),
 * else the route does not exist (Connect's 404). A negative id parses but names no task:
 * callers answer it as an unknown task.
 */
export function taskIdParam(raw: string): number {
  if (!/^[-+]?\d{1,10}$/.test(raw)) throw new RouteNotFoundError();
  const n = Number(raw);
  if (n > 2 ** 31 - 1 || n < -(2 ** 31)) throw new RouteNotFoundError();
  return n === 0 ? 0 : n;
}
