#!/usr/bin/env node
// The `tributary` bin: the built JavaScript when the package was built (npm pack), else the
// TypeScript sources through tsx (a checkout of the repository).
import { existsSync } from 'node:fs';

const built = new URL('../dist/cli/tributary-cli.js', import.meta.url);
let cli;
if (existsSync(built)) cli = await import(built.href);
else {
  const { register } = await import('tsx/esm/api');
  register();
  cli = await import('./tributary-cli.ts');
}
process.exitCode = await cli.runCli(process.argv.slice(2));
