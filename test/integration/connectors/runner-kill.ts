/** Kills a connector's runner process with SIGKILL, as a crash would, through the local host's runner list. */
import { rest } from '../../support/rest-client.ts';

/** Resolves with the pid killed, or undefined when the connector had no runner at that moment. */
export async function killRunner(restUrl: string, connector: string): Promise<number | undefined> {
  const runners = (await rest<{ connector: string; pid: number }[]>(restUrl, 'GET', '/tributary/runners')).body;
  const victim = runners.find((r) => r.connector === connector);
  if (!victim) return undefined;
  process.kill(victim.pid, 'SIGKILL');
  return victim.pid;
}
