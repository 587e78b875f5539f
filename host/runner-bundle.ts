/**
 * The local runner's entry point as plain JavaScript, so a runner process starts as a Lambda
 * container does: from one prebuilt module, not from TypeScript compiled on the fly while it
 * loads. Through tsx a runner took 3–4 s to load on 2 busy cores; from the bundle, under 1 s,
 * which is what a task re-run after its runner was lost waits for when no spare is ready.
 *
 * In a checkout, esbuild bundles host/runner-process.ts and Tributary's own modules into one
 * file under node_modules/.cache/tributary (packages stay external, so native and WebAssembly
 * modules load from node_modules as they do for the host). The file is named by its content's
 * hash: a host started after an edit builds a new one, and hosts running side by side never
 * overwrite each other's. An installed package ships the compiled runner-process.js instead.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BuildOptions } from 'esbuild';
import { projectRoot } from './local-paths.ts';

/** How a runner process is started: the module to fork and the Node options it needs. */
export interface RunnerEntry {
  readonly entry: string;
  readonly execArgv: readonly string[];
}

const CACHE = join(projectRoot, 'node_modules', '.cache', 'tributary');
/** Older bundles (from earlier edits) are removed once they are this old. */
const KEEP_MS = 24 * 3600_000;

/**
 * The runner entry for this install. In a checkout, custom plugins named in TRIBUTARY_PLUGINS
 * may be TypeScript, so with them the runner also gets the tsx loader (the bundle needs none).
 */
export async function runnerEntry(env: NodeJS.ProcessEnv): Promise<RunnerEntry> {
  const compiled = join(import.meta.dirname, 'runner-process.js');
  if (existsSync(compiled)) return { entry: compiled, execArgv: [] };
  const plugins = (env.TRIBUTARY_PLUGINS ?? '').trim() ? ['--import', 'tsx'] : [];
  return { entry: await bundle(), execArgv: ['--enable-source-maps', ...plugins] };
}

/** How the runner bundle is built: by the host, and by the test of what a runner loads at start. */
export function runnerBuildOptions() {
  return {
    entryPoints: [join(projectRoot, 'host', 'runner-process.ts')],
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'esm',
    packages: 'external',
    sourcemap: 'linked',
    write: false,
    outfile: join(CACHE, 'runner-process.mjs'),
    logLevel: 'silent',
  } satisfies BuildOptions;
}

async function bundle(): Promise<string> {
  // esbuild is a development dependency: a checkout has it, an installed package needs none.
  const { build } = await import('esbuild');
  const out = await build(runnerBuildOptions());
  const js = out.outputFiles.find((f) => f.path.endsWith('.mjs'));
  const map = out.outputFiles.find((f) => f.path.endsWith('.map'));
  if (!js || !map) throw new Error('The runner bundle was not produced');
  const name = `runner-process-${createHash('sha256').update(js.contents).digest('hex').slice(0, 16)}.mjs`;
  const file = join(CACHE, name);
  if (existsSync(file)) return file;
  mkdirSync(CACHE, { recursive: true });
  // The map keeps the name the code points at; each file appears whole (write, then rename).
  const text = js.text.replace(/sourceMappingURL=runner-process\.mjs\.map/, `sourceMappingURL=${name}.map`);
  atomicWrite(`${file}.map`, map.contents);
  atomicWrite(file, text);
  removeOldBundles(name);
  return file;
}

function atomicWrite(file: string, data: string | Uint8Array): void {
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, data);
  renameSync(temp, file);
}

function removeOldBundles(current: string): void {
  const now = Date.now();
  for (const f of readdirSync(CACHE)) {
    if (!f.startsWith('runner-process-') || f.startsWith(current)) continue;
    const path = join(CACHE, f);
    try {
      if (now - statSync(path).mtimeMs > KEEP_MS) rmSync(path, { force: true });
    } catch {
      // Another host removed it first.
    }
  }
}
