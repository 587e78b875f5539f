/** The built console (console/dist, made by `npm ci`'s prepare step) as the local host's asset source. */
import { readFile, stat } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import type { AssetSource } from '../lib/console/console-assets.ts';
import { projectRoot } from './local-paths.ts';

export const CONSOLE_DIST = join(projectRoot, 'console', 'dist');

export function consoleFiles(root = CONSOLE_DIST): AssetSource {
  const base = resolve(root);
  return {
    read: async (key) => {
      const file = resolve(base, key);
      if (!file.startsWith(base + sep)) return undefined;
      try {
        return (await stat(file)).isFile() ? await readFile(file) : undefined;
      } catch {
        return undefined;
      }
    },
  };
}
