/**
 * A small router: method and path template (`/connectors/{name}`) to a route handler. It
 * answers as Connect's Jersey does where a route is missing: 404 for an unknown path, 405
 * with `Allow` for a known path and another method, HEAD as GET without a body, OPTIONS
 * with the allowed methods, and 406 when the client does not accept JSON.
 */
import { BadInputError, MethodNotAllowedError, NotAcceptableError, RouteNotFoundError } from './api-errors.ts';
import type { ApiRequest, ApiResponse } from './http-types.ts';
import { isWellFormed, parseRequestTarget, printable } from './request-target.ts';

export type RouteHandler = (req: ApiRequest, params: Readonly<Record<string, string>>) => Promise<ApiResponse>;

interface Route {
  readonly method: string;
  readonly segments: readonly string[];
  readonly handler: RouteHandler;
  readonly opts: RouteOptions;
}

export interface RouteOptions {
  /**
   * Admit path parameters that are not well-formed Unicode (lone surrogates): only for
   * deleting a connector stored under such a name before names were checked.
   */
  readonly illFormedNames?: boolean;
}

export class ApiRouter {
  private readonly routes: Route[] = [];

  on(method: string, template: string, handler: RouteHandler, opts: RouteOptions = {}): this {
    this.routes.push({ method, segments: split(template), handler, opts });
    return this;
  }

  async dispatch(req: ApiRequest): Promise<ApiResponse> {
    const target = parseRequestTarget(req.path, req.query);
    if (target.kind === 'not-found') throw new RouteNotFoundError();
    if (target.kind === 'bad-request') throw new BadInputError(target.message);
    const segments = target.segments;
    const allowed = new Set<string>();
    const method = req.method === 'HEAD' ? 'GET' : req.method;
    for (const r of this.routes) {
      if (!fits(r.segments, segments)) continue;
      allowed.add(r.method);
      if (r.method !== method) continue;
      if (!acceptsJson(req.headers.accept)) throw new NotAcceptableError();
      const res = await r.handler(req, params(r.segments, segments, r.opts));
      return req.method === 'HEAD' ? { status: res.status, headers: res.headers ?? {} } : res;
    }
    if (allowed.size === 0) throw new RouteNotFoundError();
    const allow = [...allowed, ...(allowed.has('GET') ? ['HEAD'] : []), 'OPTIONS'];
    if (req.method === 'OPTIONS') return { status: 200, headers: { Allow: allow.join(', ') } };
    throw new MethodNotAllowedError(allow);
  }
}

/** Template segments. */
function split(template: string): string[] {
  return template.split('/').filter((s) => s !== '');
}

function fits(template: readonly string[], actual: readonly string[]): boolean {
  if (template.length !== actual.length) return false;
  return template.every((t, i) => isParam(t) || t === actual[i]);
}

function isParam(segment: string): boolean {
  return segment.startsWith('{') && segment.endsWith('}');
}

/** Path parameters (already decoded); control characters are a 400. */
function params(template: readonly string[], actual: readonly string[], opts: RouteOptions): Record<string, string> {
  const out: Record<string, string> = {};
  template.forEach((t, i) => {
    if (!isParam(t)) return;
    const value = actual[i] as string;
    if (/[\u0000-\u001f\u007f-\u009f]/.test(value)) throw new BadInputError(`Path segment '${printable(value)}' contains control characters`);
    if (!opts.illFormedNames && !isWellFormed(value)) throw new BadInputError(`Path segment '${printable(value)}' is not well-formed Unicode (a lone surrogate)`);
    out[t.slice(1, -1)] = value;
  });
  return out;
}

/** Whether an Accept header admits `application/json` (absent means anything). */
export function acceptsJson(accept: string | undefined): boolean {
  if (accept === undefined || accept.trim() === '') return true;
  return accept.split(',').some((part) => {
    const [type = '', ...paramsList] = part.trim().toLowerCase().split(';');
    const q = paramsList.map((p) => p.trim()).find((p) => p.startsWith('q='));
    if (q !== undefined && Number(q.slice(2)) === 0) return false;
    return type === '*/*' || type === 'application/*' || type === 'application/json' || type.endsWith('+json');
  });
}
