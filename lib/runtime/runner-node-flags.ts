/**
 * Node flags every task runner starts with: the local host's runner processes, the runner
 * Lambda (NODE_OPTIONS) and the Fargate runner's container (NODE_OPTIONS).
 *
 * `--max-semi-space-size=32` (MiB; Node's default is 16 on 64-bit hosts): a sink fetch holds
 * tens of thousands of records alive across a few awaits, and with the default young
 * generation they were promoted and then collected by full mark-compacts. In the sink's
 * profile garbage collection fell and its throughput rose by about a tenth in `npm run bench`,
 * with no rise in the runner's peak memory.
 */
export const RUNNER_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=32'];
