// Firefox ESR end-to-end: the lazy tools module (tools/, src/capability.rs). Served, the first load
// asks for none of its files and the values.schema.json tab loads it once, with `pecfg schema`'s
// bytes; from the offline single file over file://, with every other request aborted, the tab
// works from the module inlined in the page.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  cspViolations,
  isModuleFile,
  launchFirefox,
  lazyModules,
  networkRequests,
  openApp,
  openOffline,
  pecfg,
  pickChart,
  serveDist,
} from './harness.mjs';

const SCHEMA = Object.fromEntries(['ges', 'ixn'].map((id) => [id, pecfg('schema', id)]));
const tools = lazyModules().tools;

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

/** Waits until the preview shows exactly `text`. */
const previewIs = (page, text) =>
  page.waitForFunction((expected) => document.querySelector('#export-preview')?.textContent === expected, {}, text);

test('served: the schema tab loads the tools module once and shows pecfg schema\u2019s bytes', async () => {
  const { context, page, requests, errors } = await openApp(firefox.browser, served.url);
  await page.waitForNetworkIdle({ idleTime: 300 });
  assert.deepEqual(requests.filter((url) => isModuleFile(url, tools)), [], 'the first load fetched no tools file');
  await pickChart(page, 'ges');
  await page.click('#tab-values-schema-json');
  await previewIs(page, SCHEMA.ges);
  await pickChart(page, 'ixn');
  await previewIs(page, SCHEMA.ixn);
  await page.click('#tab-values-yaml');
  await page.click('#tab-values-schema-json');
  await previewIs(page, SCHEMA.ixn);
  assert.deepEqual(
    requests.filter((url) => isModuleFile(url, tools)),
    [new URL(tools.js, served.url).href, new URL(tools.wasm, served.url).href],
    'fetched once: the glue, then the wasm',
  );
  assert.deepEqual(networkRequests(requests).filter((url) => !url.startsWith(served.url)), [], 'every request stays on the app origin');
  assert.deepEqual(errors, []);
  assert.deepEqual(await cspViolations(page), [], 'the CSP refused nothing: the import and the wasm are the page\u2019s own');
  await context.close();
});

test('from file://, the single file\u2019s schema tab works with every request aborted', async () => {
  const context = await firefox.browser.createBrowserContext();
  const { page, blocked, errors } = await openOffline(context);
  const csp = await page.$eval('meta[http-equiv="Content-Security-Policy"]', (meta) => meta.content);
  assert.match(csp, /connect-src 'none'/);
  await pickChart(page, 'ixn');
  await page.click('#tab-values-schema-json');
  await previewIs(page, SCHEMA.ixn);
  await pickChart(page, 'ges');
  await previewIs(page, SCHEMA.ges);
  assert.deepEqual(blocked, [], 'the page asked for nothing but its own file');
  assert.deepEqual(errors, []);
  assert.deepEqual(await cspViolations(page), [], 'the CSP refused nothing: both inline modules are hashed');
  await context.close();
});
