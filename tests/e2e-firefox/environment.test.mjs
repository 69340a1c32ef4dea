// Firefox ESR end-to-end: the environment view. Tenant + IXN filled through one shared tenant UUID
// and registry give both forms the same values, a broken IXN port is reported on both, the picture
// is drawn as an image (the CSP allows no inline style), and the plan preview masks the secrets.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { cspViolations, fill, launchFirefox, openApp, previewText, serveDist } from './harness.mjs';

const UUID = '9350e2fc-a1dd-4c65-8d40-1f75a2e080dd';
const REGISTRY = 'mirror.example.org/genesys';
const PASSWORD = 'pull-pw-Ff9';

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
const summary = (page) => page.$eval('.summary-list', (list) => list.textContent);

async function openForm(page, id) {
  await page.click('#open-environment');
  await page.waitForSelector(`#env-open-${id}`);
  await page.click(`#env-open-${id}`);
  await page.waitForSelector('#env-banner');
}

/** Reaches a field as a user does, through the search (sections render their fields lazily). */
async function setField(page, path, text) {
  await fill(page, '#field-search', path);
  await fill(page, `.field[data-path="${path}"] input`, text);
  await fill(page, '#field-search', '');
}

test('shared facts reach Tenant and IXN, and a broken port shows on both charts', async () => {
  const { context, page, errors } = await openApp(firefox.browser, served.url);
  await page.click('#open-environment');
  await page.waitForSelector('#env-name');
  await page.click('#env-member-tenant');
  await page.click('#env-member-ixn');
  await fill(page, '#shared-tenant_uuid', UUID);
  await fill(page, '#shared-tenant_sid', '100');
  await fill(page, '#shared-image_registry', REGISTRY);
  await fill(page, '#shared-pull_secret-password', PASSWORD);
  await page.waitForSelector('#env-charts tr[data-chart="ixn"]');
  await page.waitForSelector('#env-picture img');

  await openForm(page, 'ixn');
  await page.click('#tab-values-yaml');
  let values = await previewText(page);
  assert.ok(values.includes(UUID) && values.includes(REGISTRY), values.slice(0, 600));
  await setField(page, 'ixnService.ixnServer.ports.default', '7120');
  await setField(page, 'ixnVQNode.ports.default', '7122');

  await openForm(page, 'tenant');
  await setField(page, 'tenant.general.upstreamServices', 'ixn-server-{{ $.Values.tenantid }}:7120,ixn-vqnode-{{ $.Values.tenantid }}:7122');
  await page.click('#tab-values-yaml');
  values = await previewText(page);
  assert.ok(values.includes(UUID) && values.includes(REGISTRY));
  assert.ok(!(await summary(page)).includes('upstreamServices has the entry'));

  await openForm(page, 'ixn');
  await setField(page, 'ixnService.ixnServer.ports.default', '7199');
  await page.waitForFunction(() => document.querySelector('.summary-list')?.textContent.includes('upstreamServices has the entry'));
  await openForm(page, 'tenant');
  await page.waitForFunction(() => document.querySelector('.summary-list')?.textContent.includes('upstreamServices has the entry'));

  await page.click('#open-environment');
  await page.waitForSelector('#plan-preview');
  const script = await page.$eval('#plan-preview', (element) => element.textContent);
  assert.match(script, /helm/);
  assert.ok(!script.includes(PASSWORD), 'the plan preview masks the pull-secret password');
  assert.deepEqual(await cspViolations(page), []);
  assert.deepEqual(errors, []);
  await context.close();
});
