/**
 * The read side of connector statuses: a connector's state at most STATUS_CACHE_MS old, and
 * concurrent reads of one connector share one store query, as monitoring tools poll status
 * hard. Connect's own status is eventually consistent too. Writes through the API forget it.
 */
import type { ConfigBackingStore } from '../store/store-ports.ts';
import type { ConnectorState } from '../store/store-model.ts';

/** How stale a status read may be. */
export const STATUS_CACHE_MS = 250;
/** Beyond this many connectors the cache starts over rather than grow. */
const MAX_ENTRIES = 1000;

export class ConnectorStateCache {
  private readonly entries = new Map<string, { at: number; state: Promise<ConnectorState | undefined> }>();

  constructor(private readonly store: Pick<ConfigBackingStore, 'getState'>) {}

  /** The connector's state, read at most STATUS_CACHE_MS ago; undefined when it does not exist. */
  get(name: string): Promise<ConnectorState | undefined> {
    const now = Date.now();
    const hit = this.entries.get(name);
    if (hit && now - hit.at < STATUS_CACHE_MS) return hit.state;
    const state = this.store.getState(name);
    if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
    const entry = { at: now, state };
    this.entries.set(name, entry);
    // A failed read is not shared with later ones (only the entry it created is dropped).
    state.catch(() => {
      if (this.entries.get(name) === entry) this.entries.delete(name);
    });
    return state;
  }

  forget(): void {
    this.entries.clear();
  }
}
