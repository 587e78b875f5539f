/**
 * A client for the Kafka Connect REST API that Tributary serves: one method per call the CLI
 * makes, errors in Connect's format turned into ConnectApiError, and SigV4 signing when the
 * context is an AWS one. The HTTP exchange itself is connect-rest-client's `rest`.
 */
import { RequestSigner } from './aws-signer.ts';
import type { CliContext } from './cli-context.ts';
import { ConnectApiError, UnreachableError } from './cli-errors.ts';
import { rest, type RestResult } from './connect-rest-client.ts';

export type ConnectorConfig = Record<string, string>;

export interface InstanceStatus {
  readonly state: string;
  readonly worker_id: string;
  readonly trace?: string;
  readonly tributary?: Record<string, unknown>;
}

export interface ConnectorStatus {
  readonly name: string;
  readonly connector: InstanceStatus;
  readonly tasks: readonly (InstanceStatus & { id: number })[];
  readonly type: string;
}

export interface ConnectorInfo {
  readonly name: string;
  readonly config: ConnectorConfig;
  readonly tasks: readonly { connector: string; task: number }[];
  readonly type: string;
}

export interface ExpandedConnector {
  readonly status?: ConnectorStatus;
  readonly info?: ConnectorInfo;
}

export interface ConfigKeyDefinition {
  readonly name: string;
  readonly type: string;
  readonly required: boolean;
  readonly default_value: string | null;
  readonly documentation: string;
}

export interface ValidationResult {
  readonly name: string;
  readonly error_count: number;
  readonly configs: readonly { value: { name: string; value: string | null; errors: string[] } }[];
}

export interface OffsetEntry {
  readonly partition: Record<string, unknown>;
  readonly offset: Record<string, unknown> | null;
}

export interface PluginInfo {
  readonly class: string;
  readonly type: string;
  readonly version: string;
}

export class ConnectClient {
  private readonly base: URL;
  private readonly signer: RequestSigner | undefined;

  constructor(readonly context: CliContext) {
    this.base = new URL(context.url.endsWith('/') ? context.url : `${context.url}/`);
    this.signer = context.aws ? new RequestSigner(context.aws) : undefined;
  }

  /** One call; returns the parsed body (undefined for an empty one) or throws ConnectApiError. */
  async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const url = new URL(path.replace(/^\//, ''), this.base);
    const payload = body === undefined ? undefined : JSON.stringify(body);
    let headers: Record<string, string> = { accept: 'application/json', ...(payload !== undefined ? { 'content-type': 'application/json' } : {}) };
    if (this.context.token) headers.authorization = `Bearer ${this.context.token}`;
    if (this.signer) headers = await this.signer.sign({ method, url, headers, body: payload });
    let res: RestResult;
    try {
      res = await rest(url.origin, method, `${url.pathname}${url.search}`, undefined, payload, headers);
    } catch (e) {
      throw new UnreachableError(`Cannot reach ${this.context.url} (context ${this.context.name}): ${(e as Error).cause instanceof Error ? ((e as Error).cause as Error).message : (e as Error).message}`, { cause: e });
    }
    if (res.status < 200 || res.status > 299) {
      const answer = res.body;
      const message = typeof answer === 'object' && answer && 'message' in answer ? String((answer as { message: unknown }).message) : typeof answer === 'string' && answer ? answer : `HTTP ${res.status}`;
      throw new ConnectApiError(res.status, message);
    }
    return (res.body ?? undefined) as T;
  }

  listConnectors(): Promise<Record<string, ExpandedConnector>> {
    return this.call('GET', '/connectors?expand=status&expand=info');
  }
  connector(name: string): Promise<ConnectorInfo> {
    return this.call('GET', `/connectors/${enc(name)}`);
  }
  status(name: string): Promise<ConnectorStatus> {
    return this.call('GET', `/connectors/${enc(name)}/status`);
  }
  topics(name: string): Promise<Record<string, { topics: string[] }>> {
    return this.call('GET', `/connectors/${enc(name)}/topics`);
  }
  offsets(name: string): Promise<{ offsets: OffsetEntry[] }> {
    return this.call('GET', `/connectors/${enc(name)}/offsets`);
  }
  alterOffsets(name: string, offsets: readonly OffsetEntry[]): Promise<{ message: string }> {
    return this.call('PATCH', `/connectors/${enc(name)}/offsets`, { offsets });
  }
  resetOffsets(name: string): Promise<{ message: string }> {
    return this.call('DELETE', `/connectors/${enc(name)}/offsets`);
  }
  create(name: string, config: ConnectorConfig, initialState?: string): Promise<ConnectorInfo> {
    return this.call('POST', '/connectors', { name, config, ...(initialState ? { initial_state: initialState } : {}) });
  }
  putConfig(name: string, config: ConnectorConfig): Promise<ConnectorInfo> {
    return this.call('PUT', `/connectors/${enc(name)}/config`, config);
  }
  delete(name: string): Promise<void> {
    return this.call('DELETE', `/connectors/${enc(name)}`);
  }
  setState(name: string, action: 'pause' | 'resume' | 'stop'): Promise<void> {
    return this.call('PUT', `/connectors/${enc(name)}/${action}`);
  }
  restart(name: string, o: { includeTasks: boolean; onlyFailed: boolean }): Promise<ConnectorStatus | undefined> {
    return this.call('POST', `/connectors/${enc(name)}/restart?includeTasks=${o.includeTasks}&onlyFailed=${o.onlyFailed}`);
  }
  plugins(connectorsOnly: boolean): Promise<PluginInfo[]> {
    return this.call('GET', `/connector-plugins?connectorsOnly=${connectorsOnly}`);
  }
  pluginConfig(plugin: string): Promise<ConfigKeyDefinition[]> {
    return this.call('GET', `/connector-plugins/${enc(plugin)}/config`);
  }
  validate(plugin: string, config: ConnectorConfig): Promise<ValidationResult> {
    return this.call('PUT', `/connector-plugins/${enc(plugin)}/config/validate`, config);
  }
}

function enc(segment: string): string {
  return encodeURIComponent(segment);
}
