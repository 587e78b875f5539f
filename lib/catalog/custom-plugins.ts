/**
 * Custom plugin packages bundled into every function at `cdk deploy`. Import a package here
 * and add its `plugins` to the list: a static import is what lets esbuild bundle it.
 * (Locally, TRIBUTARY_PLUGINS also loads packages by name or path at start-up.)
 */
import type { PluginDescriptor } from '../plugins/plugin-types.ts';

export const customPlugins: PluginDescriptor[] = [];
