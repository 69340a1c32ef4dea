// The unit-group view end to end: tests/groups/example.yaml opened in the page shows its units by
// region (the primary marked), its tenants and masters and the findings across units; its plan
// downloaded with Argo CD is `pecfg plan --group … --gitops argocd`, file for file and byte for byte;
// a refused text keeps the text and shows the boundary's message; the saved file and the #g1. link
// hold no secret and read back; a link that inflates past the limit is refused.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { assertStackHeadroom, openApp, openSealed, pecfg, readZip, startSuite, stopSuite } from './harness.mjs';

const EXAMPLE = 'tests/groups/example.yaml';
// Secret values of the example: the pull secret, a unit's ORS Redis password, chart Secrets and
// credentials in IXN's values.
const SECRETS = ["tok€n'!$(rm -rf /)", "ors 'pw' $x", "pa$$w0rd'\"`!", 'ixn-pa$$', "s3cr3t-'quote'-$VAR"];

let browser;
let served;
before(async () => ({ browser, served } = await startSuite()));
after(() => stopSuite({ browser, served }));

async function openExample(page) {
  await page.click('#open-group');
  await page.waitForSelector('#group-text');
  await page.setInputFiles('#group-open-file', EXAMPLE);
  await page.waitForSelector('.group-unit[data-unit="eu-west-a"]');
}

/** Every file under `dir`, by its path relative to `dir`. */
function filesUnder(dir) {
  const files = new Map();
  const walk = (at) => {
    for (const name of readdirSync(at)) {
      const path = join(at, name);
      if (statSync(path).isDirectory()) walk(path);
      else files.set(relative(dir, path), readFileSync(path, 'utf8'));
    }
  };
  walk(dir);
  return files;
}

test('the example group shows its units by region, its tenants and findings, and downloads the CLI plan byte for byte', async () => {
  const { context, page, errors } = await openApp(browser, served.url);
  await openExample(page);
  assert.deepEqual(await page.$$eval('.group-region', (regions) => regions.map((region) => region.dataset.region)), ['eu-west', 'us-east', 'ap-south']);
  assert.deepEqual(await page.$$eval('.group-region[data-region="eu-west"] .group-unit', (units) => units.map((unit) => unit.dataset.unit)), ['eu-west-a', 'eu-west-b']);
  assert.deepEqual(await page.$$eval('.group-unit.group-primary', (units) => units.map((unit) => unit.dataset.unit)), ['eu-west-a']);
  assert.match(await page.locator('.group-unit[data-unit="eu-west-a"] .role-badge').innerText(), /primary/);
  // Tenants placed on units, the master marked where it runs.
  assert.equal(await page.locator('.group-unit[data-unit="eu-west-a"] li[data-tenant="t100"].group-master').count(), 1);
  assert.equal(await page.locator('.group-unit[data-unit="eu-west-a"] li[data-tenant="t200"].group-master').count(), 0);
  assert.equal(await page.locator('.group-unit[data-unit="us-east-a"] li[data-tenant="t200"].group-master').count(), 1);
  assert.equal(await page.locator('#group-tenants tr[data-tenant="t200"] .group-master-unit').innerText(), 'us-east-a');
  // The findings across units: ap-south has one unit (the guide's unit pair has two).
  assert.equal(await page.locator('#group-findings li[data-rule="group.unit-pair"]').count(), 1);
  assert.match(await page.locator('#group-summary').innerText(), /5 units in 3 regions, 2 tenants, 7 plans/);
  assert.match(await page.locator('#group-picture img').getAttribute('src'), /^data:image\/svg\+xml;base64,/);
  assert.equal(await page.locator('#group-rollout li').first().getAttribute('data-unit'), 'eu-west-a');
  // The view draws no secret value (the text area holds the file as opened).
  const shown = await page.locator('.layout-form').innerText();
  for (const secret of SECRETS) assert.ok(!shown.includes(secret), secret);

  await page.selectOption('#group-gitops', 'argocd');
  await page.click('#group-files summary');
  await page.waitForSelector('#group-files-total');
  if (await page.locator('#group-download').isDisabled()) assert.fail(await page.locator('#group-blocked').textContent());
  const download = page.waitForEvent('download');
  await page.click('#group-download');
  const file = await download;
  assert.equal(file.suggestedFilename(), 'acme-plan.zip');
  const zipped = readZip(readFileSync(await file.path()));

  const dir = mkdtempSync(join(tmpdir(), 'pecfg-group-'));
  pecfg('plan', '--group', EXAMPLE, '--out', dir, '--gitops', 'argocd');
  const written = filesUnder(dir);
  assert.deepEqual([...zipped.keys()].sort(), [...written.keys()].sort());
  for (const [name, text] of written) assert.equal(zipped.get(name), text, `${name} differs from pecfg's`);
  assert.ok(written.has('argocd/tenant.yaml') && written.has('group-report.txt') && written.has('units/us-east-a/t200/install.sh'));
  assert.match(await page.locator('#group-files-total').innerText(), new RegExp(`^${written.size} files`));
  await assertStackHeadroom(page, 'the example group planned');
  assert.deepEqual(errors, []);
  await context.close();
});

test('typing re-reads the group; a refused text stays, with the boundary message, and blocks the download', async () => {
  const { context, page, errors } = await openApp(browser, served.url);
  await openExample(page);
  const text = readFileSync(EXAMPLE, 'utf8');
  const duplicate = text.replace('- name: eu-west-b', '- name: eu-west-a');
  await page.fill('#group-text', duplicate);
  await page.waitForSelector('#group-refused');
  assert.match(await page.locator('#group-refused').innerText(), /units\[1\]\.name repeats unit `eu-west-a`/);
  assert.equal(await page.inputValue('#group-text'), duplicate, 'the text is kept as typed');
  assert.equal(await page.locator('#group-download').isDisabled(), true);
  assert.match(await page.locator('#group-blocked').innerText(), /refused/);
  // The last group that read stays on screen, said to be the last one.
  await page.waitForSelector('#group-stale');
  assert.equal(await page.locator('.group-unit[data-unit="eu-west-b"]').count(), 1);

  // A secondary unit made primary: two primaries, an error across units that blocks the plan.
  await page.fill('#group-text', text.replace(/(name: eu-west-b\n\s+region: eu-west\n\s+role: )secondary/, '$1primary'));
  await page.waitForSelector('#group-findings li[data-rule="group.one-primary"]');
  assert.equal(await page.locator('#group-refused').count(), 0);
  assert.equal(await page.locator('.group-unit.group-primary').count(), 2);
  assert.equal(await page.locator('#group-download').isDisabled(), true);
  assert.match(await page.locator('#group-blocked').innerText(), /primary/);
  // Not a text file: not opened, and the text shown stays.
  const typed = await page.inputValue('#group-text');
  await page.setInputFiles('#group-open-file', { name: 'bad.yaml', mimeType: 'text/yaml', buffer: Buffer.from('group: a\0b\n') });
  await page.waitForFunction(() => document.querySelector('#group-opened')?.innerText.startsWith('Not opened'));
  assert.match(await page.locator('#group-opened').innerText(), /NUL byte/);
  assert.equal(await page.inputValue('#group-text'), typed);
  assert.deepEqual(errors, []);
  await context.close();
});

test('the saved group file and the #g1. link hold no secret, read back, and an oversized link is refused', async () => {
  const { context, page, errors } = await openApp(browser, served.url);
  await openExample(page);
  const download = page.waitForEvent('download');
  await page.click('#group-save');
  const file = await download;
  assert.equal(file.suggestedFilename(), 'acme-group.yaml');
  const saved = readFileSync(await file.path(), 'utf8');
  assert.match(saved, /^# pe-configurator unit-group file \(no secret values\)/);
  for (const secret of SECRETS) assert.ok(!saved.includes(secret), `${secret} saved`);
  const dir = mkdtempSync(join(tmpdir(), 'pecfg-group-saved-'));
  writeFileSync(join(dir, 'group.yaml'), saved);
  // pecfg reads the saved file: the same units, checked (its Secrets are gone, so the charts' own
  // checks may say what is missing; the file itself is not refused).
  let printed;
  try {
    printed = pecfg('validate', '--group', join(dir, 'group.yaml'));
  } catch (failure) {
    printed = `${failure.stdout}${failure.stderr}`;
  }
  assert.ok(!printed.includes('group file:'), printed);
  assert.match(printed, /eu-west-a \(primary\)/, printed);

  await page.click('#group-share');
  const url = await page.locator('#group-share-url').inputValue();
  const fragment = url.split('#g1.')[1];
  const linked = inflateRawSync(Buffer.from(fragment, 'base64url')).toString('utf8');
  assert.equal(linked, saved, 'the link holds the saved file');
  for (const secret of SECRETS) assert.ok(!url.includes(secret) && !linked.includes(secret), `${secret} in the link`);
  const stored = await page.evaluate(() => JSON.stringify({ ...localStorage }));
  for (const secret of SECRETS) assert.ok(!stored.includes(secret), `${secret} stored`);

  // The link opens the group in a fresh browser, and leaves the address.
  const fresh = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const other = await fresh.newPage();
  await other.goto(url);
  await other.waitForSelector('.group-unit[data-unit="ap-south-a"]');
  assert.equal(await other.inputValue('#group-text'), saved);
  assert.match(await other.locator('#group-opened').innerText(), /Opened the linked unit group acme/);
  assert.ok(!other.url().includes('#g1.'), 'the fragment is cleared once applied');
  await fresh.close();

  // A link of a few kilobytes that inflates past the 2 MB a group file may hold: refused whole.
  const huge = `group: g\nunits:\n  - {name: a, region: r, role: primary, cluster: {context: c}}\n#${'x'.repeat(2_200_000)}\n`;
  const third = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const refused = await third.newPage();
  const pageErrors = [];
  refused.on('pageerror', (error) => pageErrors.push(String(error)));
  await refused.goto(`${served.url}#g1.${deflateRawSync(Buffer.from(huge)).toString('base64url')}`);
  await refused.waitForSelector('#group-opened');
  assert.match(await refused.locator('#group-opened').innerText(), /Not opened: the link is too large/);
  assert.equal(await refused.locator('.group-unit').count(), 0);
  assert.deepEqual(pageErrors, []);
  await third.close();
  assert.deepEqual(errors, []);
  await context.close();
});

test('one certificate seals every unit of the group plan, and the page says per-unit certificates are pecfg\'s', async () => {
  const { context, page, errors } = await openApp(browser, served.url);
  await openExample(page);
  await page.check('#group-seal');
  assert.match(await page.locator('#group-seal-note').innerText(), /--sealed-cert UNIT=cert\.pem/);
  await page.fill('#sealing-cert', readFileSync('core/tests/fixtures/sealed/cert.pem', 'utf8'));
  await page.locator('#sealing-cert-info').waitFor();
  const download = page.waitForEvent('download');
  await page.click('#group-download');
  const files = readZip(readFileSync(await (await download).path()));
  for (const unit of ['eu-west-a', 'eu-west-b', 'us-east-a', 'us-east-b', 'ap-south-a']) {
    assert.ok([...files.keys()].some((name) => name.startsWith(`units/${unit}/`) && name.endsWith('-sealed-secrets.yaml')), `${unit} not sealed`);
  }
  const sealed = files.get('units/eu-west-a/t100/middleware-sealed-secrets.yaml');
  const document = sealed.split(/^---$/m).find((part) => part.includes('client-secret:'));
  const namespace = document.match(/^ {2}namespace: "?([-a-z0-9]+)"?$/m)[1];
  const value = document.match(/^ {4}client-secret: "?([A-Za-z0-9+/=]+)"?$/m)[1];
  const key = readFileSync('core/tests/fixtures/sealed/key.pem', 'utf8');
  assert.equal(openSealed(value, `${namespace}/genesys-integration-secrets`, key), "s3cr3t-'quote'-$VAR");
  for (const [name, text] of files) {
    if (name.endsWith('-sealed-secrets.yaml')) for (const secret of SECRETS) assert.ok(!text.includes(secret), `${secret} in ${name}`);
  }
  assert.deepEqual(errors, []);
  await context.close();
});
