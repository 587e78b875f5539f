#!/usr/bin/env node
// The `tributary` bin. In a checkout it runs the TypeScript sources through tsx; an installed
// package has no sources, only the built JavaScript under dist/ (which a checkout may also hold
// after `npm pack`, and must then ignore: its host code would look for files beside itself).
import { existsSync } from 'node:fs';

const source = new URL('./tributary-cli.ts', import.meta.url);
let cli;
if (existsSync(source)) {
  const { register } = await import('tsx/esm/api');
  register();
  cli = await import(source.href);
} else cli = await import(new URL('../dist/cli/tributary-cli.js', import.meta.url).href);
process.exitCode = await cli.runCli(process.argv.slice(2));
