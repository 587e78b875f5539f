import type { PluginDescriptor } from '../../plugins/plugin-types.ts';
import { HTTP_SINK_CLASS, HttpSinkConnector } from './http-sink-connector.ts';
import { HTTP_SINK_VERSION } from './http-version.ts';

export const httpPlugins: PluginDescriptor[] = [{ className: HTTP_SINK_CLASS, aliases: ['HttpSinkConnector', 'HttpSink'], type: 'sink', version: HTTP_SINK_VERSION, create: () => new HttpSinkConnector() }];
