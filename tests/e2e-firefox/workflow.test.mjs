// Firefox ESR end-to-end: drafts in localStorage across reloads (never with secret values) and share
// links in the URL fragment that restore the state in a fresh browser context.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { fill, launchFirefox, openApp, pickChart, revealField, serveDist } from './harness.mjs';

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

const inputValue = (page, selector) => page.$eval(selector, (input) => input.value);
const MAX_REPLICAS = '.field[data-path="autoscaling.maxReplicas"] input';
const CLIENT_SECRET = '.field[data-path="genesys-integration-secrets/client-secret"] input';

async function reload(page) {
  await page.reload();
  await page.waitForSelector('.chart-button');
}

test('drafts survive a reload without secret values; start over forgets them', async () => {
  const { context, page, errors } = await openApp(firefox.browser, served.url);
  await pickChart(page, 'middleware');
  await fill(page, MAX_REPLICAS, '11');
  await fill(page, CLIENT_SECRET, 'top-secret-value-1');
  await reload(page);
  await pickChart(page, 'middleware');
  assert.equal(await inputValue(page, MAX_REPLICAS), '11', 'the draft came back');
  assert.equal(await inputValue(page, CLIENT_SECRET), '', 'the secret did not');
  const stored = await page.evaluate(() => JSON.stringify({ ...localStorage }));
  assert.match(stored, /maxReplicas/, 'the draft is in localStorage');
  assert.ok(!stored.includes('top-secret-value-1'), 'no secret in localStorage');
  await page.click('#start-over');
  await reload(page);
  await pickChart(page, 'middleware');
  assert.equal(await inputValue(page, MAX_REPLICAS), '');
  assert.deepEqual(errors, []);
  await context.close();
});

test('a share link restores the state in a fresh context and never carries a secret', async () => {
  const { context, page } = await openApp(firefox.browser, served.url);
  await pickChart(page, 'ixn');
  await revealField(page, 'tenant.id');
  await fill(page, '.field[data-path="tenant.id"] input', '9350e2fc-a1dd-4c65-8d40-1f75a2e080dd');
  await fill(page, '.field[data-path="kafka-shared-secret/kafka-secrets/password"] input', 'kafka-secret-pw-9');
  await page.click('#share-link');
  await page.waitForSelector('#share-url');
  const url = await inputValue(page, '#share-url');
  assert.ok(url.startsWith(`${served.url}#v1.`), url);
  assert.ok(!url.includes('kafka-secret-pw-9'));
  await context.close();

  // A fresh context has no draft: only the link can bring the tenant id back.
  const fresh = await openApp(firefox.browser, url);
  await fresh.page.waitForSelector('.chart-button[data-chart="ixn"][aria-pressed="true"]');
  await revealField(fresh.page, 'tenant.id');
  assert.equal(await inputValue(fresh.page, '.field[data-path="tenant.id"] input'), '9350e2fc-a1dd-4c65-8d40-1f75a2e080dd');
  assert.equal(await inputValue(fresh.page, '.field[data-path="kafka-shared-secret/kafka-secrets/password"] input'), '');
  assert.deepEqual(fresh.errors, []);
  await fresh.context.close();
});

// Issue 30, item 6 (scrolling is the browser's): at 1024×768 with "Required and essentials only"
// on, a finding's field ended 1,000 px off screen, and the first table-of-contents jump hid the
// section's heading under the sticky bars.
test('at 1024x768 a finding and the table of contents land on screen, below the sticky bars', async () => {
  const { context, page } = await openApp(firefox.browser, served.url);
  await page.setViewport({ width: 1024, height: 768 });
  await pickChart(page, 'ixn');
  const stickyBottom = () => page.evaluate(() => Math.max(...[...document.querySelectorAll('#checks-bar, .toolbar')].map((bar) => bar.getBoundingClientRect().bottom)));
  const settle = () => new Promise((resolve) => setTimeout(resolve, 700));

  await page.click('.toc button[data-section="ixnNode-redis"]');
  await settle();
  const heading = await page.evaluate(() => document.querySelector('#section-ixnNode-redis > summary').getBoundingClientRect().top);
  const bars = await stickyBottom();
  assert.ok(heading >= bars - 1 && heading < 768, `the heading (y ${heading}) is below the sticky bars (${bars}) and on screen`);

  const count = await page.evaluate(() => document.querySelectorAll('.summary-entry.error button').length);
  assert.ok(count >= 3, `${count} errors listed`);
  for (const index of [count - 1, Math.floor(count / 2), 0]) {
    const essentials = await page.evaluate(() => document.querySelector('#essentials-only').checked);
    if (!essentials) await page.click('#essentials-only');
    const path = await page.evaluate((at) => {
      const button = document.querySelectorAll('.summary-entry.error button')[at];
      button.scrollIntoView();
      return button.querySelector('code').textContent;
    }, index);
    await page.evaluate((at) => document.querySelectorAll('.summary-entry.error button')[at].click(), index);
    await page.waitForFunction(() => Boolean(document.activeElement?.closest('.field')));
    await settle();
    const box = await page.evaluate(() => {
      const rect = document.activeElement.getBoundingClientRect();
      return { top: rect.top, bottom: rect.bottom };
    });
    assert.ok(box.top >= (await stickyBottom()) - 1 && box.bottom <= 768, `${path}: the focused input (${box.top}..${box.bottom}) is on screen below the bars`);
  }
  await context.close();
});
