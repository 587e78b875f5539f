/** One connector: state and actions, tasks, config (secrets come masked from the API), topics, offsets, charts. */
import { useLocation } from 'preact-iso/router';
import { useState } from 'preact/hooks';
import { api } from '../api/connect-client.ts';
import { ConfirmDialog } from '../components/confirm-dialog.tsx';
import { ConnectorCharts } from '../components/connector-charts.tsx';
import { ErrorNote } from '../components/error-note.tsx';
import { OffsetsPanel } from '../components/offsets-panel.tsx';
import { StateBadge } from '../components/state-badge.tsx';
import { TaskTable } from '../components/task-table.tsx';
import { useResource } from '../components/use-resource.ts';

type Action = 'pause' | 'resume' | 'stop' | 'restart';

export function ConnectorPage({ name }: { name: string }) {
  const { route } = useLocation();
  const status = useResource(() => api.status(name), [name], 3000);
  const info = useResource(() => api.info(name), [name]);
  const topics = useResource(() => api.topics(name), [name], 15_000);
  const [busy, setBusy] = useState(false);
  const [actionError, setActionError] = useState<Error>();
  const [confirmDelete, setConfirmDelete] = useState(false);
  const state = status.data?.connector.state ?? '';

  const act = async (a: Action) => {
    setBusy(true);
    setActionError(undefined);
    try {
      await api[a](name);
      status.reload();
    } catch (e) {
      setActionError(e as Error);
    } finally {
      setBusy(false);
    }
  };
  const remove = async () => {
    setConfirmDelete(false);
    try {
      await api.remove(name);
      route('/ui/');
    } catch (e) {
      setActionError(e as Error);
    }
  };

  const config = info.data?.config ?? {};
  const topicList = topics.data?.[name]?.topics ?? [];
  return (
    <article aria-labelledby="connector-title">
      <p>
        <a href="/ui/">← Connectors</a>
      </p>
      <div class="heading-row">
        <h1 id="connector-title">{name}</h1>
        {state ? (
          <span data-testid="connector-state">
            <StateBadge state={state} />
          </span>
        ) : null}
      </div>
      <p class="muted">
        {status.data?.type} · <span class="cls">{config['connector.class']}</span> · worker <code>{status.data?.connector.worker_id}</code>
      </p>
      <div class="actions" role="group" aria-label="Connector actions">
        <button type="button" disabled={busy || state === 'PAUSED'} onClick={() => void act('pause')}>
          Pause
        </button>
        <button type="button" disabled={busy || state === 'RUNNING'} onClick={() => void act('resume')}>
          Resume
        </button>
        <button type="button" disabled={busy || state === 'STOPPED'} onClick={() => void act('stop')}>
          Stop
        </button>
        <button type="button" disabled={busy} onClick={() => void act('restart')}>
          Restart
        </button>
        <a class="button" href={`/ui/connectors/${encodeURIComponent(name)}/edit`}>
          Edit config
        </a>
        <button type="button" class="danger" onClick={() => setConfirmDelete(true)}>
          Delete…
        </button>
      </div>
      <ErrorNote error={status.error ?? actionError} />
      {status.data?.connector.trace ? (
        <details open>
          <summary>Connector trace</summary>
          <pre class="trace">{status.data.connector.trace}</pre>
        </details>
      ) : null}

      <ConnectorCharts name={name} />

      <section aria-labelledby="tasks-title">
        <h2 id="tasks-title">Tasks</h2>
        {status.data ? <TaskTable status={status.data} /> : null}
      </section>

      <section aria-labelledby="topics-title">
        <h2 id="topics-title">Topics</h2>
        {topicList.length ? (
          <ul>
            {topicList.map((t) => (
              <li key={t}>
                <code>{t}</code>
              </li>
            ))}
          </ul>
        ) : (
          <p class="muted">No topics used yet.</p>
        )}
      </section>

      <section aria-labelledby="config-title">
        <h2 id="config-title">Configuration</h2>
        <ErrorNote error={info.error} />
        <dl class="config">
          {Object.entries(config)
            .sort(([a], [b]) => a.localeCompare(b))
            .map(([k, v]) => (
              <div key={k}>
                <dt>{k}</dt>
                <dd>
                  <code>{v}</code>
                </dd>
              </div>
            ))}
        </dl>
      </section>

      {state ? <OffsetsPanel name={name} state={state} /> : null}

      <ConfirmDialog open={confirmDelete} title="Delete connector?" confirmLabel="Delete" onCancel={() => setConfirmDelete(false)} onConfirm={() => void remove()}>
        <p>
          <strong>{name}</strong> and its tasks are removed; its offsets stay in Kafka.
        </p>
      </ConfirmDialog>
    </article>
  );
}
