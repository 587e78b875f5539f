/**
 * The read side of connector statuses, as monitoring tools poll status hard. A connector's
 * state is read from the store at most every STATUS_CACHE_MS, and concurrent reads share one
 * store query. Once the last answer is older than that, it is still given at once (while it
 * is under MAX_STALE_MS old) and one query refreshes it behind the scenes: no status read
 * waits for the store except the first, so the store's latency stays out of the tail.
 * Connect's own status is eventually consistent too. Writes through the API forget the cache,
 * so a client reads its own writes.
 */
import type { ConfigBackingStore } from '../store/store-ports.ts';
import type { ConnectorState } from '../store/store-model.ts';

/** How often a polled connector's state is read from the store. */
export const STATUS_CACHE_MS = 250;
/** The oldest state ever answered; past it a read waits for the store. */
export const MAX_STALE_MS = 1000;
/** Beyond this many connectors the cache starts over rather than grow. */
const MAX_ENTRIES = 1000;

interface Entry {
  /** When the read behind `state` started. */
  readonly at: number;
  readonly state: Promise<ConnectorState | undefined>;
  settled: boolean;
  refreshing: boolean;
}

export class ConnectorStateCache {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly store: Pick<ConfigBackingStore, 'getState'>) {}

  /** The connector's state (undefined when it does not exist), read at most MAX_STALE_MS ago. */
  get(name: string): Promise<ConnectorState | undefined> {
    const hit = this.entries.get(name);
    if (!hit) return this.read(name);
    const age = Date.now() - hit.at;
    if (age < STATUS_CACHE_MS || !hit.settled) return hit.state;
    if (age >= MAX_STALE_MS) return this.read(name);
    this.refresh(name, hit);
    return hit.state;
  }

  forget(): void {
    this.entries.clear();
  }

  private read(name: string): Promise<ConnectorState | undefined> {
    if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
    const entry: Entry = { at: Date.now(), state: this.store.getState(name), settled: false, refreshing: false };
    this.entries.set(name, entry);
    entry.state.then(
      () => void (entry.settled = true),
      // A failed read is not shared with later ones.
      () => void (this.entries.get(name) === entry && this.entries.delete(name)),
    );
    return entry.state;
  }

  /** One background read replaces `stale` when it succeeds; on failure `stale` stays, to be tried again. */
  private refresh(name: string, stale: Entry): void {
    if (stale.refreshing) return;
    stale.refreshing = true;
    const at = Date.now();
    const state = this.store.getState(name);
    state.then(
      () => void (this.entries.get(name) === stale && this.entries.set(name, { at, state, settled: true, refreshing: false })),
      () => void (stale.refreshing = false),
    );
  }
}
