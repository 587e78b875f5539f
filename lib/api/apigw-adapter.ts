/** Translates API Gateway REST proxy events to API requests and responses back. */
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import type { ApiRequest, ApiResponse } from './http-types.ts';

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export function fromProxyEvent(e: APIGatewayProxyEvent): ApiRequest {
  const query: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(e.multiValueQueryStringParameters ?? {})) if (v) query[k] = v;
  for (const [k, v] of Object.entries(e.queryStringParameters ?? {})) if (v !== undefined && !query[k]) query[k] = [v];
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(e.headers ?? {})) if (v !== undefined) headers[k.toLowerCase()] = v;
  let body: string | null = e.body ?? null;
  let bodyError: string | undefined;
  if (body !== null && e.isBase64Encoded) {
    try {
      body = utf8.decode(Buffer.from(body, 'base64'));
    } catch {
      body = null;
      bodyError = 'Request body is not well-formed UTF-8';
    }
  }
  return { method: (e.httpMethod ?? 'GET').toUpperCase(), path: e.path ?? '/', query, headers, body, ...(bodyError ? { bodyError } : {}) };
}

export function toProxyResult(r: ApiResponse): APIGatewayProxyResult {
  const hasBody = r.body !== undefined;
  return {
    statusCode: r.status,
    headers: { ...(hasBody ? { 'Content-Type': 'application/json' } : {}), ...(r.headers ?? {}) },
    body: hasBody ? JSON.stringify(r.body) : '',
  };
}

/** An API Gateway REST proxy event for one call, as the deployed API would send it to the API function. */
export function proxyEvent(method: string, path: string, body?: unknown): APIGatewayProxyEvent {
  return {
    httpMethod: method,
    path,
    resource: '/{proxy+}',
    headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
    multiValueHeaders: {},
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    pathParameters: null,
    stageVariables: null,
    body: body === undefined ? null : JSON.stringify(body),
    isBase64Encoded: false,
    requestContext: {} as APIGatewayProxyEvent['requestContext'],
  };
}
