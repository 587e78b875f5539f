/**
 * The bad-input corpus the fuzz suite sends: every endpoint with bad names, task ids, bodies,
 * query values, methods and headers, and hostile raw request-targets. None of it is a request
 * Connect would carry out, so none of it may change anything.
 */

export interface FuzzCase {
  readonly what: string;
  readonly method: string;
  /** Sent byte for byte. */
  readonly target: string;
  readonly body?: string | Buffer;
  readonly headers?: Record<string, string>;
}

export interface Seeds {
  /** A FileStreamSource, STOPPED, with stored offsets. */
  readonly source: string;
  /** A FileStreamSink, PAUSED. */
  readonly sink: string;
  readonly file: string;
  readonly topic: string;
}

interface Endpoint {
  readonly method: string;
  readonly template: string;
  readonly body?: boolean;
}

export const ENDPOINTS: readonly Endpoint[] = [
  { method: 'GET', template: '/' },
  { method: 'GET', template: '/health' },
  { method: 'GET', template: '/connectors' },
  { method: 'POST', template: '/connectors', body: true },
  { method: 'GET', template: '/connectors/{name}' },
  { method: 'DELETE', template: '/connectors/{name}' },
  { method: 'GET', template: '/connectors/{name}/config' },
  { method: 'PUT', template: '/connectors/{name}/config', body: true },
  { method: 'PATCH', template: '/connectors/{name}/config', body: true },
  { method: 'GET', template: '/connectors/{name}/status' },
  { method: 'POST', template: '/connectors/{name}/restart' },
  { method: 'PUT', template: '/connectors/{name}/pause' },
  { method: 'PUT', template: '/connectors/{name}/resume' },
  { method: 'PUT', template: '/connectors/{name}/stop' },
  { method: 'GET', template: '/connectors/{name}/tasks' },
  { method: 'GET', template: '/connectors/{name}/tasks/{task}/status' },
  { method: 'POST', template: '/connectors/{name}/tasks/{task}/restart' },
  { method: 'GET', template: '/connectors/{name}/topics' },
  { method: 'PUT', template: '/connectors/{name}/topics/reset' },
  { method: 'GET', template: '/connectors/{name}/offsets' },
  { method: 'PATCH', template: '/connectors/{name}/offsets', body: true },
  { method: 'DELETE', template: '/connectors/{name}/offsets' },
  { method: 'GET', template: '/connector-plugins' },
  { method: 'GET', template: '/connector-plugins/{plugin}/config' },
  { method: 'PUT', template: '/connector-plugins/{plugin}/config/validate', body: true },
  { method: 'GET', template: '/admin/loggers' },
  { method: 'GET', template: '/admin/loggers/{logger}' },
  { method: 'PUT', template: '/admin/loggers/{logger}', body: true },
];

/** Names no connector has, or that no URL may carry (as written in the target). */
const BAD_NAMES = [
  'fuzz-nope',
  '%zz',
  '%',
  '%ED%A0%80',
  'c%ED%A0%80',
  'a%00b',
  'a%C2%85b',
  'a%0Ab',
  '%2e%2e',
  '.%2e',
  '%2E',
  '.',
  '..',
  '',
  'a%2Fb',
  'a%5Cb',
  'a\\b',
  'n'.repeat(300),
  'x;p=1',
  '%C0%AF',
];

const TASK_IDS = ['-1', '1', '99', 'x', '1.5', '2147483648', '-2147483649', '%2d1', '+-1', '', '%00', '0x0'];

const fill = (template: string, v: { name: string; task?: string; plugin?: string; logger?: string }) =>
  template.replace('{name}', v.name).replace('{task}', v.task ?? '0').replace('{plugin}', v.plugin ?? 'FileStreamSource').replace('{logger}', v.logger ?? 'org.example.Fuzz');

/** Bodies that no endpoint may accept; `{seed}`-free so they suit every body endpoint. */
function badBodies(s: Seeds): { what: string; body: string | Buffer }[] {
  const src = { 'connector.class': 'FileStreamSource', topic: s.topic, file: s.file };
  const json = (v: unknown) => JSON.stringify(v);
  const withConfig = (config: unknown, extra: Record<string, unknown> = {}) => json({ name: 'fuzz-new', config, ...extra });
  return [
    { what: 'empty', body: '' },
    { what: 'whitespace', body: ' \r\n\t' },
    { what: 'malformed JSON', body: '{"name": ' },
    { what: 'trailing garbage', body: '{}x' },
    { what: 'JSON null', body: 'null' },
    { what: 'JSON true', body: 'true' },
    { what: 'JSON number', body: '1e999' },
    { what: 'JSON string', body: '"x"' },
    { what: 'JSON array', body: '[]' },
    { what: 'deep nesting', body: `${'['.repeat(50_000)}${']'.repeat(50_000)}` },
    { what: 'invalid UTF-8', body: Buffer.concat([Buffer.from('{"name":"u'), Buffer.from([0xc3, 0x28]), Buffer.from(`","config":${json(src)}}`)]) },
    { what: 'overlong UTF-8', body: Buffer.concat([Buffer.from('{"name":"'), Buffer.from([0xc0, 0xaf]), Buffer.from('"}')]) },
    { what: 'lone surrogate name', body: `{"name":"c\\ud800","config":${json(src)}}` },
    { what: 'lone surrogate value', body: `{"name":"fuzz-new","config":${json(src).replace('"FileStreamSource"', '"FileStreamSource\\udc00"')}}` },
    { what: 'lone surrogate key', body: `{"\\ud800":"x"}` },
    { what: 'tasks.max 1.0', body: `{"name":"fuzz-new","config":${json(src).slice(0, -1)},"tasks.max":1.0}}` },
    { what: 'tasks.max 1e0', body: `{"name":"fuzz-new","config":${json(src).slice(0, -1)},"tasks.max":1e0}}` },
    { what: 'tasks.max -1', body: withConfig({ ...src, 'tasks.max': '-1' }) },
    { what: 'unknown class', body: withConfig({ ...src, 'connector.class': 'com.example.Nope' }) },
    { what: 'no class', body: withConfig({ topic: s.topic }) },
    { what: 'config name with spaces', body: withConfig({ ...src, name: ' fuzz-new ' }) },
    { what: 'config name differs', body: withConfig({ ...src, name: 'other' }) },
    { what: 'nested config value', body: withConfig({ ...src, file: { x: 1 } }) },
    { what: 'array config value', body: withConfig({ ...src, file: [1] }) },
    { what: 'null config value', body: withConfig({ ...src, file: null }) },
    { what: 'unknown field', body: withConfig(src, { extra: true }) },
    { what: 'bad initial_state', body: withConfig(src, { initial_state: 'SLEEPING' }) },
    { what: 'name with control char', body: json({ name: 'a\u0007', config: src }) },
    { what: 'name with C1 control', body: json({ name: 'a\u0085', config: src }) },
    { what: 'name ..', body: json({ name: '..', config: src }) },
    { what: 'name with slash', body: json({ name: 'a/b', config: src }) },
    { what: 'name of 300 characters', body: json({ name: 'n'.repeat(300), config: src }) },
    { what: 'body over 1 MiB', body: json({ name: 'fuzz-big', config: { ...src, pad: 'x'.repeat(1_100_000) } }) },
    { what: 'offsets: unknown top-level field', body: json({ offsets: [{ partition: { filename: s.file }, offset: { position: 1 } }], extra: 1 }) },
    { what: 'offsets: 1e30 position', body: `{"offsets":[{"partition":{"filename":${json(s.file)}},"offset":{"position":1e30}}]}` },
    { what: 'offsets: negative position', body: json({ offsets: [{ partition: { filename: s.file }, offset: { position: -1 } }] }) },
    { what: 'offsets: fractional position', body: json({ offsets: [{ partition: { filename: s.file }, offset: { position: 1.5 } }] }) },
    { what: 'offsets: string position', body: json({ offsets: [{ partition: { filename: s.file }, offset: { position: '1' } }] }) },
    { what: 'offsets: extra offset key', body: json({ offsets: [{ partition: { filename: s.file }, offset: { position: 1, x: 2 } }] }) },
    { what: 'offsets: no partition', body: json({ offsets: [{ offset: { position: 1 } }] }) },
    { what: 'offsets: nested values', body: json({ offsets: [{ partition: { filename: { a: 1 } }, offset: { position: [1] } }] }) },
    { what: 'logger level unknown', body: json({ level: 'LOUD' }) },
    { what: 'logger level missing', body: json({}) },
  ];
}

export function fuzzCorpus(s: Seeds): FuzzCase[] {
  const out: FuzzCase[] = [];
  // Every endpoint with every bad name (no body: a PUT config without one is a 400, never a create).
  for (const e of ENDPOINTS.filter((x) => x.template.includes('{name}'))) {
    for (const name of BAD_NAMES) out.push({ what: `${e.method} ${e.template} with name ${JSON.stringify(name.slice(0, 20))}`, method: e.method, target: fill(e.template, { name }) });
  }
  // Plugin and logger path parameters.
  for (const e of ENDPOINTS.filter((x) => x.template.includes('{plugin}') || x.template.includes('{logger}'))) {
    for (const bad of ['com.example.Nope', '%zz', '%2e%2e', '', 'a%00b', '%ED%A0%80', '..']) {
      out.push({ what: `${e.method} ${e.template} with ${JSON.stringify(bad)}`, method: e.method, target: fill(e.template, { name: s.source, plugin: bad, logger: bad }) });
    }
  }
  // Task ids on both seeds.
  for (const e of ENDPOINTS.filter((x) => x.template.includes('{task}'))) {
    for (const name of [s.source, s.sink]) for (const task of TASK_IDS) out.push({ what: `${e.method} ${e.template} task ${JSON.stringify(task)}`, method: e.method, target: fill(e.template, { name, task }) });
  }
  // Every body endpoint with every bad body, on the seeds (the offsets ones on the stopped source).
  const bodies = badBodies(s);
  for (const e of ENDPOINTS.filter((x) => x.body)) {
    // A PATCH of `{}` or `{"level": ...}` is a valid config change: not bad input.
    const fit = e.template.endsWith('/config') && e.method === 'PATCH' ? bodies.filter((b) => !b.what.startsWith('logger')) : bodies;
    for (const b of fit) out.push({ what: `${e.method} ${e.template}: ${b.what}`, method: e.method, target: fill(e.template, { name: s.source }), body: b.body });
  }
  for (const b of bodies.filter((x) => x.what.startsWith('offsets'))) out.push({ what: `PATCH offsets of the paused sink: ${b.what}`, method: 'PATCH', target: `/connectors/${s.sink}/offsets`, body: b.body });
  // Query values.
  for (const q of ['expand=nope', 'expand=status&expand=x', 'expand=%zz']) out.push({ what: `GET /connectors?${q}`, method: 'GET', target: `/connectors?${q}` });
  for (const q of ['includeTasks=maybe', 'onlyFailed=1', 'includeTasks=true&onlyFailed=yes', 'includeTasks=%00']) out.push({ what: `restart ?${q}`, method: 'POST', target: `/connectors/${s.source}/restart?${q}` });
  for (const q of ['connectorsOnly=maybe', 'connectorsOnly=']) out.push({ what: `plugins ?${q}`, method: 'GET', target: `/connector-plugins?${q}`.replace(/=$/, '=2') });
  // Methods a path does not have, and clients that will not take JSON.
  const methods = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];
  const paths = [...new Set(ENDPOINTS.map((e) => e.template))];
  for (const template of paths) {
    const allowed = new Set(ENDPOINTS.filter((e) => e.template === template).map((e) => e.method));
    for (const m of methods.filter((x) => !allowed.has(x))) out.push({ what: `${m} ${template} (not allowed)`, method: m, target: fill(template, { name: s.source }) });
    const e = ENDPOINTS.find((x) => x.template === template)!;
    if (e.method === 'GET') out.push({ what: `${template} with Accept: text/html`, method: 'GET', target: fill(template, { name: s.source }), headers: { Accept: 'text/html' } });
  }
  for (const e of ENDPOINTS.filter((x) => x.body)) out.push({ what: `${e.method} ${e.template} as text/plain`, method: e.method, target: fill(e.template, { name: s.source }), body: '{}', headers: { 'Content-Type': 'text/plain' } });
  // Hostile raw targets.
  for (const target of ['//', '///', '/\\', '//:8083/connectors', '//connectors', '*', 'http://example.com/connectors', '/%', '/%2e%2e/connectors', `/connectors/fuzz-nope/.%2e/${s.source}`, `/connectors/fuzz-nope/../${s.source}`, `/connectors/x/%2e%2e/${s.source}/config`, `/connectors/x/%2e%2e/${s.source}/pause`, '/connectors/%2e%2e/connectors', '/connectors/..%2F..%2Fadmin%2Floggers', `/connectors/${s.source}//status`, `/connectors/${s.source}/./stop`, '/nope', '/connectors/;', '/?', '/#x', '/__proto__', '/constructor', '/connectors/__proto__', '/connectors/constructor/config']) {
    for (const m of ['GET', 'DELETE', 'PUT']) out.push({ what: `${m} ${target}`, method: m, target });
  }
  return out;
}
