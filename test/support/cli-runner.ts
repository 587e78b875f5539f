/** Runs the `tributary` command as a user would (its bin, in a child process) and captures it. */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { projectRoot } from '../../host/local-paths.ts';

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export function runTributary(args: readonly string[], env: Record<string, string> = {}): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(process.execPath, [join(projectRoot, 'cli', 'tributary.mjs'), ...args], { cwd: projectRoot, env: { ...process.env, NO_COLOR: '1', ...env }, timeout: 60_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}
