// End-to-end: the lazy tools module (tools/, src/capability.rs). The first load asks for none of its
// files; the values.schema.json tab loads it once and shows `pecfg schema`'s bytes; a slow load shows
// "Loading…", a failed one its reason and a Retry that works; it loads under a sub-path and from the
// offline single file.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { catalogFiles, isModuleFile, lazyModules, openApp, openOfflineFile, outputPath, pecfg, pickChart, serveDist, startSuite, stopSuite } from './harness.mjs';

const SCHEMA = Object.fromEntries(['ges', 'ixn', 'middleware'].map((id) => [id, pecfg('schema', id)]));
const tools = lazyModules().tools;
const SCHEMA_TAB = '#tab-values-schema-json';

let browser;
let served;
before(async () => ({ browser, served } = await startSuite()));
after(() => stopSuite({ browser, served }));

const toolsRequests = (requests) => requests.filter((url) => isModuleFile(url, tools));

/** Imports the chart's complete answers file (core/tests/scenarios): no error blocks the exports.
 * Import is a capability of the tools module too: this loads it. */
async function completeAnswers(page, id, back = '#tab-values-yaml') {
  await pickChart(page, id);
  await page.click('#tab-import');
  await page.fill('#import-paste', readFileSync(`core/tests/scenarios/${id}.answers.yaml`, 'utf8'));
  await page.click('#import-button');
  await page.locator('.import-report').waitFor();
  await page.click(back);
  await page.waitForSelector('#download-all:not([disabled])');
}

/** Waits until the preview shows exactly `text` (pecfg's output, byte for byte). */
async function previewIs(page, text) {
  await page.waitForFunction((expected) => document.querySelector('#export-preview')?.textContent === expected, text);
}

/** Routes a tools file (`js` or `wasm`) through `handler` for the whole context; returns the undo. */
async function routeToolsFile(context, which, handler) {
  const matches = (url) => new URL(url).pathname.endsWith(`/${tools[which]}`);
  await context.route(matches, handler);
  return () => context.unroute(matches, handler);
}

test('the build names the tools files by content, and they are there', () => {
  assert.match(tools.js, /^pecfg-tools-[0-9a-f]{16}\.js$/);
  assert.match(tools.wasm, /^pecfg-tools-[0-9a-f]{16}\.wasm$/);
  assert.ok(existsSync(`dist/${tools.js}`) && existsSync(`dist/${tools.wasm}`));
});

test('the first load asks for no tools file; the schema tab loads it once, then every chart\u2019s schema is pecfg\u2019s', async () => {
  const { context, page, requests, errors } = await openApp(browser, served.url);
  await page.waitForLoadState('networkidle');
  assert.deepEqual(toolsRequests(requests), [], 'the first load fetched no tools file');
  const csp = await page.getAttribute('meta[http-equiv="Content-Security-Policy"]', 'content');
  const directive = (name) => csp.split(';').map((part) => part.trim().split(/\s+/)).find(([first]) => first === name).slice(1);
  assert.deepEqual(
    directive('script-src').map((token) => token.replace(/^'sha256-[A-Za-z0-9+/=]+'$/, 'HASH')),
    ["'self'", "'wasm-unsafe-eval'", 'HASH', 'HASH'],
    'script-src is as strict as before: the page\u2019s files, wasm, and by hash trunk\u2019s loader and the chart preload',
  );
  assert.deepEqual(directive('connect-src'), ["'self'"]);

  // The schema tab is the first capability of the tools module asked for.
  await pickChart(page, 'ges');
  await page.waitForLoadState('networkidle');
  assert.deepEqual(toolsRequests(requests), [], 'a chart\u2019s form and values.yaml fetch no tools file');
  await page.click(SCHEMA_TAB);
  await previewIs(page, SCHEMA.ges);
  await completeAnswers(page, 'ges', SCHEMA_TAB);
  await previewIs(page, SCHEMA.ges);
  assert.equal(await page.locator('.module-status').count(), 0, 'no status once the schema shows');
  assert.equal(await page.getAttribute('#export-preview', 'aria-busy'), null);
  assert.equal(await page.locator('#copy-file').isEnabled(), true);
  assert.equal(await page.locator('#download-file').textContent(), 'Download values.schema.json');
  const download = page.waitForEvent('download');
  await page.click('#download-file');
  const saved = await download;
  assert.equal(saved.suggestedFilename(), 'values.schema.json');
  assert.equal(readFileSync(await saved.path(), 'utf8'), SCHEMA.ges, 'the download is pecfg schema ges');

  // Another chart, with the tab open, and again after leaving the tab: no second load.
  await pickChart(page, 'ixn');
  await previewIs(page, SCHEMA.ixn);
  await page.click('#tab-values-yaml');
  await pickChart(page, 'middleware');
  await page.click(SCHEMA_TAB);
  await previewIs(page, SCHEMA.middleware);
  assert.deepEqual(
    toolsRequests(requests),
    [new URL(tools.js, served.url).href, new URL(tools.wasm, served.url).href],
    'the tools module was fetched once: its glue, then its wasm',
  );
  assert.deepEqual(requests.filter((url) => !url.startsWith(served.url)), [], 'every request stays on the app origin');
  assert.deepEqual(errors, [], 'no console error, no CSP refusal');
  await context.close();
});

test('the chart the page opens first is preloaded with the page: one request, made by the preload, for the address\u2019s chart and for the one shown last', async () => {
  const files = catalogFiles();
  const chartRequests = (page, id) => page.evaluate((file) => performance.getEntriesByType('resource')
    .filter((entry) => new URL(entry.name).pathname.endsWith(`/${file}`))
    .map((entry) => entry.initiatorType), files[`${id}.json`]);
  const { context, page } = await openApp(browser, `${served.url}?chart=ixn`);
  await page.waitForSelector('.field-list .field');
  assert.deepEqual(await chartRequests(page, 'ixn'), ['link'], 'ixn.json came once, from the preload');
  await pickChart(page, 'tenant');
  await page.goto(served.url);
  await page.waitForSelector('.field-list .field');
  assert.deepEqual(await chartRequests(page, 'tenant'), ['link'], 'the chart shown last came once, from the preload');
  assert.deepEqual(await chartRequests(page, 'ixn'), [], 'no other chart');
  // A chart id the catalog does not name is passed over, as the app passes it over for the one
  // shown last: the platform file, a prototype key, a path, a line break, markup. The file's name
  // comes from the catalog block only, never from the address.
  for (const hostile of ['platform', '__proto__', 'constructor', '../catalog/ixn', 'ixn\n', '"><script>x</script>']) {
    await page.goto(`${served.url}?chart=${encodeURIComponent(hostile)}`);
    await page.waitForSelector('.field-list .field');
    assert.deepEqual(await chartRequests(page, 'tenant'), ['link'], `${JSON.stringify(hostile)}: the chart shown last, from the preload`);
    const preloads = await page.$$eval('link[rel="preload"]', (links) => links.map((link) => link.getAttribute('href')).filter((href) => href.startsWith('catalog/')));
    assert.deepEqual(preloads.sort(), [files['platform.json'], files['tenant.json']].sort(), `${JSON.stringify(hostile)}: platform.json and the chart shown last`);
  }
  await context.close();
});

test('cold: the time from the click on the schema tab to the schema on screen', async (t) => {
  const { context, page } = await openApp(browser, served.url);
  await page.waitForLoadState('networkidle');
  await pickChart(page, 'ixn');
  // Measured in the page: from the click to the first mutation that puts the schema in the preview.
  const ms = await page.evaluate(async (expected) => {
    const preview = document.querySelector('#export-preview');
    const shown = new Promise((resolve) => {
      new MutationObserver((_, observer) => {
        if (preview.textContent === expected) {
          observer.disconnect();
          resolve(performance.now());
        }
      }).observe(preview, { childList: true, subtree: true, characterData: true });
    });
    const start = performance.now();
    document.querySelector('#tab-values-schema-json').click();
    return (await shown) - start;
  }, SCHEMA.ixn);
  t.diagnostic(`ixn schema after the click, tools module cold: ${ms.toFixed(1)} ms`);
  console.log(`lazy: ixn schema after the click, tools module cold: ${ms.toFixed(1)} ms`);
  assert.ok(ms > 0);
  await context.close();
});

test('while the tools module is on its way, the tab says Loading… and is busy; then the schema shows', async () => {
  const { context, page, requests } = await openApp(browser, served.url);
  let release;
  const held = new Promise((resolve) => (release = resolve));
  await routeToolsFile(context, 'js', async (route) => {
    await held;
    await route.continue();
  });
  await pickChart(page, 'ges');
  await page.click(SCHEMA_TAB);
  const status = page.locator('.module-status[aria-busy="true"][role="status"]');
  await status.filter({ hasText: 'Loading\u2026' }).waitFor();
  assert.equal(await page.getAttribute('#export-preview', 'aria-busy'), 'true');
  assert.equal(await page.locator('#export-preview').textContent(), '', 'nothing pretends to be the file');
  assert.equal(await page.locator('#copy-file').isDisabled(), true, 'Copy waits for the file');
  assert.equal(await page.locator('#download-file').isDisabled(), true, 'Download waits for the file');
  await page.screenshot({ path: outputPath('lazy-loading.png') });
  release();
  await previewIs(page, SCHEMA.ges);
  assert.equal(await status.count(), 0);
  await completeAnswers(page, 'ges', SCHEMA_TAB);
  await previewIs(page, SCHEMA.ges);
  assert.equal(await page.locator('#download-file').isEnabled(), true);
  assert.equal(toolsRequests(requests).length, 2);
  await context.close();
});

for (const which of ['js', 'wasm']) {
  test(`with the tools ${which} request aborted, the tab shows why and a Retry that loads it`, async () => {
    const { context, page, requests, errors } = await openApp(browser, served.url);
    const unblock = await routeToolsFile(context, which, (route) => route.abort('connectionrefused'));
    await pickChart(page, 'ixn');
    await page.click(SCHEMA_TAB);
    const failed = page.locator('.module-failed[role="alert"]');
    await failed.waitFor();
    assert.match(await failed.locator('.module-error').textContent(), /^Could not load the tools module: ./);
    const retry = failed.getByRole('button', { name: 'Retry' });
    assert.equal(await retry.isEnabled(), true, 'Retry is a live button');
    assert.equal(await page.locator('#export-preview').textContent(), '');
    assert.equal(await page.locator('#download-file').isDisabled(), true);
    await page.screenshot({ path: outputPath(`lazy-failed-${which}.png`) });
    // Another tab and back: still the failure, not a silent empty file.
    await page.click('#tab-values-yaml');
    await page.click(SCHEMA_TAB);
    await failed.waitFor();

    await unblock();
    await retry.click();
    await previewIs(page, SCHEMA.ixn);
    assert.equal(await failed.count(), 0);
    await completeAnswers(page, 'ixn', SCHEMA_TAB);
    assert.equal(await page.locator('#download-file').isEnabled(), true);
    // The retry asks for the glue again under a new URL (a browser may keep a failed module
    // fetch), and for the wasm again.
    const asked = toolsRequests(requests);
    assert.equal(asked.at(-2), `${new URL(tools.js, served.url).href}?attempt=2`);
    assert.equal(asked.at(-1), new URL(tools.wasm, served.url).href);
    // Only the browser's report of the refused request, nothing of the app's.
    assert.deepEqual(errors.filter((error) => !/ERR_CONNECTION_REFUSED|Failed to load resource/.test(error)), []);
    await context.close();
  });
}

test('served under a sub-path, the tools module comes from the sub-path', async () => {
  const sub = await serveDist('/tools/pe-configurator/');
  try {
    const { context, page, requests, errors } = await openApp(browser, `${sub.url}?chart=middleware`);
    await page.click(SCHEMA_TAB);
    await previewIs(page, SCHEMA.middleware);
    assert.deepEqual(toolsRequests(requests), [new URL(tools.js, sub.url).href, new URL(tools.wasm, sub.url).href]);
    assert.ok(requests.every((url) => url.startsWith(sub.url)), 'every file comes from the sub-path');
    assert.deepEqual(errors, []);
    await context.close();
  } finally {
    sub.server.close();
  }
});

test('the offline single file carries the tools module: the schema tab works from file:// with every request refused', async () => {
  const { context, page, refused: requests, errors } = await openOfflineFile(browser);
  await pickChart(page, 'ixn');
  await page.click(SCHEMA_TAB);
  await previewIs(page, SCHEMA.ixn);
  const csp = await page.getAttribute('meta[http-equiv="Content-Security-Policy"]', 'content');
  assert.match(csp, /connect-src 'none'/);
  assert.match(csp, /script-src 'wasm-unsafe-eval'( 'sha256-[^']+'){2};/, 'the tools glue and the app\u2019s loader, hashed');
  assert.deepEqual(requests.filter((url) => !url.startsWith('file:')), [], 'nothing but the file itself');
  assert.deepEqual(errors, []);
  await context.close();
});
