/** Retries a call while it fails with retriable errors, with exponential backoff, up to a deadline. */
import { isRetriable } from './runtime-errors.ts';

export async function withRetries<T>(fn: () => Promise<T>, o: { timeoutMs: number; initialDelayMs?: number; maxDelayMs?: number }): Promise<T> {
  const deadline = Date.now() + o.timeoutMs;
  let delay = o.initialDelayMs ?? 200;
  for (;;) {
    try {
      return await fn();
    } catch (e) {
      if (!isRetriable(e) || Date.now() + delay > deadline) throw e;
      await new Promise((r) => setTimeout(r, delay));
      delay = Math.min(delay * 2, o.maxDelayMs ?? 5000);
    }
  }
}
