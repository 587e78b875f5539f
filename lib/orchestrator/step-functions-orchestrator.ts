/** Starts task executions on AWS Step Functions. */
import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import type { Orchestrator, TaskExecutionInput } from './orchestrator-port.ts';

export class StepFunctionsOrchestrator implements Orchestrator {
  constructor(
    private readonly client: SFNClient,
    private readonly stateMachineArn: string,
  ) {}

  async startExecution(name: string, input: TaskExecutionInput): Promise<void> {
    await this.client.send(new StartExecutionCommand({ stateMachineArn: this.stateMachineArn, name, input: JSON.stringify(input) }));
  }
}
