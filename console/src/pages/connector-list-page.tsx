/**
 * Every connector with its type, class, state and task counts (`?expand=status&expand=info`,
 * refreshed every 5 s). The bare name list, one cheap read, paints first while the expanded
 * one (a status read per connector) is on its way.
 */
import { useMemo, useState } from 'preact/hooks';
import { api } from '../api/connect-client.ts';
import type { ExpandedConnectors } from '../api/connect-types.ts';
import { ErrorNote } from '../components/error-note.tsx';
import { StateBadge } from '../components/state-badge.tsx';
import { useResource } from '../components/use-resource.ts';

interface Row {
  name: string;
  type: string;
  cls: string;
  state: string;
  running: number;
  total: number;
  search: string;
}

function rows(all: ExpandedConnectors): Row[] {
  return Object.entries(all)
    .map(([name, { info, status }]) => {
      const cls = info?.config['connector.class'] ?? '';
      const state = status?.connector.state ?? '…';
      const tasks = status?.tasks ?? [];
      const type = status?.type ?? info?.type ?? '';
      return { name, type, cls, state, running: tasks.filter((t) => t.state === 'RUNNING').length, total: status ? tasks.length : -1, search: `${name} ${type} ${cls} ${state}`.toLowerCase() };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

export function ConnectorListPage() {
  const list = useResource(() => api.connectors(), [], 5000);
  const names = useResource(() => api.names(), []);
  const [filter, setFilter] = useState('');
  const all = useMemo(() => rows(list.data ?? Object.fromEntries((names.data ?? []).map((n) => [n, {}]))), [list.data, names.data]);
  const loaded = list.data ?? names.data;
  const shown = useMemo(() => {
    const words = filter.toLowerCase().split(/\s+/).filter(Boolean);
    return words.length ? all.filter((r) => words.every((w) => r.search.includes(w))) : all;
  }, [all, filter]);
  return (
    <section aria-labelledby="list-title">
      <div class="heading-row">
        <h1 id="list-title">Connectors</h1>
        <a class="button" href="/ui/new">
          New connector
        </a>
      </div>
      <label class="filter">
        Filter
        <input type="search" value={filter} onInput={(e) => setFilter(e.currentTarget.value)} placeholder="name, class, type or state" />
      </label>
      <ErrorNote error={list.error} />
      {loaded === undefined && !list.error ? <p aria-busy="true">Loading…</p> : null}
      {loaded !== undefined ? (
        <p class="muted" aria-live="polite" data-testid="connector-count">
          {shown.length === all.length ? `${all.length} connectors` : `${shown.length} of ${all.length} connectors`}
        </p>
      ) : null}
      {shown.length ? (
        <div class="table-wrap">
          <table class="connectors">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Type</th>
                <th scope="col">Class</th>
                <th scope="col">State</th>
                <th scope="col">Tasks running</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((r) => (
                <tr key={r.name}>
                  <td>
                    <a href={`/ui/connectors/${encodeURIComponent(r.name)}`}>{r.name}</a>
                  </td>
                  <td>{r.type}</td>
                  <td class="cls">{r.cls}</td>
                  <td>
                    <StateBadge state={r.state} />
                  </td>
                  <td>{r.total < 0 ? '…' : `${r.running} / ${r.total}`}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}
