/** A small router: method and path template (`/connectors/{name}`) to a route handler. */
import { ApiError, type ApiRequest, type ApiResponse } from './http-types.ts';

export type RouteHandler = (req: ApiRequest, params: Readonly<Record<string, string>>) => Promise<ApiResponse>;

interface Route {
  readonly method: string;
  readonly segments: readonly string[];
  readonly handler: RouteHandler;
}

export class ApiRouter {
  private readonly routes: Route[] = [];

  on(method: string, template: string, handler: RouteHandler): this {
    this.routes.push({ method, segments: split(template), handler });
    return this;
  }

  /** Finds the route; 404 for an unknown path, 405 for a known path with another method. */
  async dispatch(req: ApiRequest): Promise<ApiResponse> {
    const segments = split(req.path);
    let pathMatched = false;
    for (const r of this.routes) {
      const params = match(r.segments, segments);
      if (!params) continue;
      pathMatched = true;
      if (r.method === req.method) return r.handler(req, params);
    }
    if (pathMatched) throw new ApiError(405, 'HTTP 405 Method Not Allowed');
    throw new ApiError(404, 'HTTP 404 Not Found');
  }
}

function split(path: string): string[] {
  return path.split('/').filter((s, i, all) => s !== '' || (i > 0 && i < all.length - 1));
}

function match(template: readonly string[], actual: readonly string[]): Record<string, string> | undefined {
  if (template.length !== actual.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < template.length; i++) {
    const t = template[i] as string;
    const a = actual[i] as string;
    if (t.startsWith('{') && t.endsWith('}')) {
      let decoded: string;
      try {
        decoded = decodeURIComponent(a);
      } catch {
        throw new ApiError(400, `Malformed percent-encoding in path segment ${a}`);
      }
      params[t.slice(1, -1)] = decoded;
    } else if (t !== a) return undefined;
  }
  return params;
}
