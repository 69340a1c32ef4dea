// Firefox ESR end-to-end: the release build served on 127.0.0.1 renders every chart's fields, a filled
// form downloads values.yaml, secrets.yaml, commands.sh and the zip with the CLI's exact bytes, and the
// CSP keeps every request on the page's own origin.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  catalogFiles,
  cspViolations,
  fill,
  launchFirefox,
  lazyModules,
  networkRequests,
  openApp,
  outputPath,
  pecfg,
  pickChart,
  previewText,
  renderAllFields,
  revealField,
  serveDist,
  waitForDownload,
} from './harness.mjs';

const charts = pecfg('charts').trim().split('\n');
const catalogs = Object.fromEntries(charts.map((id) => [id, JSON.parse(pecfg('catalog', id))]));

let firefox;
let served;

before(async () => {
  firefox = await launchFirefox();
  served = await serveDist();
});

after(async () => {
  await firefox?.close();
  served?.server.close();
});

test('the shell loads in Firefox with no console error and only its own files', async () => {
  const { context, page, requests, errors } = await openApp(firefox.browser, served.url);
  assert.match(await firefox.browser.version(), /^firefox\//i);
  assert.equal(await page.$$eval('.chart-button', (buttons) => buttons.length), charts.length);
  assert.equal(await page.$eval('h1', (h1) => h1.textContent), 'pe-configurator');
  assert.ok(requests.some((url) => url.endsWith('_bg.wasm')), `the recorder saw the wasm request (${requests.join(', ')})`);
  assert.deepEqual(networkRequests(requests).filter((url) => !url.startsWith(served.url)), [], 'every request stays on the app origin');
  assert.deepEqual(errors, [], 'no console errors');
  assert.deepEqual(await cspViolations(page), [], 'the CSP refused nothing of the app\u2019s own');
  await page.screenshot({ path: outputPath('firefox-shell.png') });
  await context.close();
});

describe('every catalog input has exactly one field in Firefox', () => {
  for (const id of charts) {
    test(id, async () => {
      const { context, page, errors } = await openApp(firefox.browser, served.url);
      await pickChart(page, id);
      await renderAllFields(page);
      const rendered = await page.$$eval('.field[data-kind]', (fields) => fields.map((field) => field.dataset.path));
      assert.deepEqual([...rendered].sort(), catalogs[id].map((entry) => entry.path).sort(), 'the fields are pecfg catalog\u2019s inputs');
      assert.deepEqual(errors, []);
      await context.close();
    });
  }
});

// Characters a shell, YAML and a UTF-8 download can each get wrong.
const SECRET = "s3cr3t-\u00c4\u00d6-'q'-\"dq\"-$VAR-`cmd`";

test('a boolean without a value shows "not set" in Firefox too, and a click on it sets true', async () => {
  // Issue 30: the switch showed false for a required boolean that validation found without a value.
  // How a browser draws and clicks an indeterminate checkbox is its own, so Firefox checks it too.
  const { context, page, errors } = await openApp(firefox.browser, served.url);
  await pickChart(page, 'ixn');
  const path = 'ixnService.ixnServer.secrets.db.enabled';
  await revealField(page, path);
  const selector = `.field[data-path="${path}"]`;
  const state = () => page.$eval(selector, (field) => ({
    text: field.querySelector('.switch-text').textContent.trim(),
    indeterminate: field.querySelector('input[type=checkbox]').indeterminate,
    missing: [...field.querySelectorAll('.message.error')].some((message) => message.textContent.includes('has no value')),
  }));
  await page.waitForFunction((selector) => document.querySelector(`${selector} .message.error`)?.textContent.includes('has no value'), {}, selector);
  assert.deepEqual(await state(), { text: 'not set', indeterminate: true, missing: true });
  await page.click(`${selector} input[type=checkbox]`);
  await page.waitForFunction((selector) => document.querySelector(`${selector} .switch-text`).textContent.trim() === 'true', {}, selector);
  assert.deepEqual(await state(), { text: 'true', indeterminate: false, missing: false });
  await page.click(`${selector} input[type=checkbox]`);
  await page.waitForFunction((selector) => document.querySelector(`${selector} .switch-text`).textContent.trim() === 'false', {}, selector);
  assert.deepEqual(await state(), { text: 'false', indeterminate: false, missing: false });
  assert.deepEqual(errors, []);
  await context.close();
});

test('a filled form downloads values.yaml, secrets.yaml, commands.sh and the zip with the CLI\u2019s bytes', async () => {
  const { context, page, requests, errors } = await openApp(firefox.browser, served.url);
  await pickChart(page, 'middleware');
  await fill(page, '.field[data-path="autoscaling.maxReplicas"] input', '6');
  await fill(page, '.field[data-path="genesys.polling_interval_seconds"] input', '45');
  await fill(page, '.field[data-path="genesys-integration-secrets/client-secret"] input', SECRET);
  await page.waitForFunction(() => document.querySelector('#export-preview')?.textContent.includes('maxReplicas: 6'));
  assert.match(await previewText(page), /polling_interval_seconds: 45/);

  const downloaded = {};
  for (const [tab, name] of [
    ['#tab-values-yaml', 'middleware-values.yaml'],
    ['#tab-secrets-yaml', 'secrets.yaml'],
    ['#tab-commands-sh', 'commands.sh'],
  ]) {
    await page.click(tab);
    await page.waitForFunction((file) => document.querySelector('#download-file')?.textContent.includes(file), {}, name);
    await page.click('#download-file');
    downloaded[name] = await waitForDownload(firefox.downloads, name);
  }
  const zipName = await page.$eval('#download-all', (button) => button.textContent.match(/\(([^)]+\.zip)\)/)[1]);
  await page.click('#download-all');
  downloaded[zipName] = await waitForDownload(firefox.downloads, zipName);

  // The same answers, written as the answers file the CLI reads.
  const work = mkdtempSync(join(tmpdir(), 'pecfg-firefox-render-'));
  const answers = join(work, 'answers.yaml');
  writeFileSync(
    answers,
    `chart: middleware\nvalues:\n  autoscaling:\n    maxReplicas: 6\n  genesys:\n    polling_interval_seconds: 45\n` +
      `secrets:\n  genesys-integration-secrets:\n    client-secret: ${JSON.stringify(SECRET)}\n`,
  );
  pecfg('render', 'middleware', '--answers', answers, '--out', join(work, 'out'), '--zip');
  for (const [name, bytes] of Object.entries(downloaded)) {
    assert.ok(readFileSync(join(work, 'out', name)).equals(bytes), `${name}: Firefox's download equals pecfg render's file`);
  }
  assert.ok(downloaded['secrets.yaml'].toString('utf8').includes(Buffer.from(SECRET).toString('base64')), 'the download holds the real secret');
  assert.deepEqual(networkRequests(requests).filter((url) => !url.startsWith(served.url)), [], 'no request leaves the origin');
  assert.deepEqual(errors, []);
  assert.deepEqual(await cspViolations(page), []);
  await context.close();
});

test('"Download offline copy" saves the single file', async () => {
  const { context, page } = await openApp(firefox.browser, served.url);
  await page.click('a.offline-download');
  const saved = await waitForDownload(firefox.downloads, 'pe-configurator.html');
  assert.ok(saved.equals(readFileSync('dist-offline/pe-configurator.html')), 'the download is dist-offline/pe-configurator.html');
  await context.close();
});

test('after load, a full scenario requests nothing but the lazy tools module', async () => {
  const { context, page, requests } = await openApp(firefox.browser, served.url);
  await page.waitForNetworkIdle({ idleTime: 300 });
  const atLoad = requests.length;
  await pickChart(page, 'ixn');
  await revealField(page, 'replicaCount');
  await fill(page, '.field[data-path="replicaCount"] input', '1');
  for (const tab of ['#tab-secrets-yaml', '#tab-commands-sh', '#tab-values-schema-json', '#tab-edit-yaml', '#tab-diff', '#tab-values-yaml']) {
    await page.click(tab);
    // The schema comes from the lazy tools module: its two files are the only requests after load.
    if (tab === '#tab-values-schema-json') await page.waitForFunction(() => document.querySelector('#export-preview').textContent.startsWith('{\n'));
  }
  for (const id of charts) await pickChart(page, id);
  await page.click('#share-link');
  const { tools } = lazyModules();
  // Each chart's catalog file when the chart is first shown (src/catalog.rs; platform.json is
  // preloaded with the page), and the tools module the schema tab asked for: each once.
  const expected = [tools.js, tools.wasm, ...charts.map((id) => catalogFiles()[`${id}.json`])].map((file) => new URL(file, served.url).href);
  const after = networkRequests(requests.slice(atLoad));
  assert.deepEqual([...after].sort(), [...expected].sort(), 'after load, only the files of what was asked for, once (src/capability.rs, src/catalog.rs)');
  await context.close();
});

test('the Content-Security-Policy refuses a connection to another origin and reports it', async () => {
  const { context, page } = await openApp(firefox.browser, served.url);
  const csp = await page.$eval('meta[http-equiv="Content-Security-Policy"]', (meta) => meta.content);
  assert.match(csp, /default-src 'none'/);
  assert.match(csp, /connect-src 'self'/);
  const refused = await page.evaluate(async () => {
    try {
      await fetch('http://127.0.0.2:9/');
      return false;
    } catch {
      return true;
    }
  });
  assert.equal(refused, true, 'the fetch fails');
  // The violation event is dispatched asynchronously; it proves the CSP refused it, not the network.
  await page.waitForFunction(() => window.__pecfgCspViolations.length > 0, { timeout: 5000 });
  assert.deepEqual(await cspViolations(page), ['connect-src http://127.0.0.2:9/']);
  await context.close();
});
