/** Where the local host keeps its state and its downloaded jars. */
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/** The data directory: connector state, Kafka logs and DynamoDB Local's database live here. */
export function dataDir(env: NodeJS.ProcessEnv = process.env): string {
  return resolve(env.TRIBUTARY_DATA_DIR ?? join(process.cwd(), '.tributary'));
}

/** The cache of jars resolved by Maven, shared by every checkout on this machine. */
export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return resolve(env.TRIBUTARY_CACHE_DIR ?? join(homedir(), '.cache', 'tributary'));
}

/** The repository root, found from this file's location. */
export const projectRoot = resolve(import.meta.dirname, '..');

/** The built web console (`npm ci`'s prepare step writes it; `npm run build:console` rebuilds it), served under /ui. */
export const consoleDir = join(projectRoot, 'console', 'dist', 'ui');
