/** Counters of the assembly run (transitions, invocations, billed time, DynamoDB calls), to take differences of for the cost figures. */
import type { AssemblyHost } from './assembly-host.ts';

export const countersDiff = (a: Record<string, number>, b: Record<string, number>) => Object.fromEntries(Object.entries(a).map(([k, v]) => [k, v - (b[k] ?? 0)]).filter(([, v]) => v !== 0));

/** Counters of the run at one moment, to take differences of. */
export function snapshot(host: AssemblyHost) {
  const calls = host.recorder.all().filter((c) => c.action.startsWith('dynamodb:'));
  const count = (actions: string[]) => calls.filter((c) => actions.includes(c.action)).reduce((n, c) => n + c.count, 0);
  return {
    transitions: host.stepFunctions.stats.transitions,
    byState: { ...host.stepFunctions.stats.transitionsByState },
    idleWaits: host.stepFunctions.stats.transitionsByState.IdleBackoff ?? 0,
    waitSeconds: host.stepFunctions.stats.simulatedWaitSeconds,
    runnerCalls: host.functions.runner.stats.invocations,
    runnerMs: host.functions.runner.stats.billedMs,
    lifecycleCalls: host.functions.lifecycle.stats.invocations,
    lifecycleMs: host.functions.lifecycle.stats.billedMs,
    reads: count(['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:BatchGetItem']),
    // Transactional items cost two write units: every write is counted twice, an upper bound.
    writes: 2 * count(['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:ConditionCheckItem']),
  };
}
