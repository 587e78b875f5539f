/** Random names for the connectors and topics a benchmark creates, so runs never collide. */
import { randomBytes } from 'node:crypto';

export function uniqueName(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}
