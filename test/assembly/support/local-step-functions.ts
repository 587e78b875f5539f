/**
 * Step Functions for the assembly: the state machine's definition as the synthesized
 * template holds it (DefinitionString with its DefinitionSubstitutions resolved), run by
 * aws-local-stepfunctions. Every Task state is bound by its Resource: `lambda:invoke` calls
 * the named function's sandbox, `ecs:runTask.sync` runs the runner image's entry point, each
 * call recorded as made by the state machine's role. Wait states are shortened to a few
 * milliseconds; the seconds they asked for are added up as simulated time. Executions that
 * fail, time out or are aborted are announced as EventBridge would announce them.
 */
import { StateMachine } from 'aws-local-stepfunctions';
import { AwsApiError, type RecordedCall } from './aws-endpoint.ts';
import { ACCOUNT, PARTITION, REGION } from './cfn-template.ts';

export interface RunTaskHandle {
  readonly result: Promise<unknown>;
  stop(): void;
}

export interface LocalStepFunctionsOptions {
  readonly stateMachineArn: string;
  readonly roleLogicalId: string;
  readonly definition: { States: Record<string, { Type: string; Resource?: string; Parameters?: Record<string, unknown> }> };
  readonly invokeLambda: (functionArn: string, payload: unknown) => Promise<unknown>;
  readonly runTask: (parameters: Record<string, unknown>) => RunTaskHandle;
  /** Calls the service makes with the state machine's role, beyond the Task states' own. */
  readonly runTaskCalls: (parameters: Record<string, unknown>) => Omit<RecordedCall, 'principal'>[];
  readonly emit: (event: Record<string, unknown>) => void;
  readonly record: (call: RecordedCall) => void;
  /** Real milliseconds each Wait state takes. */
  readonly waitMs: number;
}

interface Execution {
  readonly arn: string;
  readonly name: string;
  readonly input: string;
  readonly startDate: Date;
  status: 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';
  stopDate?: Date;
  abort(): void;
  readonly fargate: Set<RunTaskHandle>;
}

export interface StepFunctionsStats {
  executions: number;
  /** Billed state transitions: every state entered, and every retry. */
  transitions: number;
  /** What the Wait states asked for, in seconds. */
  simulatedWaitSeconds: number;
  transitionsByState: Record<string, number>;
}

export class LocalStepFunctions {
  readonly stats: StepFunctionsStats = { executions: 0, transitions: 0, simulatedWaitSeconds: 0, transitionsByState: {} };
  private readonly machine: StateMachine;
  private readonly executions = new Map<string, Execution>();
  private closed = false;

  constructor(private readonly o: LocalStepFunctionsOptions) {
    this.machine = new StateMachine(o.definition as never, { validationOptions: { checkArn: false, checkPaths: false } });
  }

  /** The Step Functions API the functions call (AWS JSON 1.0 operations). */
  readonly api = async (operation: string, body: Record<string, unknown>): Promise<Record<string, unknown>> => {
    switch (operation) {
      case 'StartExecution': {
        if (body.stateMachineArn !== this.o.stateMachineArn) throw new AwsApiError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${String(body.stateMachineArn)}'`);
        const e = this.start(String(body.name), String(body.input ?? '{}'));
        return { executionArn: e.arn, startDate: e.startDate.getTime() / 1000 };
      }
      case 'StopExecution': {
        const e = this.executions.get(String(body.executionArn));
        if (!e) throw new AwsApiError('ExecutionDoesNotExist', `Execution Does Not Exist: '${String(body.executionArn)}'`);
        this.stop(e.arn, String(body.error ?? ''), String(body.cause ?? ''));
        return { stopDate: Date.now() / 1000 };
      }
      case 'DescribeExecution': {
        const e = this.executions.get(String(body.executionArn));
        if (!e) throw new AwsApiError('ExecutionDoesNotExist', `Execution Does Not Exist: '${String(body.executionArn)}'`);
        return { executionArn: e.arn, stateMachineArn: this.o.stateMachineArn, name: e.name, status: e.status, startDate: e.startDate.getTime() / 1000, input: e.input };
      }
      case 'ListExecutions':
        return {
          executions: [...this.executions.values()]
            .filter((e) => !body.statusFilter || e.status === body.statusFilter)
            .map((e) => ({ executionArn: e.arn, stateMachineArn: this.o.stateMachineArn, name: e.name, status: e.status, startDate: e.startDate.getTime() / 1000 })),
        };
      default:
        throw new AwsApiError('UnknownOperationException', `The assembly's Step Functions serves no ${operation}`);
    }
  };

  /** Executions in progress. */
  running(): { arn: string; name: string; input: unknown }[] {
    return [...this.executions.values()].filter((e) => e.status === 'RUNNING').map((e) => ({ arn: e.arn, name: e.name, input: JSON.parse(e.input) as unknown }));
  }

  start(name: string, input: string): Execution {
    if (this.closed) throw new AwsApiError('ServiceUnavailable', 'the assembly is shutting down', 503);
    const arn = `${this.o.stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;
    if (this.executions.has(arn)) throw new AwsApiError('ExecutionAlreadyExists', `Execution Already Exists: '${arn}'`);
    this.stats.executions++;
    const fargate = new Set<RunTaskHandle>();
    const run = this.machine.run(JSON.parse(input) as never, {
      overrides: { taskResourceLocalHandlers: this.taskHandlers(fargate) as never, waitTimeOverrides: this.waitOverrides() },
      context: {
        Execution: { Id: arn, Name: name, Input: JSON.parse(input) as never, StartTime: new Date().toISOString(), RoleArn: `arn:${PARTITION}:iam::${ACCOUNT}:role/${this.o.roleLogicalId}` },
        StateMachine: { Id: this.o.stateMachineArn, Name: this.o.stateMachineArn.split(':').pop() ?? '' },
      } as never,
      noThrowOnAbort: false,
    });
    const execution: Execution = { arn, name, input, startDate: new Date(), status: 'RUNNING', abort: run.abort, fargate };
    this.executions.set(arn, execution);
    void this.count(run.eventLogs as AsyncGenerator<never>);
    run.result.then(
      () => this.end(execution, 'SUCCEEDED'),
      (e: unknown) => {
        const err = e as Error;
        const aborted = err.name === 'ExecutionAbortedError';
        const timedOut = err.name === 'ExecutionTimeoutError';
        this.end(execution, aborted ? 'ABORTED' : timedOut ? 'TIMED_OUT' : 'FAILED', (err as { cause?: { name?: string; message?: string } }).cause);
      },
    );
    return execution;
  }

  /** Aborts an execution as StopExecution does; a Fargate task it waits for is stopped too. */
  stop(arn: string, _error = '', _cause = ''): void {
    const e = this.executions.get(arn);
    if (!e || e.status !== 'RUNNING') return;
    for (const task of e.fargate) task.stop();
    e.abort();
  }

  private end(e: Execution, status: Execution['status'], cause?: { name?: string; message?: string }): void {
    e.status = status;
    e.stopDate = new Date();
    if (status === 'SUCCEEDED' || this.closed) return;
    this.o.emit({
      version: '0',
      source: 'aws.states',
      'detail-type': 'Step Functions Execution Status Change',
      account: ACCOUNT,
      region: REGION,
      time: new Date().toISOString(),
      resources: [e.arn],
      detail: {
        executionArn: e.arn,
        stateMachineArn: this.o.stateMachineArn,
        name: e.name,
        status,
        startDate: e.startDate.getTime(),
        stopDate: e.stopDate.getTime(),
        input: e.input,
        ...(cause?.name ? { error: cause.name, cause: cause.message } : {}),
      },
    });
  }

  private async count(events: AsyncGenerator<{ type: string; state?: { name: string; type: string; input?: { waitSeconds?: number } } }, unknown>): Promise<void> {
    for await (const event of events) {
      if (event.type !== 'StateEntered' && event.type !== 'StateRetried') continue;
      this.stats.transitions++;
      const state = event.state?.name ?? '?';
      this.stats.transitionsByState[state] = (this.stats.transitionsByState[state] ?? 0) + 1;
      if (event.type === 'StateEntered' && event.state?.type === 'Wait') this.stats.simulatedWaitSeconds += Number(event.state.input?.waitSeconds ?? 0);
    }
  }

  private waitOverrides(): Record<string, number> {
    return Object.fromEntries(
      Object.entries(this.o.definition.States)
        .filter(([, s]) => s.Type === 'Wait')
        .map(([name]) => [name, this.o.waitMs]),
    );
  }

  /** One local handler per Task state, chosen by the state's Resource. */
  private taskHandlers(fargate: Set<RunTaskHandle>): Record<string, (params: Record<string, unknown>) => Promise<unknown>> {
    const handlers: Record<string, (params: Record<string, unknown>) => Promise<unknown>> = {};
    const principal = this.o.roleLogicalId;
    for (const [name, state] of Object.entries(this.o.definition.States)) {
      if (state.Type !== 'Task') continue;
      const resource = state.Resource ?? '';
      if (/^arn:aws:states:::lambda:invoke$/.test(resource)) {
        handlers[name] = async (params) => {
          const fn = String(params.FunctionName);
          this.o.record({ principal, action: 'lambda:InvokeFunction', resource: fn });
          return { StatusCode: 200, ExecutedVersion: '$LATEST', Payload: await this.o.invokeLambda(fn, params.Payload) };
        };
      } else if (/^arn:aws:states:::ecs:runTask\.sync$/.test(resource)) {
        handlers[name] = async (params) => {
          for (const call of this.o.runTaskCalls(params)) this.o.record({ principal, ...call });
          const task = this.o.runTask(params);
          fargate.add(task);
          try {
            return await task.result;
          } finally {
            fargate.delete(task);
          }
        };
      } else if (/^arn:aws:lambda:/.test(resource)) {
        handlers[name] = async (params) => {
          this.o.record({ principal, action: 'lambda:InvokeFunction', resource });
          return this.o.invokeLambda(resource, params);
        };
      } else {
        throw new Error(`Task state ${name}: the assembly test runs no ${resource}`);
      }
    }
    return handlers;
  }

  /** Aborts every execution without announcing it (the end of the run). */
  close(): void {
    this.closed = true;
    for (const e of this.executions.values()) if (e.status === 'RUNNING') this.stop(e.arn);
  }
}
