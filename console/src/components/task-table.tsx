/** A connector's tasks: worker, state, the automatic restarts Tributary recorded, and the trace of a failed task. */
import type { ConnectorStatus } from '../api/connect-types.ts';
import { StateBadge } from './state-badge.tsx';

export function TaskTable({ status }: { status: ConnectorStatus }) {
  if (!status.tasks.length) return <p class="muted">No tasks (a stopped connector has none).</p>;
  return (
    <div class="table-wrap">
      <table class="tasks">
        <thead>
          <tr>
            <th scope="col">Task</th>
            <th scope="col">State</th>
            <th scope="col">Worker</th>
            <th scope="col">Restarts (last hour)</th>
          </tr>
        </thead>
        <tbody>
          {status.tasks.map((t) => (
            <tr key={t.id}>
              <td>{t.id}</td>
              <td>
                <StateBadge state={t.state} />
                {t.trace !== undefined ? (
                  <details>
                    <summary>Trace</summary>
                    <pre class="trace">{t.trace}</pre>
                  </details>
                ) : null}
              </td>
              <td>
                <code>{t.worker_id}</code>
              </td>
              <td>
                {t.tributary ? (
                  <ul class="plain">
                    <li>{t.tributary.restarts.length} after failures</li>
                    <li>{t.tributary.infrastructure_restarts.length} after a lost runner</li>
                    {t.tributary.last_restart ? <li>last: {t.tributary.last_restart}</li> : null}
                  </ul>
                ) : (
                  <span class="muted">none</span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
