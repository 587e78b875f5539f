/** The local host as a child process (host/host-process.ts), and random names for test resources. */
import { randomBytes } from 'node:crypto';

export { startHostProcess, type HostProcess, type HostSettings } from '../../host/host-process.ts';
export { freePort } from '../../host/net-probe.ts';

export function uniqueName(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}
