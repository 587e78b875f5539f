/**
 * Workload 4: `kill -9` of the process running a FileStreamSource task, with no API call
 * afterwards. Tributary: its runner process (the host starts a new one). Connect: the
 * worker JVM, and a new worker joins the same group at once, as an orchestrator would do.
 * Timed from the kill until task 0 is RUNNING in a new process, and until a line appended
 * after the kill is in the topic.
 */
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { uniqueName } from '../support/bench-names.ts';
import { createConnector, deleteConnector, waitRunning } from '../support/connector-calls.ts';
import type { Workload } from './workload.ts';

const group = '4. Recovery (kill\u00a0-9 →)';
const LINES = 100;

export const recovery: Workload = {
  id: 'recovery',
  metrics: [
    { key: 'recovery.running', group, name: 'kill -9 → task RUNNING', label: 'task\nRUNNING', unit: 's', better: 'lower' },
    { key: 'recovery.records', group, name: 'kill -9 → records flowing', label: 'records\nflowing', unit: 's', better: 'lower' },
  ],
  async run(target, ctx) {
    const file = await ctx.inputs.writeLines(join(ctx.workDir, 'recovery.txt'), 0, LINES);
    const topic = await ctx.kafka.createTopic('bench-recovery');
    const name = uniqueName('bench-recovery');
    const watcher = await ctx.kafka.watch(topic);
    try {
      await createConnector(target, name, { 'connector.class': 'FileStreamSource', file, topic, 'tasks.max': '1' });
      await waitRunning(target, name, ctx.deadline());
      // The watcher must have caught up, so its own start-up is not counted in the recovery.
      await watcher.seen(ctx.inputs.line(LINES - 1), ctx.deadline());

      const marker = `after-kill-${uniqueName('marker')}`;
      const killed = performance.now();
      const pid = await target.crash(name);
      appendFileSync(file, `${marker}\n`);
      const deadline = ctx.deadline();
      const [running, flowing] = await Promise.all([target.waitRecovered(name, deadline), watcher.seen(marker, deadline)]);
      return {
        values: { 'recovery.running': (running - killed) / 1000, 'recovery.records': (flowing - killed) / 1000 },
        detail: { killedPid: pid, records: await ctx.kafka.endOffset(topic) },
      };
    } finally {
      await watcher.close();
      await deleteConnector(target, name);
      await ctx.kafka.deleteTopics([topic]);
    }
  },
};
