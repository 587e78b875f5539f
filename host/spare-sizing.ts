/**
 * How many warm runner processes the local host keeps ready: Lambda's provisioned concurrency,
 * sized by demand. Each runner handed out (a task created, restarted or re-run after its
 * runner was lost) counts as demand for `windowMs`; the pool keeps `min` spares plus one per
 * recent demand, up to `max`, and shrinks back to `min` once demand has been quiet for a
 * window. So a burst of creates or of runner kills finds spares already loaded, and an idle
 * host holds no more than `min` (~100 MB each).
 */

export interface SpareSizing {
  /** Spares kept when nothing happens. */
  readonly min: number;
  /** Spares never exceed this, whatever the demand. */
  readonly max: number;
  /** How long a runner handed out counts as demand. */
  readonly windowMs: number;
}

export const DEFAULT_SPARE_SIZING: SpareSizing = { min: 2, max: 6, windowMs: 60_000 };

/** The spare count for `recentDemand` runners handed out within the window. */
export function sparesFor(recentDemand: number, s: SpareSizing): number {
  const max = Math.max(s.min, s.max);
  return Math.min(max, s.min + recentDemand);
}

/** Sizing from TRIBUTARY_RUNNER_SPARES (the floor) and TRIBUTARY_RUNNER_SPARES_MAX; an invalid value keeps the default. */
export function spareSizingFromEnv(env: NodeJS.ProcessEnv): SpareSizing {
  const count = (v: string | undefined, d: number) => {
    const n = Number(v ?? d);
    return Number.isInteger(n) && n >= 0 ? n : d;
  };
  const min = count(env.TRIBUTARY_RUNNER_SPARES, DEFAULT_SPARE_SIZING.min);
  return { min, max: Math.max(min, count(env.TRIBUTARY_RUNNER_SPARES_MAX, DEFAULT_SPARE_SIZING.max)), windowMs: DEFAULT_SPARE_SIZING.windowMs };
}

/** Recent demand for runners, and the spare count it calls for. */
export class SpareDemand {
  private handedOut: number[] = [];

  constructor(readonly sizing: SpareSizing) {}

  /** A runner was handed out to a task. */
  record(now = Date.now()): void {
    this.handedOut.push(now);
  }

  /** Runners handed out within the last `ms`. */
  within(ms: number, now = Date.now()): number {
    return this.handedOut.filter((t) => now - t < ms).length;
  }

  /** How many spares to keep now. */
  wanted(now = Date.now()): number {
    this.handedOut = this.handedOut.filter((t) => now - t < this.sizing.windowMs);
    return sparesFor(this.handedOut.length, this.sizing);
  }
}

/** What the pool does about its spares now: load one more, look again shortly, or nothing. */
export type SpareStep = 'load' | 'wait' | 'none';

/** Handouts this close together are a burst: more tasks are likely on their way. */
export const BURST_MS = 5_000;

/**
 * Whether to load another spare. Nothing while one is loading (spares load one at a time, the
 * next once it is ready) or when enough are kept. At once when no runner serves a task (there
 * is no work to take the CPU from), when no spare is ready (the next task would wait for a
 * cold start), or in a burst, while fewer are ready than were handed out in the last
 * BURST_MS (`burst`): creates one after another would soon take the last. Otherwise only from
 * a free core (`idleCores`, undefined until it knows): a load takes about a core for a second,
 * and on a small machine it would take it from the tasks moving data, while the spare that is
 * ready covers the next task meanwhile.
 */
export function nextSpareStep(pool: { ready: number; loading: number; wanted: number; serving: number; burst: number }, idleCores: () => number | undefined): SpareStep {
  if (pool.loading > 0 || pool.ready + pool.loading >= pool.wanted) return 'none';
  if (pool.serving === 0 || pool.ready === 0 || pool.ready < pool.burst) return 'load';
  return (idleCores() ?? 0) >= 1 ? 'load' : 'wait';
}
