/**
 * One scripted sequence of Kafka Connect REST calls, run unchanged against Apache Kafka
 * Connect and against Tributary. `apacheStatus` is what Apache 4.1.1 answers (checked on
 * every run, so the script keeps describing the real reference).
 */
import { normalise, type Placeholders } from './response-shape.ts';

/** The run-specific names a script run uses; each becomes a placeholder in every comparison. */
export interface ScriptContext {
  readonly name: string;
  readonly file: string;
  readonly topic: string;
}

export interface Step {
  readonly id: string;
  readonly method: string;
  /** `{name}`, `{file}` and `{topic}` are filled in from the context. */
  readonly path: string;
  readonly body?: unknown;
  /** A body sent as is, for malformed JSON. */
  readonly raw?: string;
  readonly apacheStatus: number;
  /** Repeat the call (up to 60 s) until this holds; the last answer is the one compared. */
  readonly until?: (body: unknown) => boolean;
  /** Paths (as in `valueAt`) whose normalised values must be equal too, beyond the shape. */
  readonly sameValues?: readonly string[];
  /** Response headers whose normalised values must be equal. */
  readonly sameHeaders?: readonly string[];
}

export interface StepResult {
  readonly status: number;
  /** Parsed JSON, the text when not JSON, null when empty; normalised. */
  readonly body: unknown;
  readonly headers: Readonly<Record<string, string | null>>;
  /** Set when `until` never held or the call failed. */
  readonly problem?: string;
  readonly elapsedMs: number;
}

const config = { 'connector.class': 'FileStreamSource', file: '{file}', topic: '{topic}', 'tasks.max': '1' };

interface StatusBody {
  connector?: { state?: string };
  tasks?: { state?: string }[];
}
const inState = (state: string) => (b: unknown) => {
  const s = b as StatusBody;
  return s?.connector?.state === state && (state === 'STOPPED' ? s.tasks?.length === 0 : (s.tasks?.length ?? 0) > 0 && s.tasks!.every((t) => t.state === state));
};
const statusValues = ['$.name', '$.connector.state', '$.tasks[0].id', '$.tasks[0].state', '$.type'];
const errorValues = ['$.error_code', '$.message'];

export const STEPS: readonly Step[] = [
  { id: 'root', method: 'GET', path: '/', apacheStatus: 200 },
  { id: 'plugins', method: 'GET', path: '/connector-plugins?connectorsOnly=true', apacheStatus: 200 },
  { id: 'create', method: 'POST', path: '/connectors', body: { name: '{name}', config }, apacheStatus: 201, sameValues: ['$.name', '$.config', '$.type'], sameHeaders: ['location'] },
  { id: 'create again', method: 'POST', path: '/connectors', body: { name: '{name}', config }, apacheStatus: 409, sameValues: errorValues },
  { id: 'status until RUNNING', method: 'GET', path: '/connectors/{name}/status', apacheStatus: 200, until: inState('RUNNING'), sameValues: statusValues },
  { id: 'get connector', method: 'GET', path: '/connectors/{name}', apacheStatus: 200, sameValues: ['$.name', '$.config', '$.tasks', '$.type'] },
  { id: 'get config', method: 'GET', path: '/connectors/{name}/config', apacheStatus: 200, sameValues: ['$'] },
  { id: 'get tasks', method: 'GET', path: '/connectors/{name}/tasks', apacheStatus: 200, sameValues: ['$[0].id'] },
  { id: 'get task status', method: 'GET', path: '/connectors/{name}/tasks/0/status', apacheStatus: 200, sameValues: ['$.id', '$.state'] },
  { id: 'list connectors', method: 'GET', path: '/connectors', apacheStatus: 200, sameValues: ['$'] },
  { id: 'put config', method: 'PUT', path: '/connectors/{name}/config', body: { ...config, 'batch.size': '100' }, apacheStatus: 200, sameValues: ['$.name', '$.config', '$.type'] },
  { id: 'status until RUNNING after put', method: 'GET', path: '/connectors/{name}/status', apacheStatus: 200, until: inState('RUNNING'), sameValues: statusValues },
  { id: 'patch config', method: 'PATCH', path: '/connectors/{name}/config', body: { 'batch.size': '200' }, apacheStatus: 200, sameValues: ['$.name', '$.config', '$.type'] },
  { id: 'pause', method: 'PUT', path: '/connectors/{name}/pause', apacheStatus: 202 },
  { id: 'status until PAUSED', method: 'GET', path: '/connectors/{name}/status', apacheStatus: 200, until: inState('PAUSED'), sameValues: statusValues },
  { id: 'resume', method: 'PUT', path: '/connectors/{name}/resume', apacheStatus: 202 },
  { id: 'status until RUNNING after resume', method: 'GET', path: '/connectors/{name}/status', apacheStatus: 200, until: inState('RUNNING'), sameValues: statusValues },
  { id: 'stop', method: 'PUT', path: '/connectors/{name}/stop', apacheStatus: 204 },
  { id: 'status until STOPPED', method: 'GET', path: '/connectors/{name}/status', apacheStatus: 200, until: inState('STOPPED'), sameValues: ['$.connector.state', '$.tasks'] },
  { id: 'get offsets (stopped)', method: 'GET', path: '/connectors/{name}/offsets', apacheStatus: 200, sameValues: ['$'] },
  {
    id: 'patch offsets',
    method: 'PATCH',
    path: '/connectors/{name}/offsets',
    body: { offsets: [{ partition: { filename: '{file}' }, offset: { position: 7 } }] },
    apacheStatus: 200,
    sameValues: ['$.message'],
  },
  { id: 'get offsets after patch', method: 'GET', path: '/connectors/{name}/offsets', apacheStatus: 200, sameValues: ['$'] },
  { id: 'delete offsets', method: 'DELETE', path: '/connectors/{name}/offsets', apacheStatus: 200, sameValues: ['$.message'] },
  { id: 'get offsets after delete', method: 'GET', path: '/connectors/{name}/offsets', apacheStatus: 200, sameValues: ['$'] },
  { id: 'resume after stop', method: 'PUT', path: '/connectors/{name}/resume', apacheStatus: 202 },
  { id: 'status until RUNNING after stop', method: 'GET', path: '/connectors/{name}/status', apacheStatus: 200, until: inState('RUNNING'), sameValues: statusValues },
  { id: 'restart connector', method: 'POST', path: '/connectors/{name}/restart', apacheStatus: 204 },
  { id: 'restart with tasks', method: 'POST', path: '/connectors/{name}/restart?includeTasks=true&onlyFailed=false', apacheStatus: 202, sameValues: ['$.name', '$.type'] },
  { id: 'restart only failed', method: 'POST', path: '/connectors/{name}/restart?includeTasks=true&onlyFailed=true', apacheStatus: 202, sameValues: ['$.name', '$.type'] },
  { id: 'restart task', method: 'POST', path: '/connectors/{name}/tasks/0/restart', apacheStatus: 204 },
  { id: 'restart unknown task', method: 'POST', path: '/connectors/{name}/tasks/7/restart', apacheStatus: 404, sameValues: errorValues },
  { id: 'status until RUNNING after restarts', method: 'GET', path: '/connectors/{name}/status', apacheStatus: 200, until: inState('RUNNING'), sameValues: statusValues },
  { id: 'list expanded', method: 'GET', path: '/connectors?expand=status&expand=info', apacheStatus: 200, sameValues: ['$.{name}.info.config'] },
  { id: 'bad JSON body', method: 'POST', path: '/connectors', raw: '{bad', apacheStatus: 500, sameValues: ['$.error_code'] },
  { id: 'unknown connector', method: 'GET', path: '/connectors/{name}-nope', apacheStatus: 404, sameValues: errorValues },
  { id: 'unknown connector status', method: 'GET', path: '/connectors/{name}-nope/status', apacheStatus: 404, sameValues: errorValues },
  {
    id: 'bad connector class',
    method: 'POST',
    path: '/connectors',
    body: { name: '{name}-bad', config: { 'connector.class': 'com.example.NoSuchConnector', topic: '{topic}' } },
    apacheStatus: 400,
    sameValues: ['$.error_code'],
  },
  {
    id: 'invalid config value',
    method: 'POST',
    path: '/connectors',
    body: { name: '{name}-bad', config: { ...config, 'batch.size': 'abc' } },
    apacheStatus: 400,
    sameValues: errorValues,
  },
  { id: 'wrong method', method: 'DELETE', path: '/connectors', apacheStatus: 405, sameValues: errorValues },
  { id: 'unknown route', method: 'GET', path: '/no-such-route', apacheStatus: 404, sameValues: ['$.error_code'] },
  { id: 'delete', method: 'DELETE', path: '/connectors/{name}', apacheStatus: 204 },
  { id: 'get deleted', method: 'GET', path: '/connectors/{name}', apacheStatus: 404, sameValues: errorValues },
  { id: 'delete again', method: 'DELETE', path: '/connectors/{name}', apacheStatus: 404, sameValues: errorValues },
];

export function placeholders(ctx: ScriptContext): Placeholders {
  return { [ctx.name]: '{name}', [ctx.file]: '{file}', [ctx.topic]: '{topic}' };
}

/** Runs every step in order against one REST base URL; a failed call is recorded, not thrown. */
export async function runScript(baseUrl: string, ctx: ScriptContext, steps: readonly Step[] = STEPS): Promise<StepResult[]> {
  const fill = (v: unknown): unknown => normalise(v, { '{name}': ctx.name, '{file}': ctx.file, '{topic}': ctx.topic });
  const back = placeholders(ctx);
  const results: StepResult[] = [];
  for (const step of steps) {
    const started = Date.now();
    const deadline = started + 60_000;
    let result: StepResult | undefined;
    for (;;) {
      try {
        result = await call(baseUrl, fill(step.path) as string, step, step.body === undefined ? undefined : JSON.stringify(fill(step.body)), back, started);
      } catch (e) {
        result = { status: 0, body: null, headers: {}, problem: `call failed: ${(e as Error).message}`, elapsedMs: Date.now() - started };
        break;
      }
      if (!step.until || step.until(result.body)) break;
      if (Date.now() > deadline) {
        result = { ...result, problem: 'the awaited state never came within 60 s' };
        break;
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    results.push(result);
  }
  return results;
}

async function call(baseUrl: string, path: string, step: Step, json: string | undefined, back: Placeholders, started: number): Promise<StepResult> {
  const body = step.raw ?? json;
  const res = await fetch(`${baseUrl}${path}`, {
    method: step.method,
    headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
    body,
    signal: AbortSignal.timeout(30_000),
  });
  const text = await res.text();
  let parsed: unknown = text === '' ? null : text;
  try {
    if (text !== '') parsed = JSON.parse(text);
  } catch {
    // not JSON: compared as text
  }
  const headers: Record<string, string | null> = {};
  for (const h of step.sameHeaders ?? []) {
    // Apache's Location is absolute, and the origin is the only part that legitimately differs.
    headers[h] = res.headers.get(h)?.replace(baseUrl, '') ?? null;
  }
  return { status: res.status, body: normalise(parsed, back), headers: normalise(headers, back) as Record<string, string | null>, elapsedMs: Date.now() - started };
}
