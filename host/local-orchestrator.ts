/**
 * Step Functions on a laptop: runs the same ASL file (infra/task-lifecycle.asl.json) in the
 * aws-local-stepfunctions interpreter, with its Task states bound to the same handlers the
 * Lambdas run: lifecycle steps in-process, runner slices in runner child processes.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { StateMachine } from 'aws-local-stepfunctions';
import type { RunnerInput } from '../lib/runtime/runner-input.ts';
import type { Logger } from '../lib/observability/structured-logger.ts';
import type { Orchestrator, TaskExecutionInput } from '../lib/orchestrator/orchestrator-port.ts';
import { lambdaContext } from './lambda-context.ts';
import { projectRoot } from './local-paths.ts';

const STATE_MACHINE_ARN = 'arn:aws:states:local:000000000000:stateMachine:tributary-task-lifecycle';

export type LambdaLike = (event: never, context: ReturnType<typeof lambdaContext>) => Promise<unknown>;

export interface LocalOrchestratorDeps {
  readonly lifecycle: LambdaLike;
  /** Runs a Lambda slice in a runner process. */
  readonly runSlice: (input: RunnerInput) => Promise<unknown>;
  /** Runs a Fargate-style task: a long-running runner process, until it ends. */
  readonly runFargate: (input: RunnerInput) => Promise<unknown>;
  /** Told when an execution ends in failure, as EventBridge tells the restarter on AWS. */
  readonly onExecutionFailed: (event: { source: 'aws.states'; 'detail-type': string; detail: { status: string; name: string; input: string; error?: string; cause?: string } }) => void;
  /** Told when an execution ends, however it ends, so the task's runner can be freed. */
  readonly onExecutionEnded?: (input: TaskExecutionInput) => void;
  /** Told when a connector's target changed, so its runners act on it at once. */
  readonly onTargetChanged?: (connector: string) => void;
  readonly log: Logger;
}

/** Loads the state machine definition with its deploy-time placeholders filled for local use. */
export function loadDefinition(): Record<string, unknown> {
  const text = readFileSync(join(projectRoot, 'infra', 'task-lifecycle.asl.json'), 'utf8').replace(/\$\{(\w+)\}/g, (_m, name: string) =>
    name.endsWith('Ids') ? 'local' : `arn:aws:lambda:local:000000000000:function:${name}`,
  );
  return JSON.parse(text) as Record<string, unknown>;
}

export class LocalOrchestrator implements Orchestrator {
  private readonly machine: StateMachine;
  private readonly running = new Map<string, { abort: () => void; input: TaskExecutionInput }>();
  private closed = false;

  constructor(private readonly deps: LocalOrchestratorDeps) {
    this.machine = new StateMachine(loadDefinition() as never, { validationOptions: { checkArn: false, checkPaths: false } });
  }

  /** Names of executions in progress. */
  executions(): string[] {
    return [...this.running.keys()];
  }

  /** Whether an execution for this task is in progress. */
  runsTask(connector: string, task: number): boolean {
    return [...this.running.values()].some((r) => r.input.connector === connector && r.input.task === task);
  }

  async startExecution(name: string, input: TaskExecutionInput): Promise<void> {
    if (this.closed) return;
    const lambda = (fn: (payload: unknown) => Promise<unknown>) => async (params: { Payload: unknown }) => ({ Payload: await fn(params.Payload) });
    const lifecycle = lambda((payload) => this.deps.lifecycle(payload as never, lambdaContext('tributary-lifecycle')));
    const execution = this.machine.run(input as never, {
      overrides: {
        taskResourceLocalHandlers: {
          AcquireLease: lifecycle,
          AfterSlice: lifecycle,
          RecordFailure: lifecycle,
          ContinueAsNew: lifecycle,
          RunLambdaSlice: lambda((payload) => this.deps.runSlice(payload as RunnerInput)),
          RunFargateTask: async (params: { Overrides?: { ContainerOverrides?: { Environment?: { Value: string }[] }[] } }) => {
            const raw = params.Overrides?.ContainerOverrides?.[0]?.Environment?.[0]?.Value ?? '{}';
            return this.deps.runFargate(JSON.parse(raw) as RunnerInput);
          },
        } as never,
      },
      context: {
        Execution: { Id: `${STATE_MACHINE_ARN.replace(':stateMachine:', ':execution:')}:${name}`, Name: name, Input: input, StartTime: new Date().toISOString() },
        StateMachine: { Id: STATE_MACHINE_ARN, Name: 'tributary-task-lifecycle' },
      } as never,
      noThrowOnAbort: true,
    });
    this.running.set(name, { abort: execution.abort, input });
    const ended = () => {
      this.running.delete(name);
      if (!this.closed) this.deps.onExecutionEnded?.(input);
    };
    execution.result
      .then(ended)
      .catch((e: unknown) => {
        ended();
        if (this.closed) return;
        const err = e as Error & { cause?: unknown };
        this.deps.log.warn('Task execution failed', { execution: name, error: err.message });
        this.deps.onExecutionFailed({
          source: 'aws.states',
          'detail-type': 'Step Functions Execution Status Change',
          detail: { status: 'FAILED', name, input: JSON.stringify(input), error: err.name, cause: err.message },
        });
      });
  }

  targetChanged(connector: string): void {
    if (!this.closed) this.deps.onTargetChanged?.(connector);
  }

  /** Stops every execution where it is (host shutdown); runners are stopped separately. */
  close(): void {
    this.closed = true;
    for (const { abort } of this.running.values()) abort();
    this.running.clear();
  }
}
