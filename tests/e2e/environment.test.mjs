// The environment view end to end: Tenant + IXN filled through the shared facts (one tenant UUID,
// one registry, one pull secret) give consistent values on both charts; breaking the IXN port shows
// the cross-chart message on both charts and in the environment; the plan previews mask secrets; the
// environment survives a reload and travels in a link, both without secrets; a bad environment file
// is refused and loses nothing.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { openApp, openSealed, readZip, startSuite, stopSuite } from './harness.mjs';

const UUID = '9350e2fc-a1dd-4c65-8d40-1f75a2e080dd';
const REGISTRY = 'mirror.example.org/genesys';
const PULL_PASSWORD = 'pull-pw-Zq7!';

let browser;
let served;
before(async () => ({ browser, served } = await startSuite()));
after(() => stopSuite({ browser, served }));

const field = (page, path) => page.locator(`.field[data-path="${path}"]`);

// Finds a field the way a user does, through the form's search (sections may render lazily).
async function fieldInput(page, path) {
  await page.fill('#field-search', path);
  const input = field(page, path).locator('input');
  await input.waitFor();
  return input;
}

async function setField(page, path, value) {
  await (await fieldInput(page, path)).fill(value);
  await page.fill('#field-search', '');
}

async function openEnvironment(page) {
  await page.click('#open-environment');
  await page.waitForSelector('#env-name');
}

async function openChartForm(page, id) {
  await openEnvironment(page);
  await page.click(`#env-open-${id}`);
  await page.waitForFunction((chart) => document.querySelector(`.chart-button[data-chart="${chart}"]`)?.getAttribute('aria-pressed') === 'true', id);
  await page.waitForSelector('#env-banner');
}

async function valuesPreview(page) {
  await page.click('#tab-values-yaml');
  return page.locator('#export-preview').innerText();
}

async function summaryText(page) {
  return page.locator('.summary-list').innerText();
}

async function fillEnvironment(page) {
  await openEnvironment(page);
  await page.fill('#env-name', 'tenant-100');
  await page.check('#env-member-ixn');
  await page.check('#env-member-tenant');
  await page.fill('#shared-tenant_uuid', UUID);
  await page.fill('#shared-tenant_sid', '100');
  await page.fill('#shared-image_registry', REGISTRY);
  await page.fill('#shared-pull_secret_name', 'pullsecret');
  await page.fill('#shared-pull_secret-username', 'robot');
  await page.fill('#shared-pull_secret-password', PULL_PASSWORD);
  await page.waitForSelector('#env-charts tr[data-chart="ixn"]');
}

test('Tenant and IXN filled through the shared facts agree, and a broken IXN port is reported on both', async () => {
  const { context, page, errors } = await openApp(browser, served.url);
  await fillEnvironment(page);
  // Members are listed in the platform guide's order whatever order they were ticked in.
  const order = await page.$$eval('#env-charts tbody tr', (rows) => rows.map((row) => row.dataset.chart));
  assert.deepEqual(order, ['tenant', 'ixn']);
  assert.equal(await page.locator('#env-checks li[data-rule="env.one-tenant-id"]').count(), 0);

  // IXN's form shows the shared facts applied, and its values.yaml carries them.
  await openChartForm(page, 'ixn');
  assert.equal(await (await fieldInput(page, 'tenant.id')).inputValue(), UUID);
  let ixnValues = await valuesPreview(page);
  assert.ok(ixnValues.includes(UUID), ixnValues);
  assert.ok(ixnValues.includes(REGISTRY), 'the shared registry reaches IXN');
  // Make IXN listen where the Tenant's sample upstreams expect it (7120); then nothing disagrees.
  await setField(page, 'ixnService.ixnServer.ports.default', '7120');
  await setField(page, 'ixnVQNode.ports.default', '7122');
  await page.waitForFunction(() => !document.querySelector('.summary-list')?.innerText.includes('upstreamServices has the entry'));

  // The Tenant's form gets the same UUID and registry; its upstreams are the guide's sample.
  await openChartForm(page, 'tenant');
  assert.equal(await (await fieldInput(page, 'tenantid')).inputValue(), UUID);
  await setField(page, 'tenant.general.upstreamServices',
    'voice-sipfe:9101,voice-config:9100,ixn-server-{{ $.Values.tenantid }}:7120,ixn-vqnode-{{ $.Values.tenantid }}:7122');
  const tenantValues = await valuesPreview(page);
  assert.ok(tenantValues.includes(UUID) && tenantValues.includes(REGISTRY), tenantValues);
  assert.ok(!(await summaryText(page)).includes('upstreamServices has the entry'));

  // Break the IXN port: the cross-chart warning shows on IXN, on the Tenant and in the environment.
  await openChartForm(page, 'ixn');
  await setField(page, 'ixnService.ixnServer.ports.default', '7199');
  await page.waitForFunction(() => document.querySelector('.summary-list')?.innerText.includes('upstreamServices has the entry'));
  ixnValues = await valuesPreview(page);
  assert.match(ixnValues, /default: 7199/);
  await openChartForm(page, 'tenant');
  await page.waitForFunction(() => document.querySelector('.summary-list')?.innerText.includes('upstreamServices has the entry'));
  await openEnvironment(page);
  assert.equal(await page.locator('#env-checks li[data-rule="env.tenant-upstream-ixn-server"]').count() >= 1, true);
  // The picture is drawn, and names both charts.
  const src = await page.locator('#env-picture img').getAttribute('src');
  const picture = Buffer.from(src.split('base64,')[1], 'base64').toString('utf8');
  assert.ok(picture.startsWith('<svg') && picture.includes('ixn') && picture.includes('tenant'), picture.slice(0, 200));

  // A chart's own value wins over the shared fact, visibly.
  await openChartForm(page, 'ixn');
  await setField(page, 'tenant.id', '00000000-0000-4000-8000-000000000000');
  await page.waitForFunction(() => document.querySelector('#env-banner')?.innerText.includes('keeps its own value'));
  await page.waitForFunction(() => document.querySelector('.summary-list')?.innerText.includes('differ'));
  assert.deepEqual(errors, []);
  await context.close();
});

test('the plan previews mask secrets, follow the guide order and say what blocks the download', async () => {
  const { context, page, errors } = await openApp(browser, served.url);
  await fillEnvironment(page);
  await page.click('#plan-tab-install-sh');
  const script = await page.locator('#plan-preview').innerText();
  assert.ok(!script.includes(PULL_PASSWORD), 'the preview masks the pull-secret password');
  const tenantAt = script.indexOf('upgrade --install');
  assert.ok(tenantAt > 0, script.slice(0, 400));
  assert.ok(script.indexOf('kubectl') < tenantAt, 'namespaces and Secrets come before the releases');
  await page.check('#plan-reveal');
  await page.waitForFunction((pw) => document.querySelector('#plan-preview')?.innerText.includes(pw), PULL_PASSWORD);
  await page.uncheck('#plan-reveal');
  await page.click('#plan-tab-install-ps1');
  assert.ok(!(await page.locator('#plan-preview').innerText()).includes(PULL_PASSWORD));
  await page.click('#plan-tab-environment');
  const file = await page.locator('#plan-preview').innerText();
  assert.match(file, /environment: tenant-100/);
  assert.ok(!file.includes(PULL_PASSWORD) && !file.includes('robot'), 'the environment file holds no secret');
  // Missing required values of the members block the download and are listed.
  if (await page.locator('#plan-download').isDisabled()) {
    assert.ok((await page.locator('#plan-blocked li').count()) > 0);
  }
  // An environment with a bad name says so and blocks.
  await page.fill('#env-name', 'Not A Label');
  await page.waitForSelector('#env-checks li[data-rule="env.name"]');
  assert.equal(await page.locator('#plan-download').isDisabled(), true);
  assert.deepEqual(errors, []);
  await context.close();
});

test('the environment survives a reload and travels in a link, never with a secret', async () => {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  await page.goto(served.url);
  await page.waitForSelector('.chart-button');
  await fillEnvironment(page);
  await page.click('#env-share');
  const url = await page.locator('#env-share-url').inputValue();
  const decoded = inflateRawSync(Buffer.from(url.split('#e1.')[1], 'base64url')).toString('utf8');
  assert.ok(decoded.includes(UUID), decoded);
  assert.ok(!decoded.includes(PULL_PASSWORD) && !decoded.includes('robot'), decoded);

  await page.reload();
  await page.waitForSelector('.chart-button');
  await openEnvironment(page);
  assert.equal(await page.locator('#shared-tenant_uuid').inputValue(), UUID);
  assert.equal(await page.locator('#env-member-ixn').isChecked(), true);
  assert.equal(await page.locator('#shared-pull_secret-password').inputValue(), '', 'secret facts are not kept');
  const stored = await page.evaluate(() => JSON.stringify({ ...localStorage }));
  assert.ok(!stored.includes(PULL_PASSWORD) && !stored.includes('robot'), stored);

  // The link opens the environment in a fresh browser.
  const fresh = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const other = await fresh.newPage();
  await other.goto(url);
  await other.waitForSelector('#env-name');
  assert.equal(await other.inputValue('#env-name'), 'tenant-100');
  assert.equal(await other.locator('#env-member-tenant').isChecked(), true);
  assert.equal(await other.inputValue('#shared-tenant_uuid'), UUID);
  assert.ok(!other.url().includes('#e1.'), 'the fragment is cleared once applied');
  await fresh.close();

  // A damaged link is refused with a reason; the page keeps working.
  const third = await browser.newContext();
  const broken = await third.newPage();
  await broken.goto(`${served.url}#e1.%%%`);
  await broken.waitForSelector('#share-notice');
  assert.match(await broken.locator('#share-notice').innerText(), /not applied/);
  await third.close();
  await context.close();
});

test('a port typed as text is a port, and the saved environment file goes through pecfg', async () => {
  // Typing 6379 for ors_redis_port said "shared ors_redis_port is not a port" and blocked the plan;
  // the saved file wrote "6379", which `pecfg validate --environment` refused the same way.
  const { context, page, errors } = await openApp(browser, served.url);
  await fillEnvironment(page);
  await page.fill('#shared-ors_redis_host', 'redis-ors.voice.svc.cluster.local');
  await page.fill('#shared-ors_redis_port', '6379');
  assert.equal(await page.inputValue('#shared-ors_redis_port'), '6379');
  assert.equal(await page.locator('.shared-fact[data-fact="ors_redis_port"] .message.error').count(), 0);
  const blocked = await page.locator('#plan-blocked').count() ? await page.locator('#plan-blocked').innerText() : '';
  assert.ok(!blocked.includes('not a port'), blocked);
  const download = page.waitForEvent('download');
  await page.click('#env-save');
  const saved = readFileSync(await (await download).path(), 'utf8');
  assert.match(saved, /^ {2}ors_redis_port: 6379$/m, 'written back as a number');
  const dir = mkdtempSync(join(tmpdir(), 'pecfg-env-'));
  writeFileSync(join(dir, 'environment.yaml'), saved);
  let printed;
  try {
    printed = execFileSync('cargo', ['run', '-q', '-p', 'pecfg', '--', 'validate', '--environment', join(dir, 'environment.yaml')], { encoding: 'utf8', stdio: 'pipe' });
  } catch (failure) {
    // Exit 1 for the members' own errors (required values not filled in) is fine; a refused file is not.
    printed = `${failure.stdout}${failure.stderr}`;
  }
  assert.ok(!printed.includes('environment file:') && !printed.includes('not a port'), printed);
  assert.match(printed, /\d+ errors?, \d+ warnings?/, printed);
  assert.deepEqual(errors, []);
  await context.close();
});

test('an environment file opens into the view; a bad one is refused and changes nothing', async () => {
  const { context, page, errors } = await openApp(browser, served.url);
  await fillEnvironment(page);
  await page.setInputFiles('#env-open-file', {
    name: 'bad.yaml',
    mimeType: 'text/yaml',
    buffer: Buffer.from('environment: x\ncharts:\n  zzz: {}\n'),
  });
  await page.waitForSelector('#env-opened');
  assert.match(await page.locator('#env-opened').innerText(), /Not opened: .*unknown chart/);
  assert.equal(await page.locator('#shared-tenant_uuid').inputValue(), UUID, 'nothing lost');
  await page.setInputFiles('#env-open-file', {
    name: 'site.yaml',
    mimeType: 'text/yaml',
    buffer: Buffer.from(`environment: site-b\nshared:\n  tenant_uuid: ${UUID}\n  tenant_sid: "200"\ncharts:\n  ixn:\n    values: {replicaCount: 1}\n  ges: {}\n`),
  });
  await page.waitForFunction(() => document.querySelector('#env-opened')?.innerText.startsWith('Opened'));
  assert.equal(await page.inputValue('#env-name'), 'site-b');
  assert.equal(await page.locator('#env-member-ges').isChecked(), true);
  assert.equal(await page.locator('#env-member-tenant').isChecked(), false);
  assert.deepEqual(errors, []);
  await context.close();
});

test('the plan downloads as a zip with every file, its Secrets sealed for Git when asked', async () => {
  const { context, page, errors } = await openApp(browser, served.url);
  await openEnvironment(page);
  await page.fill('#env-name', 'site-a');
  await page.check('#env-member-middleware');
  await openChartForm(page, 'middleware');
  const secret = 'mw-client-secret-Q1';
  await page.locator('.field[data-path="genesys-integration-secrets/client-secret"] input').fill(secret);
  await openEnvironment(page);
  await page.selectOption('#plan-gitops', 'argocd');
  await page.check('#plan-seal');
  await page.fill('#sealing-cert', readFileSync('core/tests/fixtures/sealed/cert.pem', 'utf8'));
  await page.locator('#sealing-cert-info').waitFor();
  if (await page.locator('#plan-download').isDisabled()) assert.fail(await page.locator('#plan-blocked').textContent());
  const download = page.waitForEvent('download');
  await page.click('#plan-download');
  const file = await download;
  assert.equal(file.suggestedFilename(), 'site-a-plan.zip');
  const files = readZip(readFileSync(await file.path()));
  for (const name of ['install.sh', 'install.ps1', 'middleware-values.yaml', 'middleware-secrets.yaml', 'plan.svg',
    'middleware-sealed-secrets.yaml', 'gitops/sealed-secrets/middleware.yaml', 'gitops/kustomization.yaml']) {
    assert.ok(files.has(name), `${name} in ${[...files.keys()]}`);
  }
  // The middleware chart is a local folder: no Application that could never sync, and the report says so.
  assert.ok(!files.has('gitops/middleware.yaml'));
  assert.match(files.get('environment-report.txt'), /gitops argocd: middleware: no Application written, it could not sync/);
  assert.match(files.get('gitops/kustomization.yaml'), /- sealed-secrets\/middleware\.yaml/);
  for (const [name, text] of files) {
    if (name.startsWith('gitops/') || name.endsWith('sealed-secrets.yaml')) assert.ok(!text.includes(secret), `${name} holds the secret in clear`);
  }
  const sealed = files.get('middleware-sealed-secrets.yaml');
  const namespace = sealed.match(/^ {2}namespace: "?([-a-z0-9]+)"?$/m)[1];
  const value = sealed.match(/^ {4}client-secret: "?([A-Za-z0-9+/=]+)"?$/m)[1];
  const key = readFileSync('core/tests/fixtures/sealed/key.pem', 'utf8');
  assert.equal(openSealed(value, `${namespace}/genesys-integration-secrets`, key), secret, 'opened with the strict label');
  assert.deepEqual(errors, []);
  await context.close();
});

test('all five charts: the test environment file opens, plans in the guide order and downloads', async () => {
  const { context, page, errors } = await openApp(browser, served.url);
  await openEnvironment(page);
  await page.setInputFiles('#env-open-file', 'tests/environments/all-charts.yaml');
  await page.waitForFunction(() => document.querySelector('#env-opened')?.innerText.startsWith('Opened'));
  const order = await page.$$eval('#env-charts tbody tr', (rows) => rows.map((row) => row.dataset.chart));
  assert.deepEqual(order, ['tenant', 'tenant-monitor', 'ges', 'ixn', 'middleware']);
  await page.click('#plan-tab-install-sh');
  const script = await page.locator('#plan-preview').innerText();
  const installs = [...script.matchAll(/^\s*helm upgrade --install .* -- "\$RELEASE_([A-Z_]+)"/gm)].map((match) => match[1]);
  assert.deepEqual(installs, ['TENANT', 'TENANT_MONITOR', 'GES', 'IXN', 'MIDDLEWARE'], script.slice(0, 300));
  assert.ok(!script.includes("tok€n'!$(rm -rf /)"), 'the pull-secret password of the file stays masked');
  if (await page.locator('#plan-download').isDisabled()) assert.fail(await page.locator('#plan-blocked').textContent());
  const download = page.waitForEvent('download');
  await page.click('#plan-download');
  const files = readZip(readFileSync(await (await download).path()));
  for (const id of order) assert.ok(files.has(`${id}-values.yaml`) && files.has(`${id}-secrets.yaml`), id);
  // The download is the real plan: the password is in install.sh, which the preview masked.
  assert.ok(files.get('install.sh').includes('rm -rf /'), 'install.sh holds the real secret');
  assert.deepEqual(errors, []);
  await context.close();
});
