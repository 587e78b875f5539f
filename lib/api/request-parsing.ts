/** Reading requests safely: body size, JSON, shapes, names and query values, each a 4xx when wrong. */
import { z } from 'zod';
import { ApiError, type ApiRequest } from './http-types.ts';

export const MAX_BODY_BYTES = 1024 * 1024;
export const MAX_NAME_LENGTH = 249;

/** Parses the JSON body against a schema; 400 for a missing, oversized, malformed or mis-shaped body. */
export function jsonBody<S extends z.ZodTypeAny>(req: ApiRequest, schema: S): z.infer<S> {
  if (req.body === null || req.body.trim() === '') throw new ApiError(400, 'Request body is empty: a JSON body is required');
  if (Buffer.byteLength(req.body) > MAX_BODY_BYTES) throw new ApiError(413, `Request body is larger than ${MAX_BODY_BYTES} bytes`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(req.body);
  } catch (e) {
    throw new ApiError(400, `Request body is not valid JSON: ${(e as Error).message}`);
  }
  const result = schema.safeParse(parsed);
  if (!result.success) {
    const issue = result.error.issues[0];
    const where = issue?.path.length ? ` at ${issue.path.join('.')}` : '';
    throw new ApiError(400, `Request body has the wrong shape${where}: ${issue?.message ?? 'invalid'}`);
  }
  return result.data;
}

/** Config values are strings in Connect; numbers and booleans are accepted and turned into strings. */
const configValue = z.union([z.string(), z.number(), z.boolean()]).transform((v) => String(v));
export const configMapSchema = z.record(z.string(), configValue);
export const patchMapSchema = z.record(z.string(), z.union([configValue, z.null()]));

export const createBodySchema = z.object({
  name: z.string(),
  config: configMapSchema.optional(),
  initial_state: z.enum(['RUNNING', 'PAUSED', 'STOPPED']).optional(),
});

/** A connector name as Connect accepts it, made safe for paths, logs and keys. */
export function checkName(raw: string): string {
  const name = raw.trim();
  if (name === '') throw new ApiError(400, 'Connector name is null or empty');
  if (name.length > MAX_NAME_LENGTH) throw new ApiError(400, `Connector name is longer than ${MAX_NAME_LENGTH} characters`);
  // eslint-disable-next-line no-control-regex -- rejecting control characters is the point
  if (/[\u0000-\u001f\u007f]/.test(name)) throw new ApiError(400, 'Connector name contains control characters');
  if (name.includes('/') || name.includes('\\')) throw new ApiError(400, 'Connector name may not contain / or \\');
  if (name === '.' || name === '..') throw new ApiError(400, 'Connector name may not be . or ..');
  return name;
}

/** A boolean query parameter; 400 for anything but true/false. */
export function boolParam(req: ApiRequest, key: string, fallback = false): boolean {
  const v = req.query[key]?.[0];
  if (v === undefined || v === '') return fallback;
  if (/^true$/i.test(v)) return true;
  if (/^false$/i.test(v)) return false;
  throw new ApiError(400, `Invalid value for query parameter ${key}: ${v} (expected true or false)`);
}

export function taskIdParam(raw: string): number {
  if (!/^\d{1,9}$/.test(raw)) throw new ApiError(404, `Task ID ${raw} is not a valid task id`);
  return Number(raw);
}
