/** What every workload gets and gives: the shared context in, one measurement per system out. */
import type { BenchOptions, System, WorkloadId } from '../support/bench-options.ts';
import type { MetricSpec, Measurement } from '../support/bench-results.ts';
import type { BenchInputs } from '../support/bench-inputs.ts';
import type { BenchTarget } from '../support/bench-target.ts';
import type { BenchKafka } from '../support/kafka-tools.ts';

export interface WorkloadContext {
  readonly options: BenchOptions;
  readonly kafka: BenchKafka;
  readonly inputs: BenchInputs;
  /** A folder of this system's own, for files its connectors read or write. */
  readonly workDir: string;
  readonly log: (line: string) => void;
  /** The Schema Registry of the Avro workloads: its Confluent-compatible API and Apicurio's own (for Connect's converter). */
  readonly schemaRegistry?: { readonly url: string; readonly apicurioUrl: string };
  /** Epoch ms after which a wait gives up (`timeoutSeconds` from now). */
  deadline(): number;
}

export interface Workload {
  readonly id: WorkloadId;
  readonly metrics: readonly MetricSpec[];
  /** A workload with no counterpart on the other system (no such connector there) runs on this one only. */
  readonly only?: System;
  run(target: BenchTarget, ctx: WorkloadContext): Promise<Measurement>;
}
