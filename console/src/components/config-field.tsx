/** One config key as a labelled input, its documentation and its validation errors tied to it. */
import type { ConfigKeyInfo } from '../api/connect-types.ts';

export function fieldId(key: string): string {
  return `field-${key.replace(/[^A-Za-z0-9_-]/g, '_')}`;
}

export function ConfigField(props: { def: ConfigKeyInfo; value: string; errors: readonly string[]; onInput: (v: string) => void }) {
  const { def, errors } = props;
  const id = fieldId(def.name);
  const described = [`${id}-doc`, errors.length ? `${id}-errors` : ''].filter(Boolean).join(' ');
  return (
    <div class={`field${errors.length ? ' invalid' : ''}`} data-key={def.name}>
      <label for={id}>
        {def.name}
        {def.required ? <span aria-hidden="true"> *</span> : null}
        {def.display_name !== def.name ? <span class="muted"> ({def.display_name})</span> : null}
      </label>
      {def.type === 'BOOLEAN' ? (
        <select id={id} value={props.value} onChange={(e) => props.onInput(e.currentTarget.value)} aria-describedby={described} aria-invalid={errors.length > 0}>
          <option value="">(default{def.default_value !== null ? `: ${def.default_value}` : ''})</option>
          <option value="true">true</option>
          <option value="false">false</option>
        </select>
      ) : (
        <input
          id={id}
          name={def.name}
          type="text"
          class={def.type === 'PASSWORD' ? 'secret' : undefined}
          inputMode={def.type === 'INT' || def.type === 'LONG' || def.type === 'SHORT' ? 'numeric' : undefined}
          autoComplete="off"
          value={props.value}
          required={def.required}
          placeholder={def.default_value ?? ''}
          aria-describedby={described}
          aria-invalid={errors.length > 0}
          onInput={(e) => props.onInput(e.currentTarget.value)}
        />
      )}
      {errors.length ? (
        <ul class="field-errors" id={`${id}-errors`}>
          {errors.map((e) => (
            <li key={e}>{e}</li>
          ))}
        </ul>
      ) : null}
      <p class="doc muted" id={`${id}-doc`}>
        {def.type.toLowerCase()} · {def.importance.toLowerCase()} · {def.documentation}
      </p>
    </div>
  );
}
