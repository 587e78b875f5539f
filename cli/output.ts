/** How the CLI prints: kubectl-style tables for people, `-o json|yaml` for scripts. */
import Table from 'cli-table3';
import pc from 'picocolors';
import { stringify } from 'yaml';
import { UsageError } from './cli-errors.ts';

export type OutputFormat = 'table' | 'json' | 'yaml';

export function outputFormat(value: string | undefined): OutputFormat {
  const v = value ?? 'table';
  if (v === 'table' || v === 'json' || v === 'yaml') return v;
  throw new UsageError(`-o ${v} is not one of table, json, yaml`);
}

/** Prints data as JSON or YAML; returns false when the caller should print its table instead. */
export function printStructured(format: OutputFormat, data: unknown, out: (s: string) => void = (s) => process.stdout.write(s)): boolean {
  if (format === 'json') out(`${JSON.stringify(data, null, 2)}\n`);
  else if (format === 'yaml') out(stringify(data));
  else return false;
  return true;
}

/** A borderless table with a header row, as `kubectl get` prints. */
export function table(head: readonly string[], rows: readonly (readonly string[])[]): string {
  const t = new Table({
    head: head.map((h) => h.toUpperCase()),
    chars: { top: '', 'top-mid': '', 'top-left': '', 'top-right': '', bottom: '', 'bottom-mid': '', 'bottom-left': '', 'bottom-right': '', left: '', 'left-mid': '', mid: '', 'mid-mid': '', right: '', 'right-mid': '', middle: '   ' },
    style: { head: [], border: [], 'padding-left': 0, 'padding-right': 0 },
  });
  t.push(...rows.map((r) => [...r]));
  return `${t.toString().split('\n').map((l) => l.trimEnd()).join('\n')}\n`;
}

const STATE_COLORS: Record<string, (s: string) => string> = {
  RUNNING: pc.green,
  PAUSED: pc.yellow,
  FAILED: pc.red,
  STOPPED: pc.gray,
  RESTARTING: pc.cyan,
  UNASSIGNED: pc.cyan,
};

/** A connector or task state, colored when the terminal takes colors. */
export function state(s: string): string {
  return (STATE_COLORS[s] ?? ((x: string) => x))(s);
}

export function heading(s: string): string {
  return pc.bold(s);
}
