/**
 * The Kafka Connect REST API as a plain function from request to response. API Gateway (via
 * the middy handler) and the local HTTP server both call this.
 */
import type { ConnectorService } from '../control/connector-service.ts';
import { ControlError } from '../control/control-errors.ts';
import type { OffsetsService } from '../control/offsets-service.ts';
import { ConfigTooLargeError, StoreUnavailableError } from '../store/store-errors.ts';
import { registerAdminRoutes, type AdminDeps } from './admin-routes.ts';
import { ApiError, MethodNotAllowedError } from './api-errors.ts';
import { ApiRouter } from './api-router.ts';
import { registerConnectorStateRoutes } from './connector-state-routes.ts';
import { registerConnectorRoutes } from './connectors-routes.ts';
import { errorBody, type ApiRequest, type ApiResponse } from './http-types.ts';
import { registerMetricsRoutes } from './metrics-routes.ts';
import type { MetricsSource } from './metrics-source.ts';
import { registerOffsetsRoutes } from './offsets-routes.ts';
import { registerPluginRoutes } from './plugins-routes.ts';

export interface ApiDeps extends AdminDeps {
  readonly control: ConnectorService;
  readonly offsets: OffsetsService;
  readonly workerId: string;
  /** Where the metrics route reads chart series; without one, the route is not served. */
  readonly metrics?: MetricsSource | undefined;
  /** Called with unexpected errors; never with their details in the response. */
  readonly onUnexpected?: (e: unknown, req: ApiRequest) => void;
}

export type ConnectApi = (req: ApiRequest) => Promise<ApiResponse>;

export function createConnectApi(deps: ApiDeps): ConnectApi {
  const router = new ApiRouter();
  registerPluginRoutes(router, deps.control);
  registerConnectorRoutes(router, deps.control, deps.workerId);
  registerConnectorStateRoutes(router, deps.control, deps.workerId);
  registerOffsetsRoutes(router, deps.offsets);
  registerAdminRoutes(router, deps);
  if (deps.metrics) registerMetricsRoutes(router, deps.control, deps.metrics);
  return async (req) => {
    try {
      if (req.method !== 'GET' && req.method !== 'HEAD') deps.control.forgetCachedStates();
      return await router.dispatch(req);
    } catch (e) {
      return errorResponse(e, req, deps.onUnexpected);
    }
  };
}

/** The one place errors become responses, in Connect's `{error_code, message}` format. */
export function errorResponse(e: unknown, req: ApiRequest, onUnexpected?: (e: unknown, req: ApiRequest) => void): ApiResponse {
  if (e instanceof ApiError || e instanceof ControlError) {
    const headers = e instanceof MethodNotAllowedError ? { Allow: e.allowed.join(', ') } : undefined;
    return { status: e.status, body: errorBody(e.status, e.message), ...(headers ? { headers } : {}) };
  }
  if (e instanceof ConfigTooLargeError) return { status: 413, body: errorBody(413, e.message) };
  onUnexpected?.(e, req);
  if (e instanceof StoreUnavailableError) return { status: 503, body: errorBody(503, 'The connector store is unavailable; try again') };
  return { status: 500, body: errorBody(500, 'Internal server error: the request could not be completed; see the API logs for details') };
}
