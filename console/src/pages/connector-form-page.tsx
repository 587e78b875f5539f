/**
 * Create or edit a connector. The fields come from the plugin's definition
 * (`GET /connector-plugins/{class}/config`) plus Connect's common keys; every change is
 * validated by `PUT /connector-plugins/{class}/config/validate` (debounced) and each key's
 * errors are shown beside its field. Keys without a field go in the "other settings" box.
 */
import { useLocation } from 'preact-iso/router';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { api } from '../api/connect-client.ts';
import type { ConfigInfos, ConfigKeyInfo } from '../api/connect-types.ts';
import { ConfigField } from '../components/config-field.tsx';
import { ErrorNote } from '../components/error-note.tsx';
import { useResource } from '../components/use-resource.ts';

const VALIDATE_DELAY_MS = 350;

function common(type: string | undefined): ConfigKeyInfo[] {
  const key = (name: string, documentation: string, required = false, def: string | null = null, t = 'STRING'): ConfigKeyInfo => ({
    name,
    type: t,
    required,
    default_value: def,
    importance: 'HIGH',
    documentation,
    group: 'Common',
    order: 0,
    display_name: name,
  });
  const keys = [key('tasks.max', 'Maximum number of tasks to use for this connector.', false, '1', 'INT')];
  if (type === 'sink') keys.push(key('topics', 'Comma-separated topics to consume (or topics.regex in the other settings).', false, null, 'LIST'));
  return keys;
}

function parseOther(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0) out[line.slice(0, eq).trim()] = line.slice(eq + 1).trim();
  }
  return out;
}

export function ConnectorFormPage({ name: editing }: { name?: string }) {
  const { route, query } = useLocation();
  const plugins = useResource(() => api.plugins(), []);
  const existing = useResource(() => (editing ? api.info(editing) : Promise.resolve(undefined)), [editing]);
  const [cls, setCls] = useState(query.class ?? '');
  const [name, setName] = useState('');
  const [values, setValues] = useState<Record<string, string>>({});
  const [other, setOther] = useState('');
  const [touched, setTouched] = useState<Set<string>>(new Set());
  const [submitted, setSubmitted] = useState(false);
  const [result, setResult] = useState<ConfigInfos>();
  const [saveError, setSaveError] = useState<Error>();

  const plugin = plugins.data?.find((p) => p.class === cls);
  const defs = useResource(() => (cls ? api.pluginConfig(cls) : Promise.resolve([])), [cls]);
  const fields = useMemo(() => [...common(plugin?.type), ...(defs.data ?? []).slice().sort((a, b) => (a.group ?? '').localeCompare(b.group ?? '') || a.order - b.order)], [plugin?.type, defs.data]);

  // Editing: the stored config fills the fields; keys without a field go to the other settings.
  useEffect(() => {
    const config = existing.data?.config;
    if (!config || defs.data === undefined) return;
    const own = new Set(fields.map((f) => f.name));
    setCls(config['connector.class'] ?? '');
    setValues(Object.fromEntries(Object.entries(config).filter(([k]) => own.has(k))));
    setOther(
      Object.entries(config)
        .filter(([k]) => !own.has(k) && k !== 'connector.class' && k !== 'name')
        .map(([k, v]) => `${k}=${v}`)
        .join('\n'),
    );
  }, [existing.data, defs.data, fields]);

  const config = useMemo(() => {
    const out: Record<string, string> = { ...parseOther(other), 'connector.class': cls };
    for (const [k, v] of Object.entries(values)) if (v !== '') out[k] = v;
    const connectorName = editing ?? name;
    if (connectorName) out.name = connectorName;
    return out;
  }, [values, other, cls, name, editing]);

  useEffect(() => {
    if (!cls) return undefined;
    let live = true;
    const timer = setTimeout(() => {
      api
        .validate(cls, config)
        .then((r) => live && setResult(r))
        .catch(() => live && setResult(undefined));
    }, VALIDATE_DELAY_MS);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [cls, config]);

  const errors = useMemo(() => new Map((result?.configs ?? []).map((c) => [c.value.name, c.value.errors])), [result]);
  const shown = (key: string) => (submitted || touched.has(key) ? (errors.get(key) ?? []) : []);
  const fieldNames = new Set([...fields.map((f) => f.name), 'name', 'connector.class']);
  const otherErrors = [...errors.entries()].filter(([k, e]) => e.length && !fieldNames.has(k) && (submitted || k in config));
  const set = (key: string, v: string) => {
    setValues((old) => ({ ...old, [key]: v }));
    setTouched((old) => new Set(old).add(key));
  };

  const submit = async (e: Event) => {
    e.preventDefault();
    setSubmitted(true);
    setSaveError(undefined);
    try {
      const target = editing ?? name;
      if (!target) throw new Error('A connector needs a name');
      const { name: _dropped, ...body } = config;
      if (editing) await api.update(editing, body);
      else await api.create(target, body);
      route(`/ui/connectors/${encodeURIComponent(target)}`);
    } catch (err) {
      setSaveError(err as Error);
    }
  };

  return (
    <section aria-labelledby="form-title">
      <h1 id="form-title">{editing ? `Edit ${editing}` : 'New connector'}</h1>
      <ErrorNote error={plugins.error ?? existing.error ?? defs.error} />
      <form id="connector-form" onSubmit={(e) => void submit(e)} noValidate>
        {editing ? null : (
          <>
            <div class="field">
              <label for="field-connector-class">connector.class</label>
              <select id="field-connector-class" value={cls} onChange={(e) => setCls(e.currentTarget.value)} required>
                <option value="">Choose a plugin…</option>
                {(plugins.data ?? []).map((p) => (
                  <option key={p.class} value={p.class}>
                    {p.class} ({p.type})
                  </option>
                ))}
              </select>
            </div>
            <div class={`field${shown('name').length ? ' invalid' : ''}`} data-key="name">
              <label for="field-name">name</label>
              <input id="field-name" value={name} required autoComplete="off" onInput={(e) => setName(e.currentTarget.value)} aria-invalid={shown('name').length > 0} />
            </div>
          </>
        )}
        {cls ? (
          <fieldset>
            <legend>{cls} settings</legend>
            {fields.map((def) => (
              <ConfigField key={def.name} def={def} value={values[def.name] ?? ''} errors={shown(def.name)} onInput={(v) => set(def.name, v)} />
            ))}
            <div class="field" data-key="other">
              <label for="field-other">Other settings (one key=value a line: converters, transforms, errors.*)</label>
              <textarea id="field-other" rows={5} value={other} onInput={(e) => setOther(e.currentTarget.value)} spellcheck={false} aria-describedby="field-other-errors" />
              {otherErrors.length ? (
                <ul class="field-errors" id="field-other-errors">
                  {otherErrors.map(([k, e]) => (
                    <li key={k}>
                      {k}: {e.join('; ')}
                    </li>
                  ))}
                </ul>
              ) : null}
            </div>
          </fieldset>
        ) : null}
        <p class="muted" aria-live="polite" data-testid="validation-summary">
          {result ? (result.error_count ? `${result.error_count} validation error(s)` : 'The configuration is valid') : ''}
        </p>
        <ErrorNote error={saveError} />
        <div class="actions">
          <button type="submit" class="primary" disabled={!cls}>
            {editing ? 'Save' : 'Create'}
          </button>
          <a class="button" href={editing ? `/ui/connectors/${encodeURIComponent(editing)}` : '/ui/'}>
            Cancel
          </a>
        </div>
      </form>
    </section>
  );
}

