/**
 * How many of the machine's cores sat idle lately, from the tick counters `os.cpus()` reports
 * on every platform Node runs on. The local runner pool asks before it loads another spare:
 * loading one takes about a core for a second, which on a small machine is taken from the
 * tasks that are moving data right then.
 */
import { cpus } from 'node:os';

type CpuTimes = Pick<ReturnType<typeof cpus>[number], 'times'>;

/** Shorter windows than this say too little (the counters tick every 10 ms): no answer yet. */
const MIN_WINDOW_MS = 500;
/** Longer windows say too little of now (an idle minute would hide the busy second after it): a new one begins. */
const MAX_WINDOW_MS = 3_000;

export class CpuLoadProbe {
  private idle = 0;
  private total = 0;
  private since: number;

  constructor(
    private readonly read: () => readonly CpuTimes[] = cpus,
    private readonly now: () => number = Date.now,
  ) {
    this.since = now();
    this.sample();
  }

  /**
   * Idle cores, on average, over the window since the previous answer, and a new window
   * begins. Undefined while the window is under half a second, and for a window over three
   * seconds (it begins anew): the answer is always about the last second or two. A machine
   * whose counters cannot be read (some containers report no CPUs) counts as one idle core,
   * so nothing waits on it.
   */
  idleCores(): number | undefined {
    const now = this.now();
    const age = now - this.since;
    if (age < MIN_WINDOW_MS) return undefined;
    const [idle0, total0] = [this.idle, this.total];
    const count = this.sample();
    this.since = now;
    if (age > MAX_WINDOW_MS) return undefined;
    const total = this.total - total0;
    if (count === 0 || total <= 0) return 1;
    return ((this.idle - idle0) / total) * count;
  }

  /**
   * Begins a new window now, forgetting the one under way: what the cores did before a task
   * started says nothing of the CPU the task is about to take.
   */
  restart(): void {
    this.since = this.now();
    this.sample();
  }

  private sample(): number {
    const all = this.read();
    let idle = 0;
    let total = 0;
    for (const { times } of all) {
      idle += times.idle;
      total += times.user + times.nice + times.sys + times.idle + times.irq;
    }
    this.idle = idle;
    this.total = total;
    return all.length;
  }
}
