/**
 * The plugin registry: finds connectors, converters, transforms and predicates by their
 * class name or alias, as Connect's plugin loader does (full name, simple name, or the
 * simple name without its `Connector` / `Converter` suffix).
 */
import type { PluginDescriptor, PluginType } from './plugin-types.ts';

export class PluginNotFoundError extends Error {
  override readonly name = 'PluginNotFoundError';
  constructor(
    readonly className: string,
    readonly available: readonly string[],
  ) {
    super(`Failed to find any class that implements ${className}`);
  }
}

export class PluginRegistry {
  /** Every descriptor a name may mean: one class can be a converter and a header converter. */
  private readonly byName = new Map<string, PluginDescriptor[]>();
  private readonly all: PluginDescriptor[] = [];

  register(...descriptors: readonly PluginDescriptor[]): this {
    for (const d of descriptors) {
      this.all.push(d);
      for (const name of namesOf(d)) this.byName.set(name, [...(this.byName.get(name) ?? []), d]);
    }
    return this;
  }

  /** Finds a plugin by class name or alias, or undefined. */
  find(name: string, types?: readonly PluginType[]): PluginDescriptor | undefined {
    return this.byName.get(name.trim())?.find((d) => !types || types.includes(d.type));
  }

  /** Finds a plugin or throws PluginNotFoundError listing what is available. */
  require(name: string, types: readonly PluginType[]): PluginDescriptor {
    const d = this.find(name, types);
    if (!d) throw new PluginNotFoundError(name, this.list(types).map((p) => p.className));
    return d;
  }

  list(types?: readonly PluginType[]): PluginDescriptor[] {
    return this.all.filter((d) => !types || types.includes(d.type));
  }

  /** Loads npm packages exporting `plugins: PluginDescriptor[]`, the way custom connectors are installed. */
  async loadPackages(packageNames: readonly string[]): Promise<void> {
    for (const pkg of packageNames) {
      const mod = (await import(pkg)) as { plugins?: PluginDescriptor[]; default?: { plugins?: PluginDescriptor[] } };
      const plugins = mod.plugins ?? mod.default?.plugins;
      if (!Array.isArray(plugins)) throw new Error(`Plugin package ${pkg} does not export "plugins"`);
      this.register(...plugins);
    }
  }
}

function namesOf(d: PluginDescriptor): string[] {
  const simple = d.className.split('.').pop() ?? d.className;
  const names = [d.className, simple, ...(d.aliases ?? [])];
  for (const suffix of ['Connector', 'Converter']) {
    if (simple.endsWith(suffix) && simple.length > suffix.length) names.push(simple.slice(0, -suffix.length));
  }
  return names;
}
