/** Peak resident memory of processes, from Linux's /proc/<pid>/status (VmHWM: the RSS high-water mark). */
import { readFileSync } from 'node:fs';

/** VmHWM in KiB, or undefined when the process is gone or /proc is not there. */
export function peakRssKiB(pid: number): number | undefined {
  try {
    const m = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Samples the high-water mark of whichever processes `pids()` names, until `stop()`, which
 * returns the largest one seen per process. Sampling repeatedly catches processes that
 * appear late (a runner forked after the connector is created) or exit early.
 */
export function samplePeakRss(pids: () => Promise<number[]>, intervalMs = 250): { stop(): Promise<Map<number, number>> } {
  const peaks = new Map<number, number>();
  const sample = async () => {
    for (const pid of await pids().catch(() => [])) {
      const kib = peakRssKiB(pid);
      if (kib !== undefined) peaks.set(pid, Math.max(kib, peaks.get(pid) ?? 0));
    }
  };
  let running = sample();
  const timer = setInterval(() => {
    running = running.then(sample);
  }, intervalMs);
  let stopped: Promise<Map<number, number>> | undefined;
  return {
    stop: () =>
      (stopped ??= (async () => {
        clearInterval(timer);
        await running;
        await sample();
        return peaks;
      })()),
  };
}
