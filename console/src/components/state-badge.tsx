/** A connector or task state as a coloured label (the text carries the meaning, not the colour). */
export function StateBadge({ state }: { state: string }) {
  if (state === '…') return <span class="badge" aria-label="loading">…</span>;
  return <span class={`badge state-${state.toLowerCase()}`}>{state}</span>;
}
