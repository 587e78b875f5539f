/**
 * The HTTP sink (io.confluent.connect.http.HttpSinkConnector): every task gets the same config;
 * Kafka spreads the topic partitions over them.
 */
import type { ConfigDef } from '../../config/config-def.ts';
import { ConfigError } from '../../config/config-def.ts';
import type { Props, SinkConnector, SinkTask } from '../../plugins/plugin-types.ts';
import { probeTcp } from '../endpoint-probe.ts';
import { httpSinkConfigDef, parseHttpSinkSettings } from './http-sink-config.ts';
import { HttpSinkTask } from './http-sink-task.ts';
import { HTTP_SINK_VERSION } from './http-version.ts';
import { OAuth2TokenSource } from './oauth2-token-source.ts';

export const HTTP_SINK_CLASS = 'io.confluent.connect.http.HttpSinkConnector';

export class HttpSinkConnector implements SinkConnector {
  readonly type = 'sink';
  private props: Props = {};

  version(): string {
    return HTTP_SINK_VERSION;
  }

  config(): ConfigDef {
    return httpSinkConfigDef();
  }

  /** Cross-key checks, then whether the API's host accepts connections and the OAuth2 client gets a token. */
  async validate(props: Props): Promise<Record<string, string[]>> {
    if (httpSinkConfigDef().validate(props).some((r) => r.errors.length > 0)) return {};
    let settings;
    try {
      settings = parseHttpSinkSettings(props);
    } catch (e) {
      if (e instanceof ConfigError && e.key) return { [e.key]: [e.message] };
      throw e;
    }
    const errors: Record<string, string[]> = {};
    const target = new URL(settings.url.replaceAll('${topic}', 'topic').replaceAll('${key}', 'key'));
    const port = Number(target.port || (target.protocol === 'https:' ? 443 : 80));
    const unreachable = await probeTcp(target.hostname, port);
    if (unreachable) errors['http.api.url'] = [`The HTTP API is unreachable: ${unreachable}`];
    if (settings.auth.type === 'OAUTH2') {
      try {
        await new OAuth2TokenSource(settings.auth, 10_000).accessToken();
      } catch (e) {
        const message = (e as Error).message;
        const key = /answered 40[013]/.test(message) ? 'oauth2.client.secret' : 'oauth2.token.url';
        errors[key] = [message];
      }
    }
    return errors;
  }

  start(props: Props): void {
    parseHttpSinkSettings(props);
    this.props = props;
  }

  taskConfigs(maxTasks: number): Props[] {
    return Array.from({ length: Math.max(1, maxTasks) }, () => ({ ...this.props }));
  }

  createTask(): SinkTask {
    return new HttpSinkTask();
  }

  stop(): void {}

  /** The sink keeps no offsets of its own: Connect's consumer group offsets are all there is. */
  alterOffsets(): boolean {
    return true;
  }
}
