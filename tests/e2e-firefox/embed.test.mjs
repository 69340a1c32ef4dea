// Firefox ESR end-to-end: the embedding API where Firefox differs from Chromium (no
// location.ancestorOrigins, so with several origins listed the app finds the parent's origin from
// the referrer): a listed host on another port sets values and hears values-changed without the
// sensitive value it never typed, a refused message is answered with pecfg:error, and a host that
// origin= does not list hears nothing.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startStaticServer } from '../../scripts/static-server.mjs';
import { launchFirefox, revealField, serveDist } from './harness.mjs';

let firefox;
let served;
let host;
let other;

before(async () => {
  firefox = await launchFirefox();
  served = await serveDist();
  host = await startStaticServer({ root: 'tests/e2e/host', basePath: '/' });
  other = await startStaticServer({ root: 'tests/e2e/host', basePath: '/' });
});

after(async () => {
  await firefox?.close();
  served?.server.close();
  host?.server.close();
  other?.server.close();
});

const SENSITIVE = 'sens-ff-pass-61';
const originOf = (server) => new URL(server.url).origin;

async function framedApp(params) {
  const context = await firefox.browser.createBrowserContext();
  const page = await context.newPage();
  await page.setViewport({ width: 1400, height: 900 });
  const src = `${served.url}?${new URLSearchParams(params)}`;
  await page.goto(`${host.url}host.html?src=${encodeURIComponent(src)}`);
  const frame = await page.waitForFrame((candidate) => candidate.url().startsWith(served.url));
  await frame.waitForSelector('.chart-button');
  return { context, page, frame };
}

const received = (page) => page.evaluate(() => window.received);

test('a listed host among two origins is answered, and no message carries the sensitive value', async () => {
  const { context, page, frame } = await framedApp({ chart: 'ixn', origin: `${originOf(other)},${originOf(host)}` });
  await page.waitForFunction(() => window.received.some((message) => message.data?.type === 'pecfg:ready'));
  await page.evaluate(() => window.sendToApp({ type: 'pecfg:set-values', values: { replicaCount: 1 } }));
  await page.waitForFunction(() =>
    window.received.some((message) => message.data?.type === 'pecfg:values-changed' && message.data.values?.replicaCount === 1),
  );
  await revealField(page, 'ixnService.ixnServer.secrets.db.password', frame);
  await revealField(page, 'tenant.sid', frame);
  await frame.type('.field[data-path="ixnService.ixnServer.secrets.db.password"] input', SENSITIVE);
  await frame.type('.field[data-path="tenant.sid"] input', '0100');
  await page.waitForFunction(() =>
    window.received.some((message) => message.data?.type === 'pecfg:values-changed' && message.data.values?.tenant?.sid === '0100'),
  );
  await page.evaluate(() => window.sendToApp({ type: 'pecfg:set-values', values: 5 }));
  await page.waitForFunction(() => window.received.some((message) => message.data?.type === 'pecfg:error'));
  const messages = await received(page);
  assert.ok(messages.every((message) => message.origin === originOf(served)));
  assert.ok(messages.every((message) => !JSON.stringify(message.data).includes(SENSITIVE)), 'no message carries the sensitive value');
  await context.close();
});

test('a host that origin= does not list hears nothing and sets nothing', async () => {
  const { context, page, frame } = await framedApp({ chart: 'middleware', origin: originOf(other) });
  await page.evaluate(() => window.sendToApp({ type: 'pecfg:set-values', values: { autoscaling: { maxReplicas: 14 } } }));
  await new Promise((resolve) => setTimeout(resolve, 800));
  assert.deepEqual(await received(page), []);
  const preview = await frame.$eval('#export-preview', (element) => element.textContent);
  assert.doesNotMatch(preview, /maxReplicas: 14/);
  await context.close();
});
