// Embedding and offline use: the example portal page drives the app in an iframe with postMessage,
// foreign origins are ignored, the site works under a sub-path, and the single-file build works
// from file:// with every network request blocked.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { startStaticServer } from '../../scripts/static-server.mjs';
import { launchBrowser, openApp, outputPath, serveDist } from './harness.mjs';

let browser;
let app;
let portal;

before(async () => {
  browser = await launchBrowser();
  app = await serveDist();
  // The portal is another origin (another port), as a real docs portal would be.
  portal = await startStaticServer({ root: '.', basePath: '/' });
});

after(async () => {
  await browser?.close();
  app?.server.close();
  portal?.server.close();
});

test('the example portal embeds the app, sets a value by postMessage and hears values-changed', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${portal.url}docs/embed-example.html?app=${encodeURIComponent(app.url)}`);
  await page.waitForFunction(() => window.pecfgMessages?.some((message) => message.type === 'pecfg:ready'));
  await page.click('#set-replicas');
  await page.waitForFunction(() =>
    window.pecfgMessages.some((message) => message.type === 'pecfg:values-changed' && message.values?.replicaCount === 1),
  );
  const frame = page.frameLocator('#configurator');
  assert.match(await frame.locator('#export-preview').textContent(), /replicaCount: 1/);
  assert.equal(await frame.locator('.layout-picker').isVisible(), false, 'hide=picker hides the picker');
  assert.equal(await frame.locator('.site-header').isVisible(), false, 'embed=1 hides the site header');
  const messages = await page.evaluate(() => window.pecfgMessages);
  assert.ok(messages.every((message) => !JSON.stringify(message).includes('secret-value')));
  await page.screenshot({ path: outputPath('embed-portal.png') });
  await context.close();
});

test('messages from a foreign origin are ignored', async () => {
  const portalOrigin = new URL(portal.url).origin;
  const { context, page } = await openApp(browser, `${app.url}?chart=ixn&origin=${encodeURIComponent(portalOrigin)}`);
  // This message comes from the app's own origin, not from the trusted portal.
  await page.evaluate(() => window.postMessage({ type: 'pecfg:set-values', values: { replicaCount: 1 } }, '*'));
  await page.waitForTimeout(200);
  assert.doesNotMatch(await page.locator('#export-preview').textContent(), /replicaCount/);
  await context.close();
});

test('the site works when served under a sub-path', async () => {
  const sub = await startStaticServer({ root: 'dist', basePath: '/tools/pe-configurator/' });
  try {
    const { context, page, requests, errors } = await openApp(browser, sub.url);
    assert.equal(await page.locator('.chart-button').count(), 5);
    assert.ok(requests.every((url) => url.startsWith(sub.url)), 'every asset comes from the sub-path');
    assert.deepEqual(errors, []);
    await context.close();
  } finally {
    sub.server.close();
  }
});

test('the single-file build runs from file:// with the network blocked', async () => {
  const file = resolve('dist-offline/pe-configurator.html');
  assert.ok(existsSync(file), 'scripts/build-single-file.mjs has produced dist-offline/pe-configurator.html');
  const context = await browser.newContext();
  await context.setOffline(true);
  const requests = [];
  await context.route('**/*', (route) => {
    requests.push(route.request().url());
    return route.request().url().startsWith('file:') ? route.continue() : route.abort();
  });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (error) => errors.push(String(error)));
  page.on('console', (message) => message.type() === 'error' && errors.push(message.text()));
  await page.goto(pathToFileURL(file).href);
  await page.waitForSelector('.chart-button');
  await page.click('.chart-button[data-chart="middleware"]');
  await page.locator('.field[data-path="autoscaling.maxReplicas"] input').fill('12');
  assert.match(await page.locator('#export-preview').textContent(), /maxReplicas: 12/);
  assert.deepEqual(requests.filter((url) => !url.startsWith('file:') && !url.startsWith('data:')), []);
  assert.deepEqual(errors, []);
  await page.screenshot({ path: outputPath('offline-single-file.png') });
  await context.close();
});
