/**
 * EventBridge and CloudWatch alarms for the assembly: the template's AWS::Events::Rule
 * resources, each matched against events by its own EventPattern and delivered to its
 * targets (the restarter's sandbox), scheduled rules fired on demand, and the template's
 * alarms evaluated on the embedded-metric-format lines the functions print, so that an alarm
 * entering ALARM reaches the restarter through the alarm rule exactly as wired.
 */
import type { Cfn } from './cfn-template.ts';
import { ACCOUNT, REGION } from './cfn-template.ts';

export interface Rule {
  readonly logicalId: string;
  readonly pattern?: Record<string, Cfn>;
  readonly schedule?: string;
  readonly targets: string[];
}

export interface Alarm {
  readonly arn: string;
  readonly namespace: string;
  readonly metric: string;
  readonly threshold: number;
  readonly comparison: string;
}

/** EventBridge's matching for the pattern forms the template uses: value lists and nested objects. */
export function matches(pattern: Record<string, Cfn>, event: Record<string, Cfn>): boolean {
  return Object.entries(pattern).every(([key, expected]) => {
    const actual = event[key];
    if (Array.isArray(expected)) {
      const values = Array.isArray(actual) ? actual : [actual];
      return expected.some((e) => values.some((v) => (typeof e === 'object' && e !== null && 'prefix' in e ? String(v).startsWith(String(e.prefix)) : v === e)));
    }
    if (expected && typeof expected === 'object') return actual !== null && typeof actual === 'object' && matches(expected, actual);
    return false;
  });
}

export class EventBus {
  /** Deliveries per rule, for the tests to see which wire carried what. */
  readonly deliveries: { rule: string; event: Record<string, Cfn> }[] = [];
  private readonly alarmStates = new Map<string, string>();

  constructor(
    private readonly rules: Rule[],
    private readonly alarms: Alarm[],
    private readonly deliver: (targetArn: string, event: Record<string, Cfn>) => Promise<unknown>,
    private readonly log: (line: string) => void,
  ) {}

  /** Puts an event on the default bus: every rule whose pattern matches delivers it. */
  put(event: Record<string, Cfn>): void {
    for (const rule of this.rules) if (rule.pattern && matches(rule.pattern, event)) this.send(rule, event);
  }

  /** Fires every scheduled rule once, as its schedule would. */
  async runSchedules(): Promise<unknown[]> {
    const out: Promise<unknown>[] = [];
    for (const rule of this.rules) {
      if (!rule.schedule) continue;
      const event = { version: '0', source: 'aws.events', 'detail-type': 'Scheduled Event', account: ACCOUNT, region: REGION, time: new Date().toISOString(), resources: [], detail: {} };
      out.push(...this.send(rule, event));
    }
    return Promise.all(out);
  }

  /** One embedded-metric-format line from a function's output. */
  metricLine(line: string): void {
    if (!line.startsWith('{"_aws"')) return;
    let emf: Record<string, Cfn>;
    try {
      emf = JSON.parse(line) as Record<string, Cfn>;
    } catch {
      return;
    }
    const namespaces = ((emf._aws?.CloudWatchMetrics ?? []) as { Namespace: string }[]).map((m) => m.Namespace);
    for (const alarm of this.alarms) {
      const value = emf[alarm.metric];
      if (!namespaces.includes(alarm.namespace) || typeof value !== 'number') continue;
      const breaching = alarm.comparison === 'GreaterThanThreshold' ? value > alarm.threshold : alarm.comparison === 'LessThanThreshold' ? value < alarm.threshold : false;
      const state = breaching ? 'ALARM' : 'OK';
      const previous = this.alarmStates.get(alarm.arn) ?? 'INSUFFICIENT_DATA';
      if (state === previous) continue;
      this.alarmStates.set(alarm.arn, state);
      this.put({
        version: '0',
        source: 'aws.cloudwatch',
        'detail-type': 'CloudWatch Alarm State Change',
        account: ACCOUNT,
        region: REGION,
        time: new Date().toISOString(),
        resources: [alarm.arn],
        detail: { alarmName: alarm.arn.split(':').pop(), state: { value: state }, previousState: { value: previous } },
      });
    }
  }

  private send(rule: Rule, event: Record<string, Cfn>): Promise<unknown>[] {
    this.deliveries.push({ rule: rule.logicalId, event });
    return rule.targets.map((arn) =>
      this.deliver(arn, event).catch((e: unknown) => {
        this.log(`rule ${rule.logicalId} → ${arn} failed: ${(e as Error).message}`);
        return undefined;
      }),
    );
  }
}
