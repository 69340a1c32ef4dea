// Firefox ESR end-to-end: the offline single file dist-offline/pe-configurator.html opened from
// file:// (as by double-click) with every non-file request aborted: it loads, fills, downloads the
// CLI's bytes, keeps a draft across a reload, and its share links (file:// URLs) restore the state.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { cspViolations, fill, launchFirefox, OFFLINE_FILE as FILE, openOffline, outputPath, pecfg, pickChart, previewText, revealField, waitForDownload, watchErrors } from './harness.mjs';


let firefox;

before(async () => {
  firefox = await launchFirefox();
});

after(async () => {
  await firefox?.close();
});

test('the single file runs from file:// with the network blocked: it loads, fills and downloads', async () => {
  assert.ok(existsSync(FILE), 'scripts/build-single-file.mjs has produced dist-offline/pe-configurator.html');
  const context = await firefox.browser.createBrowserContext();
  const { page, blocked, errors } = await openOffline(context);
  assert.ok(page.url().startsWith('file:'), page.url());
  const csp = await page.$eval('meta[http-equiv="Content-Security-Policy"]', (meta) => meta.content);
  assert.match(csp, /connect-src 'none'/);
  await pickChart(page, 'middleware');
  await fill(page, '.field[data-path="autoscaling.maxReplicas"] input', '12');
  await page.waitForFunction(() => document.querySelector('#export-preview')?.textContent.includes('maxReplicas: 12'));
  await page.click('#download-file');
  const values = await waitForDownload(firefox.downloads, 'middleware-values.yaml');
  const zipName = await page.$eval('#download-all', (button) => button.textContent.match(/\(([^)]+\.zip)\)/)[1]);
  await page.click('#download-all');
  const zip = await waitForDownload(firefox.downloads, zipName);

  const work = mkdtempSync(join(tmpdir(), 'pecfg-firefox-offline-'));
  writeFileSync(join(work, 'answers.yaml'), 'chart: middleware\nvalues:\n  autoscaling:\n    maxReplicas: 12\n');
  pecfg('render', 'middleware', '--answers', join(work, 'answers.yaml'), '--out', join(work, 'out'), '--zip');
  assert.ok(readFileSync(join(work, 'out', 'middleware-values.yaml')).equals(values), 'the download equals pecfg render\u2019s values file');
  assert.ok(readFileSync(join(work, 'out', zipName)).equals(zip), 'the zip equals pecfg render --zip');
  assert.match(await previewText(page), /maxReplicas: 12/);
  assert.deepEqual(blocked, [], 'the page asked for nothing but its own file');
  assert.deepEqual(errors, [], 'no console error');
  assert.deepEqual(await cspViolations(page), [], 'the CSP refused nothing (the inline script, the wasm, the styles)');
  await page.screenshot({ path: outputPath('firefox-offline-single-file.png') });
  // connect-src 'none': even a fetch to loopback is refused by the CSP (and the recorder sees it).
  const refused = await page.evaluate(() => fetch('http://127.0.0.2:9/').then(() => false, () => true));
  assert.equal(refused, true);
  await page.waitForFunction(() => window.__pecfgCspViolations.length > 0, { timeout: 5000 });
  assert.deepEqual(await cspViolations(page), ['connect-src http://127.0.0.2:9/']);
  await context.close();
});

test('from file://, a draft survives a reload', async () => {
  const context = await firefox.browser.createBrowserContext();
  const { page, blocked, errors } = await openOffline(context);
  await pickChart(page, 'middleware');
  await fill(page, '.field[data-path="autoscaling.maxReplicas"] input', '13');
  await page.reload();
  await page.waitForSelector('.chart-button');
  await pickChart(page, 'middleware');
  assert.equal(await page.$eval('.field[data-path="autoscaling.maxReplicas"] input', (input) => input.value), '13');
  assert.deepEqual(blocked, []);
  assert.deepEqual(errors, []);
  assert.deepEqual(await cspViolations(page), []);
  await context.close();
});

test('from file://, a share link restores the state in a fresh context', async () => {
  const first = await firefox.browser.createBrowserContext();
  const { page } = await openOffline(first);
  await pickChart(page, 'ixn');
  await revealField(page, 'tenant.id');
  await fill(page, '.field[data-path="tenant.id"] input', '9350e2fc-a1dd-4c65-8d40-1f75a2e080dd');
  await page.click('#share-link');
  await page.waitForSelector('#share-url');
  const url = await page.$eval('#share-url', (input) => input.value);
  assert.ok(url.startsWith(`${pathToFileURL(FILE).href}#v1.`), url);
  await first.close();

  const fresh = await firefox.browser.createBrowserContext();
  const page2 = await fresh.newPage();
  const errors = await watchErrors(page2);
  await page2.goto(url);
  await page2.waitForSelector('.chart-button[data-chart="ixn"][aria-pressed="true"]');
  await revealField(page2, 'tenant.id');
  assert.equal(await page2.$eval('.field[data-path="tenant.id"] input', (input) => input.value), '9350e2fc-a1dd-4c65-8d40-1f75a2e080dd');
  assert.deepEqual(errors, []);
  await fresh.close();
});

test('from file://, a values file picked in the file input is imported', async () => {
  const context = await firefox.browser.createBrowserContext();
  const { page, blocked, errors } = await openOffline(context);
  await pickChart(page, 'ixn');
  await page.click('#tab-import');
  const input = await page.waitForSelector('#import-file');
  await input.uploadFile(resolve('tests/fixtures/ixn-override_values.yaml'));
  await page.waitForSelector('.import-report');
  assert.deepEqual(await page.$$eval('.report-unknown li', (items) => items.map((item) => item.textContent)), [], 'every key of the guide\u2019s sample is known');
  await revealField(page, 'replicaCount');
  assert.equal(await page.$eval('.field[data-path="replicaCount"] input', (field) => field.value), '1', 'the form shows the imported value');
  assert.deepEqual(blocked, []);
  assert.deepEqual(errors, []);
  await context.close();
});
