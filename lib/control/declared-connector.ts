/**
 * Connectors declared as code (the `TributaryConnector` CDK construct): applying a declared
 * connector through the Kafka Connect REST API, so a deploy goes through the same validation,
 * planning and fencing as any REST call. Created once, then updated in place — a config change
 * is `PUT /connectors/{name}/config`, never a delete and create.
 */
import { ControlError } from './control-errors.ts';

/** One call to the REST API: a path as Connect names it, a JSON body, the status and body back. */
export type RestCall = (method: string, path: string, body?: unknown) => Promise<{ status: number; body: unknown }>;

export type DeclaredState = 'RUNNING' | 'PAUSED' | 'STOPPED';

export interface DeclaredOffset {
  readonly partition: Record<string, unknown>;
  readonly offset: Record<string, unknown> | null;
}

export interface DeclaredConnector {
  readonly name: string;
  readonly config: Readonly<Record<string, string>>;
  /** Default RUNNING. */
  readonly state?: DeclaredState | undefined;
  /** Written once, when the connector is created (it starts STOPPED, takes them, then its state). */
  readonly initialOffsets?: readonly DeclaredOffset[] | undefined;
}

export class DeclaredConnectorError extends ControlError {
  override readonly name = 'DeclaredConnectorError';
}

const ACTION: Record<DeclaredState, string> = { RUNNING: 'resume', PAUSED: 'pause', STOPPED: 'stop' };

/** Creates the connector, or adopts one of the same name that already runs (its config is replaced). */
export async function createDeclared(call: RestCall, d: DeclaredConnector): Promise<void> {
  const state = d.state ?? 'RUNNING';
  const withOffsets = (d.initialOffsets?.length ?? 0) > 0;
  const created = await call('POST', '/connectors', { name: d.name, config: d.config, initial_state: withOffsets ? 'STOPPED' : state });
  if (created.status === 409) {
    await updateDeclared(call, d);
    return;
  }
  expectOk(created, `create connector ${d.name}`);
  if (withOffsets) {
    expectOk(await call('PATCH', `/connectors/${enc(d.name)}/offsets`, { offsets: d.initialOffsets }), `set the initial offsets of ${d.name}`);
    if (state !== 'STOPPED') expectOk(await call('PUT', `/connectors/${enc(d.name)}/${ACTION[state]}`), `${ACTION[state]} ${d.name}`);
  }
}

/** Replaces the config in place (a new generation of task configs) and moves to the declared state. */
export async function updateDeclared(call: RestCall, d: DeclaredConnector): Promise<void> {
  expectOk(await call('PUT', `/connectors/${enc(d.name)}/config`, { ...d.config, name: d.name }), `update connector ${d.name}`);
  const state = d.state ?? 'RUNNING';
  expectOk(await call('PUT', `/connectors/${enc(d.name)}/${ACTION[state]}`), `${ACTION[state]} ${d.name}`);
}

/** Deletes the connector; one that is already gone is not an error. */
export async function deleteDeclared(call: RestCall, name: string): Promise<void> {
  const r = await call('DELETE', `/connectors/${enc(name)}`);
  if (r.status !== 404) expectOk(r, `delete connector ${name}`);
}

function expectOk(r: { status: number; body: unknown }, what: string): void {
  if (r.status >= 200 && r.status < 300) return;
  const message = typeof r.body === 'object' && r.body !== null && 'message' in r.body ? String((r.body as { message: unknown }).message) : JSON.stringify(r.body);
  throw new DeclaredConnectorError(r.status, `Could not ${what}: ${message}`);
}

function enc(name: string): string {
  return encodeURIComponent(name);
}
