/** Console files in a folder: console/dist/ui on the laptop, the console layer's /opt/ui on Lambda. */
import { readFile, stat } from 'node:fs/promises';
import { resolve, sep } from 'node:path';
import type { AssetSource } from './console-assets.ts';

export function fileAssetSource(root: string): AssetSource {
  const base = resolve(root);
  return {
    read: async (key) => {
      const file = resolve(base, key);
      // console-assets.ts only asks for plain relative keys; a file outside the folder is never read anyway.
      if (!file.startsWith(base + sep)) return undefined;
      try {
        return (await stat(file)).isFile() ? await readFile(file) : undefined;
      } catch {
        return undefined;
      }
    },
  };
}
