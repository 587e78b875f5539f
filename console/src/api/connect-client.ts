/**
 * The console's only way to the REST API: same-origin fetches of Connect's paths, errors read
 * from Connect's `{"error_code","message"}` body. A bearer token (the local host's
 * TRIBUTARY_API_TOKEN) is kept for the tab's session only.
 */
import type { ConfigInfos, ConfigKeyInfo, ConnectorInfo, ConnectorMetrics, ConnectorOffsets, ConnectorStatus, ExpandedConnectors, PluginInfo } from './connect-types.ts';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const TOKEN_KEY = 'tributary-api-token';

export function setToken(token: string): void {
  if (token) sessionStorage.setItem(TOKEN_KEY, token);
  else sessionStorage.removeItem(TOKEN_KEY);
}

async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  const token = sessionStorage.getItem(TOKEN_KEY);
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(path, { method, headers, body: body === undefined ? null : JSON.stringify(body) });
  const text = await res.text();
  const parsed: unknown = text ? safeJson(text) : undefined;
  if (!res.ok) {
    const message = (parsed as { message?: string } | undefined)?.message ?? `${res.status} ${res.statusText}`;
    throw new ApiError(res.status, message);
  }
  return parsed as T;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

const seg = encodeURIComponent;

export const api = {
  names: () => call<string[]>('GET', '/connectors'),
  connectors: () => call<ExpandedConnectors>('GET', '/connectors?expand=status&expand=info'),
  info: (name: string) => call<ConnectorInfo>('GET', `/connectors/${seg(name)}`),
  status: (name: string) => call<ConnectorStatus>('GET', `/connectors/${seg(name)}/status`),
  topics: (name: string) => call<Record<string, { topics: string[] }>>('GET', `/connectors/${seg(name)}/topics`),
  offsets: (name: string) => call<ConnectorOffsets>('GET', `/connectors/${seg(name)}/offsets`),
  alterOffsets: (name: string, offsets: ConnectorOffsets) => call<{ message: string }>('PATCH', `/connectors/${seg(name)}/offsets`, offsets),
  resetOffsets: (name: string) => call<{ message: string }>('DELETE', `/connectors/${seg(name)}/offsets`),
  pause: (name: string) => call<void>('PUT', `/connectors/${seg(name)}/pause`),
  resume: (name: string) => call<void>('PUT', `/connectors/${seg(name)}/resume`),
  stop: (name: string) => call<void>('PUT', `/connectors/${seg(name)}/stop`),
  restart: (name: string) => call<unknown>('POST', `/connectors/${seg(name)}/restart?includeTasks=true&onlyFailed=false`),
  remove: (name: string) => call<void>('DELETE', `/connectors/${seg(name)}`),
  create: (name: string, config: Record<string, string>) => call<ConnectorInfo>('POST', '/connectors', { name, config }),
  update: (name: string, config: Record<string, string>) => call<ConnectorInfo>('PUT', `/connectors/${seg(name)}/config`, config),
  plugins: () => call<PluginInfo[]>('GET', '/connector-plugins'),
  pluginConfig: (cls: string) => call<ConfigKeyInfo[]>('GET', `/connector-plugins/${seg(cls)}/config`),
  validate: (cls: string, config: Record<string, string>) => call<ConfigInfos>('PUT', `/connector-plugins/${seg(cls)}/config/validate`, config),
  metrics: (name: string, range: string) => call<ConnectorMetrics>('GET', `/tributary/metrics/connectors/${seg(name)}?range=${seg(range)}`),
};
