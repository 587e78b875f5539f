/**
 * A connector's offsets: the current ones as a table, an editor to alter them (Connect's
 * `PATCH` body) and a reset, both behind a confirmation. Connect only allows either on a
 * STOPPED connector; the API's message says so when it is not.
 */
import { useState } from 'preact/hooks';
import { api } from '../api/connect-client.ts';
import type { ConnectorOffsets } from '../api/connect-types.ts';
import { ConfirmDialog } from './confirm-dialog.tsx';
import { ErrorNote } from './error-note.tsx';
import { useResource } from './use-resource.ts';

type Pending = { kind: 'alter'; body: ConnectorOffsets } | { kind: 'reset' } | undefined;

export function OffsetsPanel({ name, state }: { name: string; state: string }) {
  // Read again when the state changes (a stopped connector has committed its last offsets) and every 10 s.
  const offsets = useResource(() => api.offsets(name), [name, state], 10_000);
  const [draft, setDraft] = useState<string>();
  const [pending, setPending] = useState<Pending>();
  const [error, setError] = useState<Error>();
  const [message, setMessage] = useState<string>();
  const list = offsets.data?.offsets ?? [];

  const startAlter = () => {
    setError(undefined);
    try {
      const body = JSON.parse(draft ?? '') as ConnectorOffsets;
      if (!Array.isArray(body.offsets)) throw new Error('The body needs an "offsets" array');
      setPending({ kind: 'alter', body });
    } catch (e) {
      setError(new Error(`Not a valid offsets body: ${(e as Error).message}`));
    }
  };
  const confirm = async () => {
    const p = pending;
    setPending(undefined);
    if (!p) return;
    try {
      const r = p.kind === 'alter' ? await api.alterOffsets(name, p.body) : await api.resetOffsets(name);
      setMessage(r.message);
      setDraft(undefined);
      offsets.reload();
    } catch (e) {
      setError(e as Error);
    }
  };

  return (
    <section aria-labelledby="offsets-title">
      <h2 id="offsets-title">Offsets</h2>
      {state !== 'STOPPED' ? <p class="muted">Stop the connector to alter or reset its offsets.</p> : null}
      <ErrorNote error={offsets.error ?? error} />
      {message ? <p role="status">{message}</p> : null}
      {list.length ? (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Partition</th>
                <th scope="col">Offset</th>
              </tr>
            </thead>
            <tbody>
              {list.map((o, i) => (
                <tr key={i}>
                  <td>
                    <code>{JSON.stringify(o.partition)}</code>
                  </td>
                  <td>
                    <code>{JSON.stringify(o.offset)}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : offsets.data ? (
        <p class="muted">No offsets committed yet.</p>
      ) : null}
      {draft === undefined ? (
        <div class="actions">
          <button type="button" onClick={() => setDraft(JSON.stringify({ offsets: list }, null, 2))}>
            Alter offsets…
          </button>
          <button type="button" class="danger" onClick={() => setPending({ kind: 'reset' })}>
            Reset offsets…
          </button>
        </div>
      ) : (
        <div class="offset-editor">
          <label>
            New offsets (Connect's PATCH body)
            <textarea rows={8} value={draft} onInput={(e) => setDraft(e.currentTarget.value)} spellcheck={false} />
          </label>
          <div class="actions">
            <button type="button" onClick={() => setDraft(undefined)}>
              Cancel
            </button>
            <button type="button" onClick={startAlter}>
              Apply…
            </button>
          </div>
        </div>
      )}
      <ConfirmDialog
        open={pending !== undefined}
        title={pending?.kind === 'reset' ? 'Reset offsets?' : 'Alter offsets?'}
        confirmLabel={pending?.kind === 'reset' ? 'Reset' : 'Alter'}
        onCancel={() => setPending(undefined)}
        onConfirm={() => void confirm()}
      >
        {pending?.kind === 'reset' ? (
          <p>
            Every committed offset of <strong>{name}</strong> is deleted; the connector starts over when it is resumed.
          </p>
        ) : (
          <p>
            The offsets of <strong>{name}</strong> are replaced by the ones you edited.
          </p>
        )}
      </ConfirmDialog>
    </section>
  );
}
