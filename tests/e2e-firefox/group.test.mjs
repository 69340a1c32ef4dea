// Firefox ESR end-to-end: the unit-group view. tests/groups/example.yaml picked in the file input
// shows its units by region (the primary marked), its tenants with their masters, the findings
// across units and the picture as an image (the CSP allows no inline style); nothing leaves the page.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { cspViolations, launchFirefox, openApp, serveDist } from './harness.mjs';

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

test('the example group opens, with its units by region, its tenants and the findings across units', async () => {
  const { context, page, requests, errors } = await openApp(firefox.browser, served.url);
  await page.click('#open-group');
  const input = await page.waitForSelector('#group-open-file');
  await input.uploadFile(resolve('tests/groups/example.yaml'));
  await page.waitForSelector('.group-unit[data-unit="ap-south-a"]');
  assert.deepEqual(await page.$$eval('.group-region', (regions) => regions.map((region) => region.dataset.region)), ['eu-west', 'us-east', 'ap-south']);
  assert.deepEqual(await page.$$eval('.group-unit', (units) => units.map((unit) => unit.dataset.unit)), ['eu-west-a', 'eu-west-b', 'us-east-a', 'us-east-b', 'ap-south-a']);
  assert.deepEqual(await page.$$eval('.group-unit.group-primary', (units) => units.map((unit) => unit.dataset.unit)), ['eu-west-a']);
  assert.deepEqual(await page.$$eval('.group-unit li.group-master', (items) => items.map((item) => `${item.closest('.group-unit').dataset.unit}/${item.dataset.tenant}`)), ['eu-west-a/t100', 'us-east-a/t200']);
  assert.equal(await page.$eval('#group-tenants tr[data-tenant="t100"] .group-master-unit', (cell) => cell.textContent), 'eu-west-a');
  const rules = await page.$$eval('#group-findings li', (items) => items.map((item) => item.dataset.rule));
  assert.ok(rules.includes('group.unit-pair'), rules.join(', '));
  assert.match(await page.$eval('#group-findings li[data-rule="group.unit-pair"]', (item) => item.textContent), /ap-south/);
  await page.waitForFunction(() => {
    const image = document.querySelector('#group-picture img');
    return image?.complete && image.naturalWidth > 0;
  });
  assert.equal(await page.$eval('#group-download', (button) => button.disabled), false, 'the example plans');
  assert.match(await page.$eval('#group-download', (button) => button.textContent), /acme-plan\.zip/);
  const origin = new URL(served.url).origin;
  assert.deepEqual(requests.filter((url) => !url.startsWith(origin) && !url.startsWith('data:')), []);
  assert.deepEqual(await cspViolations(page), []);
  assert.deepEqual(errors, []);
  await context.close();
});
