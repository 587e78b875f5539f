/** The status read cache: shared reads, answers that never wait for a refresh, and its bounds. */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ConnectorStateCache, MAX_STALE_MS, STATUS_CACHE_MS } from '../../../lib/control/connector-state-cache.ts';
import type { ConnectorState } from '../../../lib/store/store-model.ts';

/** A store whose reads the test answers one by one. */
function controlledStore() {
  const reads: { resolve: (s: ConnectorState | undefined) => void; reject: (e: Error) => void }[] = [];
  return {
    reads,
    getState: (_name: string) => new Promise<ConnectorState | undefined>((resolve, reject) => void reads.push({ resolve, reject })),
  };
}
const state = (generation: number) => ({ connector: { name: 'c', generation } }) as unknown as ConnectorState;
const settle = () => new Promise<void>((r) => setImmediate(r));

describe('ConnectorStateCache', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(1_000_000);
  });
  afterEach(() => vi.useRealTimers());

  it('shares one store read between concurrent and recent reads', async () => {
    const store = controlledStore();
    const cache = new ConnectorStateCache(store);
    const a = cache.get('c');
    const b = cache.get('c');
    expect(store.reads).toHaveLength(1);
    store.reads[0]?.resolve(state(1));
    expect(await a).toBe(await b);
    vi.advanceTimersByTime(STATUS_CACHE_MS - 1);
    expect((await cache.get('c'))?.connector.generation).toBe(1);
    expect(store.reads).toHaveLength(1);
  });

  it('answers a state past its refresh interval at once and refreshes it with one background read', async () => {
    const store = controlledStore();
    const cache = new ConnectorStateCache(store);
    const first = cache.get('c');
    store.reads[0]?.resolve(state(1));
    await first;
    vi.advanceTimersByTime(STATUS_CACHE_MS);
    // The refresh is still pending, yet both reads answer with the last state.
    expect((await cache.get('c'))?.connector.generation).toBe(1);
    expect((await cache.get('c'))?.connector.generation).toBe(1);
    expect(store.reads).toHaveLength(2);
    store.reads[1]?.resolve(state(2));
    await settle();
    expect((await cache.get('c'))?.connector.generation).toBe(2);
    expect(store.reads).toHaveLength(2);
  });

  it('waits for the store once the last state is MAX_STALE_MS old, after forget, and after a failed read', async () => {
    const store = controlledStore();
    const cache = new ConnectorStateCache(store);
    const first = cache.get('c');
    store.reads[0]?.resolve(state(1));
    await first;
    vi.advanceTimersByTime(MAX_STALE_MS);
    const waited = cache.get('c');
    expect(store.reads).toHaveLength(2);
    store.reads[1]?.resolve(state(2));
    expect((await waited)?.connector.generation).toBe(2);
    cache.forget();
    const afterForget = cache.get('c');
    expect(store.reads).toHaveLength(3);
    store.reads[2]?.reject(new Error('store unavailable'));
    await expect(afterForget).rejects.toThrow('store unavailable');
    const retried = cache.get('c');
    expect(store.reads).toHaveLength(4);
    store.reads[3]?.resolve(undefined);
    expect(await retried).toBeUndefined();
  });

  it('keeps the last state when a background refresh fails, and tries again', async () => {
    const store = controlledStore();
    const cache = new ConnectorStateCache(store);
    const first = cache.get('c');
    store.reads[0]?.resolve(state(1));
    await first;
    vi.advanceTimersByTime(STATUS_CACHE_MS);
    expect((await cache.get('c'))?.connector.generation).toBe(1);
    store.reads[1]?.reject(new Error('throttled'));
    await settle();
    expect((await cache.get('c'))?.connector.generation).toBe(1);
    expect(store.reads).toHaveLength(3);
  });
});
