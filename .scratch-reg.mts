import { ensureSchemaRegistry } from '/work/wt/registry/host/schema-registry-launcher.ts';
const r = await ensureSchemaRegistry({ dataDir: '/tmp/regdata', port: 18981, log: console.log });
console.log('READY', r.url, r.origin);
setInterval(() => {}, 1e9);
