// End-to-end: the release build loads in real Chromium, renders the shell, and requests nothing but its own files.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { catalogFiles, lazyModules, openApp, outputPath, startSuite, stopSuite } from './harness.mjs';

// The chart ids come from the CLI, which reads the same catalog as the app.
const charts = execFileSync('cargo', ['run', '-q', '-p', 'pecfg', '--', 'charts'], { encoding: 'utf8' }).trim().split('\n');

let browser;
let served;
before(async () => ({ browser, served } = await startSuite()));
after(() => stopSuite({ browser, served }));

test('the shell renders a picker button per chart and the start view; a chart opens its form', async () => {
  const { context, page, errors } = await openApp(browser, served.url);
  assert.equal(await page.locator('.chart-button').count(), charts.length);
  assert.equal(await page.locator('h1').textContent(), 'pe-configurator');
  // A first visit starts with what to do first, not a form full of errors.
  assert.equal(await page.locator('.start-card').count(), charts.length);
  assert.equal(await page.locator('.field').count(), 0);
  await page.click('#start-ixn');
  await page.waitForSelector('.field');
  assert.ok((await page.locator('.field').count()) > 0, 'the form area lists parameters');
  assert.deepEqual(errors, [], 'no console errors (a CSP violation would show here)');
  await context.close();
});

test('a full scenario requests nothing after load but the lazy tools module, and nothing ever leaves the local server', async () => {
  const { context, page, requests } = await openApp(browser, served.url);
  await page.waitForLoadState('networkidle');
  const atLoad = requests.length;
  // Pick a chart, fill values and a secret, look at every export, and download them all.
  await page.click('.chart-button[data-chart="middleware"]');
  await page.locator('.field[data-path="autoscaling.maxReplicas"] input').fill('6');
  await page.locator('.field[data-path="genesys-integration-secrets/client-secret"] input').fill('s3cret');
  for (const tab of ['#tab-secrets-yaml', '#tab-commands-sh', '#tab-values-schema-json', '#tab-values-yaml']) {
    await page.click(tab);
    // The schema comes from the lazy tools module: its two files are the only requests after load.
    if (tab === '#tab-values-schema-json') await page.waitForFunction(() => document.querySelector('#export-preview').textContent.startsWith('{\n'));
  }
  const download = page.waitForEvent('download');
  await page.click('#download-all');
  assert.match((await download).suggestedFilename(), /^middleware-.*\.zip$/);
  for (const id of charts) await page.click(`.chart-button[data-chart="${id}"]`);
  const network = (url) => !url.startsWith('data:') && !url.startsWith('blob:');
  const { tools } = lazyModules();
  const catalog = catalogFiles();
  assert.deepEqual(
    requests.slice(atLoad).filter(network),
    [
      new URL(catalog['middleware.json'], served.url).href,
      new URL(tools.js, served.url).href,
      new URL(tools.wasm, served.url).href,
      ...charts.filter((id) => id !== 'middleware').map((id) => new URL(catalog[`${id}.json`], served.url).href),
    ],
    'after load, only each chart\u2019s file when it is first shown and the tools module the other tabs asked for, once each',
  );
  assert.deepEqual(requests.filter((url) => network(url) && !url.startsWith(served.url)), [], 'every request stays on the app origin');
  await context.close();
});

test('light and dark themes follow prefers-color-scheme', async () => {
  const backgrounds = {};
  for (const colorScheme of ['light', 'dark']) {
    const { context, page } = await openApp(browser, served.url, { colorScheme });
    backgrounds[colorScheme] = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    await page.screenshot({ path: outputPath(`shell-${colorScheme}.png`), fullPage: false });
    await context.close();
  }
  assert.notEqual(backgrounds.light, backgrounds.dark);
});

test('the Content-Security-Policy forbids connections to other origins', async () => {
  const { context, page } = await openApp(browser, served.url);
  const csp = await page.getAttribute('meta[http-equiv="Content-Security-Policy"]', 'content');
  assert.match(csp, /connect-src 'self'/);
  assert.match(csp, /default-src 'none'/);
  const blocked = await page.evaluate(async () => {
    try {
      await fetch('https://example.com/');
      return false;
    } catch {
      return true;
    }
  });
  assert.equal(blocked, true, 'a fetch to another origin is refused');
  await context.close();
});
