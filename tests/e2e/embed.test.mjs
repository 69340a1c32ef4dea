// Embedding and offline use: the example portal page drives the app in an iframe with postMessage;
// the threat model holds against foreign pages on other ports (unlisted frames, non-parent frames,
// openers, malformed messages) and no message carries a secret or sensitive value; the site works
// under a sub-path, and the single-file build works from file:// with every network request blocked.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { startStaticServer } from '../../scripts/static-server.mjs';
import { launchBrowser, openApp, openOfflineFile, outputPath, pecfg, revealField, serveDist } from './harness.mjs';

let browser;
let app;
let portal;
let host;
let other;

before(async () => {
  browser = await launchBrowser();
  app = await serveDist();
  // The portal is another origin (another port), as a real docs portal would be.
  portal = await startStaticServer({ root: '.', basePath: '/' });
  // Two more origins for the threat-model tests: a host page, and an origin that is listed but not the parent.
  host = await startStaticServer({ root: 'tests/e2e/host', basePath: '/' });
  other = await startStaticServer({ root: 'tests/e2e/host', basePath: '/' });
  host.origin = new URL(host.url).origin;
  other.origin = new URL(other.url).origin;
});

after(async () => {
  await browser?.close();
  app?.server.close();
  portal?.server.close();
  host?.server.close();
  other?.server.close();
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

// The embedding threat model (docs/embedding.md), tried from genuinely foreign pages: host.html is
// served by other servers on other ports, so every message crosses origins as in production.
const SENSITIVE = 'sens-db-pass-42';
const SECRET = 'secret-kafka-77';
const SENSITIVE_FIELD = '.field[data-path="ixnService.ixnServer.secrets.db.password"] input';
const SECRET_FIELD = '.field[data-path="kafka-shared-secret/kafka-secrets/password"] input';

const appUrl = (params) => `${app.url}?${new URLSearchParams(params)}`;

async function openHost(server, query) {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, acceptDownloads: true });
  const page = await context.newPage();
  await page.goto(`${server.url}host.html?${query}`);
  return { context, page };
}

async function framedApp(server, params, extra = '') {
  const opened = await openHost(server, `src=${encodeURIComponent(appUrl(params))}${extra}`);
  await opened.page.frameLocator('#app').locator('.chart-button').first().waitFor();
  return { ...opened, frame: opened.page.frameLocator('#app'), appFrame: () => opened.page.frame({ name: 'app' }) };
}

const received = (page) => page.evaluate(() => window.received);
const draftOf = (frame, chart) => frame.evaluate((id) => localStorage.getItem(`pecfg.draft.${id}`), chart);

test('a listed host gets values-changed without any secret or sensitive value, and what it sets is not saved as the draft', async () => {
  const { context, page, frame, appFrame } = await framedApp(host, { chart: 'ixn', origin: host.origin });
  await page.waitForFunction(() => window.received.some((message) => message.data?.type === 'pecfg:ready'));

  await page.evaluate(() => window.sendToApp({ type: 'pecfg:set-values', values: { replicaCount: 1 } }));
  await page.waitForFunction(() =>
    window.received.some((message) => message.data?.type === 'pecfg:values-changed' && message.data.values?.replicaCount === 1),
  );
  assert.match(await frame.locator('#export-preview').textContent(), /replicaCount: 1/);
  // The draft writer waits 250 ms; what the host set must not be in the user's storage.
  await page.waitForTimeout(800);
  assert.ok(!(await draftOf(appFrame(), 'ixn') ?? '').includes('replicaCount'), 'host-set values are not saved as the draft');

  // The user types a secret, a sensitive value and an ordinary one: now the draft is theirs.
  await frame.locator(SECRET_FIELD).fill(SECRET);
  await revealField(frame, 'ixnService.ixnServer.secrets.db.password');
  await revealField(frame, 'tenant.sid');
  await frame.locator(SENSITIVE_FIELD).fill(SENSITIVE);
  await frame.locator('.field[data-path="tenant.sid"] input').fill('0100');
  await page.waitForFunction(() =>
    window.received.some((message) => message.data?.type === 'pecfg:values-changed' && message.data.values?.tenant?.sid === '0100'),
  );
  await page.waitForTimeout(800);
  const draft = await draftOf(appFrame(), 'ixn');
  assert.match(draft, /"sid":"0100"/, 'after a user edit the draft is written');
  assert.ok(!draft.includes(SENSITIVE) && !draft.includes(SECRET));

  const messages = await received(page);
  assert.ok(messages.length >= 3);
  assert.ok(messages.every((message) => message.origin === new URL(app.url).origin));
  for (const message of messages) {
    const text = JSON.stringify(message.data);
    assert.ok(!text.includes(SENSITIVE), `no message carries the sensitive value: ${text.slice(0, 200)}`);
    assert.ok(!text.includes(SECRET), `no message carries the secret: ${text.slice(0, 200)}`);
  }
  // The sensitive value is in the user's form all the same.
  assert.equal(await frame.locator(SENSITIVE_FIELD).inputValue(), SENSITIVE);
  await context.close();
});

test('the exported message carries values.yaml and the schema, without the sensitive value', async () => {
  const { context, page, frame } = await framedApp(host, { chart: 'ges', origin: host.origin });
  await page.waitForFunction(() => window.received.some((message) => message.data?.type === 'pecfg:ready'));
  // A complete GES answers file (no errors, so exports are allowed), then the user's own credential.
  await frame.locator('#tab-import').click();
  await frame.locator('#import-paste').fill(readFileSync('core/tests/scenarios/ges.answers.yaml', 'utf8'));
  await frame.locator('#import-button').click();
  await frame.locator('.import-report').waitFor();
  await revealField(frame, 'ges.configMap.env.decrypt_password');
  await frame.locator('.field[data-path="ges.configMap.env.decrypt_password"] input').fill(SENSITIVE);
  await frame.locator('#tab-values-yaml').click();
  await frame.locator('#reveal-secrets').check();
  assert.ok((await frame.locator('#export-preview').textContent()).includes(SENSITIVE), 'the real file holds it');
  const download = context.waitForEvent('download');
  await frame.locator('#download-file').click();
  await download;
  await page.waitForFunction(() => window.received.some((message) => message.data?.type === 'pecfg:exported'));
  const exported = (await received(page)).find((message) => message.data.type === 'pecfg:exported').data;
  assert.equal(exported.chart, 'ges');
  assert.deepEqual(Object.keys(exported.files), ['ges-values.yaml', 'values.schema.json']);
  assert.match(exported.files['ges-values.yaml'], /ges:/);
  // The schema comes from the lazy tools module, loaded for this message: pecfg's bytes.
  assert.equal(exported.files['values.schema.json'], pecfg('schema', 'ges'));
  assert.ok(!JSON.stringify(exported).includes(SENSITIVE), 'the host does not get the sensitive value');
  for (const message of await received(page)) assert.ok(!JSON.stringify(message.data).includes(SENSITIVE));
  await context.close();
});

test('malformed or oversized messages from the host are refused with pecfg:error and change nothing', async () => {
  // Two origins listed: the replies still reach the parent, the one the browser reports.
  const { context, page, frame } = await framedApp(host, { chart: 'middleware', origin: `${other.origin},${host.origin}` });
  await page.waitForFunction(() => window.received.some((message) => message.data?.type === 'pecfg:ready'));
  const before = await frame.locator('#export-preview').textContent();
  const hostile = [
    { type: 'pecfg:set-values', values: 5 },
    { type: 'pecfg:set-values', values: [] },
    { type: 'pecfg:set-values', values: null },
    { type: 'pecfg:set-values', values: 'hunter2-as-values' },
    { type: 'pecfg:set-values', chart: 'zzz', values: {} },
    { type: 'pecfg:set-values', values: { autoscaling: { maxReplicas: 4 } }, extra: 1 },
    { type: 'pecfg:set-values', values: { big: 'x'.repeat(300 * 1024) } },
    { type: 'pecfg:unknown' },
  ];
  for (const message of hostile) await page.evaluate((m) => window.sendToApp(m), message);
  // Messages not addressed to the API get no answer at all.
  await page.evaluate(() => {
    window.sendToApp('hello');
    window.sendToApp({ type: 'webpack:ok' });
  });
  await page.waitForFunction((count) => window.received.filter((message) => message.data?.type === 'pecfg:error').length >= count, hostile.length);
  await page.waitForTimeout(300);
  const errors = (await received(page)).filter((message) => message.data?.type === 'pecfg:error');
  assert.equal(errors.length, hostile.length, 'one answer per refused message');
  assert.ok(errors.every((message) => typeof message.data.message === 'string' && message.data.message.length > 0));
  assert.ok(errors.every((message) => !message.data.message.includes('hunter2')), 'refusals do not quote what was sent');
  assert.equal(await frame.locator('#export-preview').textContent(), before, 'nothing was applied');
  assert.ok(await frame.locator('.chart-button').first().isVisible(), 'the page is alive');
  await context.close();
});

test('a second frame of the listed origin is not the parent: its messages are ignored', async () => {
  const { context, page, frame } = await framedApp(host, { chart: 'middleware', origin: host.origin }, '&sibling=1');
  await page.waitForFunction(() => window.received.some((message) => message.data?.type === 'pecfg:ready'));
  const sibling = page.frame({ name: 'sibling' });
  await sibling.waitForFunction(() => document.readyState === 'complete');
  await sibling.evaluate(() =>
    window.parent.frames.app.postMessage({ type: 'pecfg:set-values', values: { autoscaling: { maxReplicas: 13 } } }, '*'),
  );
  await page.waitForTimeout(400);
  assert.doesNotMatch(await frame.locator('#export-preview').textContent(), /maxReplicas: 13/);
  assert.ok(!(await received(page)).some((message) => message.data?.type === 'pecfg:error'), 'no answer to a non-parent');
  // The same message from the parent is applied: the channel itself works.
  await page.evaluate(() => window.sendToApp({ type: 'pecfg:set-values', values: { autoscaling: { maxReplicas: 13 } } }));
  await frame.locator('#export-preview', { hasText: 'maxReplicas: 13' }).waitFor();
  await context.close();
});

describe('a frame that origin= does not list gets no API', () => {
  const cases = [
    ['no origin=', () => ({ chart: 'middleware' })],
    ['another origin listed', () => ({ chart: 'middleware', origin: other.origin })],
    ['origin=*', () => ({ chart: 'middleware', origin: '*' })],
    ['origin=null', () => ({ chart: 'middleware', origin: 'null' })],
    ['a list with a bad entry', () => ({ chart: 'middleware', origin: `${host.origin},*` })],
    ['a non-http origin', () => ({ chart: 'middleware', origin: 'file://' })],
  ];
  for (const [name, params] of cases) {
    test(name, async () => {
      const { context, page, frame, appFrame } = await framedApp(host, params());
      await frame.locator('.field[data-path="autoscaling.maxReplicas"] input').fill('7');
      await page.evaluate(() => window.sendToApp({ type: 'pecfg:set-values', values: { autoscaling: { minReplicas: 5 } } }));
      await page.waitForTimeout(800);
      assert.deepEqual(await received(page), [], 'the host hears nothing');
      assert.doesNotMatch(await frame.locator('#export-preview').textContent(), /minReplicas: 5/);
      assert.ok(!(await draftOf(appFrame(), 'middleware') ?? '').includes('minReplicas'));
      await context.close();
    });
  }
});

test('a page that window.opens the app gets no API, even when it names itself in origin=', async () => {
  const { context, page } = await openHost(host, 'role=blank');
  const popupPromise = context.waitForEvent('page');
  await page.evaluate((url) => {
    window.opened = window.open(url, '_blank');
  }, appUrl({ chart: 'middleware', origin: host.origin }));
  const popup = await popupPromise;
  await popup.waitForSelector('.chart-button');
  for (let attempt = 0; attempt < 5; attempt += 1) {
    await page.evaluate(() =>
      window.opened.postMessage({ type: 'pecfg:set-values', values: { autoscaling: { maxReplicas: 99 } } }, '*'),
    );
    await page.waitForTimeout(100);
  }
  await popup.locator('.field[data-path="autoscaling.minReplicas"] input').fill('2');
  await popup.waitForTimeout(800);
  assert.doesNotMatch(await popup.locator('#export-preview').textContent(), /maxReplicas: 99/);
  const draft = await popup.evaluate(() => localStorage.getItem('pecfg.draft.middleware'));
  assert.match(draft, /"minReplicas":2/, 'the user\u2019s own edit is saved');
  assert.ok(!draft.includes('99'), 'the opener planted nothing in storage');
  assert.deepEqual(await received(page), [], 'the opener hears nothing');
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
  const { context, page, refused, errors } = await openOfflineFile(browser);
  await page.click('.chart-button[data-chart="middleware"]');
  await page.locator('.field[data-path="autoscaling.maxReplicas"] input').fill('12');
  assert.match(await page.locator('#export-preview').textContent(), /maxReplicas: 12/);
  assert.deepEqual(refused, []);
  assert.deepEqual(errors, []);
  await page.screenshot({ path: outputPath('offline-single-file.png') });
  await context.close();
});
