/** The console's static files: content types, the single-page fallback, and no way out of the folder. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assetProxyResult, consoleAsset, isConsolePath } from '../../../lib/console/console-assets.ts';
import { fileAssetSource } from '../../../lib/console/file-asset-source.ts';

const root = mkdtempSync(join(tmpdir(), 'tributary-console-assets-'));
const ui = join(root, 'ui');
mkdirSync(join(ui, 'assets'), { recursive: true });
writeFileSync(join(ui, 'index.html'), '<!doctype html><title>console</title>');
writeFileSync(join(ui, 'assets', 'index-abc.js'), 'console.log(1);');
writeFileSync(join(ui, 'assets', 'index-abc.css'), 'body{}');
writeFileSync(join(root, 'secret.txt'), 'not for the browser');
const files = fileAssetSource(ui);
const text = (b: Uint8Array | string) => (typeof b === 'string' ? b : Buffer.from(b).toString('utf8'));

describe('console assets', () => {
  it('serves files with their content types; hashed assets are cached for good, the page is revalidated', async () => {
    const js = await consoleAsset('GET', '/ui/assets/index-abc.js', files);
    expect(js.status).toBe(200);
    expect(js.headers['Content-Type']).toBe('text/javascript; charset=utf-8');
    expect(js.headers['Cache-Control']).toContain('immutable');
    expect(text(js.body)).toBe('console.log(1);');
    const css = await consoleAsset('GET', '/ui/assets/index-abc.css', files);
    expect(css.headers['Content-Type']).toBe('text/css; charset=utf-8');
    const page = await consoleAsset('GET', '/ui/', files);
    expect(page.headers['Content-Type']).toBe('text/html; charset=utf-8');
    expect(page.headers['Cache-Control']).toBe('no-cache');
    expect(page.headers['X-Content-Type-Options']).toBe('nosniff');
  });

  it('answers every page of the single-page app with index.html, and a missing file with a 404', async () => {
    for (const target of ['/ui', '/ui/', '/ui/connectors/my-sink', '/ui/connectors/a%20b/edit', '/ui/plugins?x=1']) {
      const r = await consoleAsset('GET', target, files);
      expect(r.status, target).toBe(200);
      expect(text(r.body)).toContain('<title>console</title>');
    }
    const missing = await consoleAsset('GET', '/ui/assets/gone.js', files);
    expect(missing.status).toBe(404);
    expect(JSON.parse(text(missing.body))).toMatchObject({ error_code: 404 });
  });

  it('never reads outside its folder, by the API request-target rules', async () => {
    const cases: [string, number][] = [
      ['/ui/../secret.txt', 404],
      ['/ui/%2e%2e/secret.txt', 400],
      ['/ui/assets/..%2f..%2fsecret.txt', 400],
      ['/ui/..%5csecret.txt', 400],
      ['/ui//secret.txt', 400],
      ['/ui/.hidden.txt', 404],
      ['/ui/%zz.js', 400],
    ];
    for (const [target, status] of cases) {
      const r = await consoleAsset('GET', target, files);
      expect(r.status, target).toBe(status);
      expect(text(r.body)).not.toContain('not for the browser');
    }
  });

  it('takes only GET and HEAD, and says when the console is not built', async () => {
    const post = await consoleAsset('POST', '/ui/', files);
    expect(post.status).toBe(405);
    expect(post.headers.Allow).toBe('GET, HEAD');
    const empty = await consoleAsset('GET', '/ui/connectors/x', fileAssetSource(join(root, 'nothing')));
    expect(empty.status).toBe(503);
    expect(JSON.parse(text(empty.body)).message).toMatch(/build:console/);
  });

  it('claims /ui and below only', () => {
    expect(isConsolePath('/ui')).toBe(true);
    expect(isConsolePath('/ui/assets/x.js')).toBe(true);
    expect(isConsolePath('/uix')).toBe(false);
    expect(isConsolePath('/connectors')).toBe(false);
  });

  it('hands text to API Gateway as UTF-8 and anything else as base64', () => {
    const js = assetProxyResult({ status: 200, headers: { 'Content-Type': 'text/javascript; charset=utf-8' }, body: Buffer.from('é') });
    expect(js).toMatchObject({ body: 'é', isBase64Encoded: false });
    const png = assetProxyResult({ status: 200, headers: { 'Content-Type': 'image/png' }, body: Uint8Array.from([0x89, 0x50]) });
    expect(png).toMatchObject({ body: 'iVA=', isBase64Encoded: true });
  });
});
