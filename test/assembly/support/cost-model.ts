/**
 * Monthly cost of one connector task from what the assembly run measured, at AWS list prices
 * for us-east-1 (on-demand, no free tier), beside MSK Connect.
 */

/** List prices, us-east-1, as published by AWS in 2025 (check before relying on them). */
export const PRICES = {
  region: 'us-east-1',
  asOf: '2025 list prices (on-demand, free tiers ignored)',
  stepFunctionsPerTransition: 0.025 / 1000,
  lambdaArmPerGbSecond: 0.0000133334,
  lambdaPerRequest: 0.2 / 1_000_000,
  fargateArmPerVcpuHour: 0.03238,
  fargateArmPerGbHour: 0.00356,
  dynamoPerWrite: 0.625 / 1_000_000,
  dynamoPerRead: 0.125 / 1_000_000,
  mskConnectPerMcuHour: 0.11,
} as const;

export const SECONDS_PER_MONTH = 730 * 3600;

/** To the cent. */
export const round = (usd: number) => Math.round(usd * 100) / 100;

/** What one idle wake-up costs, averaged over the measured idle run. */
export interface IdleWake {
  readonly transitions: number;
  readonly invocations: number;
  readonly gbSeconds: number;
  readonly dynamoReads: number;
  readonly dynamoWrites: number;
  /** Real seconds the wake-up's slice ran before it ended as idle. */
  readonly sliceSeconds: number;
}

export function wakeCost(w: IdleWake): number {
  return (
    w.transitions * PRICES.stepFunctionsPerTransition +
    w.invocations * PRICES.lambdaPerRequest +
    w.gbSeconds * PRICES.lambdaArmPerGbSecond +
    w.dynamoReads * PRICES.dynamoPerRead +
    w.dynamoWrites * PRICES.dynamoPerWrite
  );
}

/** An idle connector: wake-ups at the backoff cap, all month. */
export function idleMonthly(w: IdleWake, backoffCapSeconds: number): { wakes: number; usd: number } {
  const wakes = SECONDS_PER_MONTH / (backoffCapSeconds + w.sliceSeconds);
  return { wakes, usd: wakes * wakeCost(w) };
}

/** A connector busy all month on the runner Lambda: slices back to back. */
export function busyLambdaMonthly(o: { memoryMb: number; sliceSeconds: number; transitionsPerSlice: number; invocationsPerSlice: number }): number {
  const slices = SECONDS_PER_MONTH / o.sliceSeconds;
  return (
    SECONDS_PER_MONTH * (o.memoryMb / 1024) * PRICES.lambdaArmPerGbSecond +
    slices * (o.transitionsPerSlice * PRICES.stepFunctionsPerTransition + o.invocationsPerSlice * PRICES.lambdaPerRequest)
  );
}

/** Fargate sizes from the smallest; memory the smallest each CPU size allows. */
const FARGATE_SIZES = [
  { cpu: 256, memoryMb: 512 },
  { cpu: 512, memoryMb: 1024 },
  { cpu: 1024, memoryMb: 2048 },
] as const;

/** The smallest Fargate task with `headroom` times the CPU the measured runner needs for `mbPerSecond`. */
export function fargateMonthly(cpuSecondsPerMb: number, mbPerSecond: number, headroom = 1.5): { cpu: number; memoryMb: number; usd: number } {
  const need = cpuSecondsPerMb * mbPerSecond * headroom;
  const size = FARGATE_SIZES.find((s) => s.cpu / 1024 >= need) ?? FARGATE_SIZES[2];
  const hourly = (size.cpu / 1024) * PRICES.fargateArmPerVcpuHour + (size.memoryMb / 1024) * PRICES.fargateArmPerGbHour;
  return { ...size, usd: hourly * 730 };
}

/** MSK Connect: at least one worker of one MCU per connector, all month. */
export function mskConnectMonthly(mcus = 1): number {
  return mcus * PRICES.mskConnectPerMcuHour * 730;
}
