/**
 * The web console in a real browser (Debian's Chromium, driven by puppeteer-core) against the
 * local host as `npm start` runs it: the list with 200 connectors, a FileStream source created
 * through the form, a validation error beside its field, the throughput chart, pause from the
 * page. Screenshots of each page go to test-results/console/ (gitignored).
 */
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { consoleDir, projectRoot } from '../../../host/local-paths.ts';
import { startHostProcess, uniqueName, type HostProcess } from '../../support/local-host-process.ts';
import { rawRequest } from '../../support/raw-http.ts';
import { eventually, rest } from '../../support/rest-client.ts';

const kafkaBootstrap = inject('kafkaBootstrap');
const dynamoEndpoint = inject('dynamoEndpoint');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SHOTS = join(projectRoot, 'test-results', 'console');
const BACKGROUND_CONNECTORS = 200;

describe('web console in Chromium', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tributary-console-'));
  const input = join(dir, 'in.txt');
  const prefix = uniqueName('ui');
  const name = `${prefix}-lines`;
  const topic = uniqueName('console-lines');
  let host: HostProcess;
  let browser: Browser;
  let page: Page;
  let feeder: NodeJS.Timeout | undefined;
  let lineNo = 0;

  const shot = (file: string) => page.screenshot({ path: join(SHOTS, file), fullPage: true });
  // Page functions are written as strings: this file is type-checked without the DOM library.
  const pageState = (state: string, timeout: number) => page.waitForFunction(`document.querySelector('[data-testid=connector-state]')?.textContent === ${JSON.stringify(state)}`, { timeout });
  const status = async () => (await rest<{ connector: { state: string }; tasks: { state: string }[] }>(host.restUrl, 'GET', `/connectors/${name}/status`)).body;

  beforeAll(async () => {
    if (!existsSync(join(consoleDir, 'index.html'))) throw new Error('console/dist/ui is missing: `npm ci` (its prepare step) or `npm run build:console` builds it');
    if (!existsSync(CHROMIUM)) throw new Error(`No Chromium at ${CHROMIUM}: apt-get install -y chromium (or set CHROMIUM_PATH)`);
    mkdirSync(SHOTS, { recursive: true });
    writeFileSync(input, '');
    host = await startHostProcess({ kafkaBootstrap, dynamoEndpoint, dataDir: join(dir, 'data'), tableName: uniqueName('tributary-console'), env: { IDLE_BACKOFF_MAX_MS: '1000' } });
    // 199 stopped connectors (no tasks, no runners) make the list as long as a busy installation's.
    for (let i = 0; i < BACKGROUND_CONNECTORS; i += 20) {
      await Promise.all(
        Array.from({ length: Math.min(20, BACKGROUND_CONNECTORS - i) }, (_, j) =>
          rest(host.restUrl, 'POST', '/connectors', {
            name: `${prefix}-bg-${String(i + j).padStart(3, '0')}`,
            config: { 'connector.class': 'FileStreamSource', file: input, topic },
            initial_state: 'STOPPED',
          }).then((r) => expect(r.status).toBe(201)),
        ),
      );
    }
    browser = await puppeteer.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
    page = await browser.newPage();
    page.on('pageerror', (e) => console.log(`[console] page error: ${(e as Error).message}`));
    await page.setViewport({ width: 1280, height: 800 });
  });

  afterAll(async () => {
    clearInterval(feeder);
    await browser?.close();
    await host?.stop('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves the console with its content types, a single-page fallback and no way out of its folder', async () => {
    const index = await fetch(`${host.restUrl}/ui/connectors/anything`);
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const html = await index.text();
    const script = /src="(\/ui\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(script).toBeDefined();
    const js = await fetch(`${host.restUrl}${script}`);
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    // Sent as written (fetch would resolve the dots before sending).
    expect((await rawRequest(host.restUrl, 'GET', '/ui/%2e%2e/package.json')).status).toBe(400);
    expect((await rawRequest(host.restUrl, 'GET', '/ui/assets/..%2f..%2fpackage.json')).status).toBe(400);
    expect((await rawRequest(host.restUrl, 'GET', '/ui/../package.json')).status).toBe(404);
    expect((await fetch(`${host.restUrl}/ui/missing.js`)).status).toBe(404);
    expect((await fetch(`${host.restUrl}/ui/`, { method: 'POST' })).status).toBe(405);
    // The REST API is where it was.
    expect((await rest(host.restUrl, 'GET', '/connectors')).status).toBe(200);
  });

  it('loads the list of 200 connectors and filters it', async () => {
    await page.goto(`${host.restUrl}/ui/`);
    await page.waitForSelector('table.connectors tbody tr');
    // Measured once, reported, not asserted: time from navigation start to the rendered list.
    const firstPaintMs = (await page.evaluate('performance.now()')) as number;
    console.log(`[console] list of ${BACKGROUND_CONNECTORS} connectors rendered ${Math.round(firstPaintMs)} ms after navigation start`);
    await page.waitForSelector('table.connectors .state-stopped', { timeout: 120_000 });
    const statesMs = (await page.evaluate('performance.now()')) as number;
    console.log(`[console] their states and task counts (one status read per connector) followed at ${Math.round(statesMs)} ms`);
    const rows = await page.$$eval('table.connectors tbody tr', (r) => r.length);
    expect(rows).toBeGreaterThanOrEqual(BACKGROUND_CONNECTORS);
    await shot('connector-list.png');
    // Keyboard first: the first Tab lands on the skip link, which leads to the content.
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement?.textContent')).toBe('Skip to content');
    await page.type('input[type=search]', `${prefix}-bg-01`);
    await page.waitForFunction("document.querySelectorAll('table.connectors tbody tr').length === 10");
    await page.setViewport({ width: 390, height: 844 });
    await shot('connector-list-phone.png');
    await page.setViewport({ width: 1280, height: 800 });
  });

  it('lists the plugins', async () => {
    await page.goto(`${host.restUrl}/ui/plugins`);
    await page.waitForSelector('xpath/.//td[text()="org.apache.kafka.connect.file.FileStreamSourceConnector"]');
    await shot('plugins.png');
  });

  it('shows a validation error beside its field, then creates a FileStream source that reaches RUNNING', async () => {
    await page.goto(`${host.restUrl}/ui/new?class=${encodeURIComponent('org.apache.kafka.connect.file.FileStreamSourceConnector')}`);
    await page.waitForSelector('#field-batch_size');
    await page.type('#field-name', name);
    await page.type('#field-file', input);
    await page.type('#field-topic', topic);
    await page.type('#field-batch_size', '0');
    const error = await page.waitForSelector('[data-key="batch.size"] .field-errors li');
    expect(await error?.evaluate((e) => e.textContent)).toMatch(/batch\.size/);
    expect(await page.$eval('#field-batch_size', (e) => e.getAttribute('aria-invalid'))).toBe('true');
    await shot('connector-form-error.png');

    await page.click('#field-batch_size', { count: 3 });
    await page.keyboard.press('Backspace');
    await page.type('#field-batch_size', '10');
    await page.waitForFunction(`!document.querySelector('[data-key="batch.size"] .field-errors')`);
    feeder = setInterval(() => appendFileSync(input, `line-${++lineNo}\n`.repeat(20)), 200);
    await page.click('#connector-form button[type=submit]');
    await page.waitForFunction(`location.pathname === ${JSON.stringify(`/ui/connectors/${name}`)}`);
    await pageState('RUNNING', 90_000);
    await page.waitForSelector('table.tasks .state-running', { timeout: 90_000 });
    const s = await eventually(async () => {
      const b = await status();
      return b.tasks[0]?.state === 'RUNNING' && b;
    });
    expect(s.connector.state).toBe('RUNNING');
  });

  it('charts the records moving (needs the host metrics endpoint)', async (ctx) => {
    const probe = await fetch(`${host.restUrl}/tributary/metrics/connectors/${name}?range=15m`);
    // The endpoint comes with the host's metrics time series; without it this check cannot run.
    if (probe.status === 404) ctx.skip('GET /tributary/metrics/connectors/{name} is not served by this host yet');
    // A records-in line whose latest value is above zero.
    await page.waitForFunction(
      String.raw`document.querySelector('#chart-records')?.getAttribute('data-has-data') === 'true' &&
        /records-in [^,]*? (0\.\d*[1-9]|[1-9]\d*)(\.\d+)? rec\/s/.test(document.querySelector('#chart-records figcaption')?.textContent ?? '')`,
      { timeout: 90_000 },
    );
    expect(await page.$('#chart-records canvas')).not.toBeNull();
  });

  it('pauses the connector from its page', async () => {
    await shot('connector-page.png');
    // By keyboard: a real button takes focus and Enter presses it.
    const pause = await page.waitForSelector('xpath/.//button[text()="Pause"]');
    await pause?.focus();
    await page.keyboard.press('Enter');
    await pageState('PAUSED', 60_000);
    const s = await eventually(async () => {
      const b = await status();
      return b.connector.state === 'PAUSED' && b;
    });
    expect(s.connector.state).toBe('PAUSED');
    await page.setViewport({ width: 390, height: 844 });
    await shot('connector-page-phone.png');
    await page.setViewport({ width: 1280, height: 800 });
  });

  it('resets the offsets of the stopped connector after a confirmation', async () => {
    const offsets = async () => (await rest<{ offsets: unknown[] }>(host.restUrl, 'GET', `/connectors/${name}/offsets`)).body.offsets ?? [];
    await eventually(async () => (await offsets()).length > 0, { what: 'committed source offsets' });
    const stop = await page.waitForSelector('xpath/.//button[text()="Stop"]');
    await stop?.click();
    await pageState('STOPPED', 60_000);
    const reset = await page.waitForSelector('xpath/.//button[text()="Reset offsets…"]');
    await reset?.click();
    const dialog = await page.waitForSelector('dialog[open]');
    expect(await dialog?.evaluate((d) => d.textContent)).toContain(name);
    await shot('offsets-reset-dialog.png');
    // Nothing happens until it is confirmed.
    expect((await offsets()).length).toBeGreaterThan(0);
    await page.click('dialog[open] button.danger');
    const done = await page.waitForSelector('section[aria-labelledby=offsets-title] [role=status]');
    expect(await done?.evaluate((e) => e.textContent)).toMatch(/reset/i);
    expect(await offsets()).toEqual([]);
  });
});
