/** Starts a Java component as a child process, logs to a file, and stops it cleanly. */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, openSync, closeSync } from 'node:fs';
import { dirname } from 'node:path';
import { waitForPort } from './net-probe.ts';

export interface JavaProcessOptions {
  readonly name: string;
  readonly classpath: string;
  readonly mainClass: string;
  readonly args: readonly string[];
  readonly jvmOptions?: readonly string[];
  readonly logFile: string;
  readonly port: number;
  readonly startTimeoutMs?: number;
}

/** A running component; `stop()` ends it gracefully and waits. */
export interface ManagedProcess {
  readonly pid: number | undefined;
  stop(): Promise<void>;
}

const running = new Set<ChildProcess>();
process.once('exit', () => {
  // Last resort if the host dies without stopping its children.
  for (const child of running) child.kill('SIGKILL');
});

export async function startJavaProcess(o: JavaProcessOptions): Promise<ManagedProcess> {
  mkdirSync(dirname(o.logFile), { recursive: true });
  const fd = openSync(o.logFile, 'a');
  const child = spawn('java', [...(o.jvmOptions ?? []), '-cp', o.classpath, o.mainClass, ...o.args], {
    stdio: ['ignore', fd, fd],
    detached: true, // its own process group: Ctrl-C reaches the host, which stops it in order
  });
  closeSync(fd);
  running.add(child);
  let exited: string | undefined;
  const exit = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      exited = `${o.name} exited (${signal ?? code}) before it was ready; see ${o.logFile}`;
      running.delete(child);
      resolve();
    }),
  );
  try {
    await waitForPort(o.port, { timeoutMs: o.startTimeoutMs ?? 90_000, abort: () => exited });
  } catch (e) {
    child.kill('SIGKILL');
    throw e;
  }
  return {
    pid: child.pid,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      await exit;
      clearTimeout(timer);
    },
  };
}
