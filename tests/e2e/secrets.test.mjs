// Secret and sensitive values in the page: masked in the values.yaml preview, Edit YAML and the Diff
// unless "Show secret values" is ticked (Edit YAML keeps the real value under the mask), masked
// previews cannot be copied or run as the real file, share links hold neither kind (checked after
// decompressing the fragment) and are cleared from the URL once applied, and an answers file for an
// unknown chart is refused; a tenant secret reference keeps a file path but not a plain credential.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { inflateRawSync } from 'node:zlib';
import { openApp, pickChart, revealField, startSuite, stopSuite, waitForModule } from './harness.mjs';

let browser;
let served;
before(async () => ({ browser, served } = await startSuite()));
after(() => stopSuite({ browser, served }));

const SENSITIVE = 'sens-db-pass-42';
const SECRET = 'secret-kafka-77';
const SENSITIVE_PATH = 'ixnService.ixnServer.secrets.db.password';
const field = (page, path) => page.locator(`.field[data-path="${path}"]`);

/** The JSON a share link holds: the fragment after `#v1.`, base64url, raw deflate. */
function decodeShareLink(url) {
  const body = url.split('#v1.')[1];
  assert.ok(body, `a pe-configurator fragment in ${url}`);
  return inflateRawSync(Buffer.from(body, 'base64url')).toString('utf8');
}

async function fillIxn(page) {
  await pickChart(page, 'ixn');
  await revealField(page, 'replicaCount');
  await field(page, 'replicaCount').locator('input').fill('1');
  await revealField(page, SENSITIVE_PATH);
  await field(page, SENSITIVE_PATH).locator('input').fill(SENSITIVE);
  await page.locator('.field[data-path="kafka-shared-secret/kafka-secrets/password"] input').fill(SECRET);
}

test('sensitive values are masked in the values.yaml preview, Edit YAML and Diff until shown', async () => {
  const { context, page } = await openApp(browser, served.url);
  await fillIxn(page);

  await page.click('#tab-values-yaml');
  const preview = await page.locator('#export-preview').textContent();
  assert.ok(!preview.includes(SENSITIVE), 'values.yaml preview masks the sensitive value');
  assert.match(preview, /password: .*hidden/);
  assert.match(preview, /^@preview with hidden values/, 'a masked values.yaml does not parse');

  await page.click('#tab-edit-yaml');

  await waitForModule(page);
  const text = await page.locator('#yaml-view-text').inputValue();
  assert.ok(!text.includes(SENSITIVE), 'Edit YAML masks it');
  assert.match(text, /replicaCount: 1/);
  // Edit another key and leave the mask alone: the real value stays.
  await page.fill('#yaml-view-text', text.replace('replicaCount: 1', 'replicaCount: 0'));
  assert.equal(await field(page, 'replicaCount').locator('input').inputValue(), '0');
  assert.equal(await field(page, SENSITIVE_PATH).locator('input').inputValue(), SENSITIVE, 'the mask did not replace the password');

  await page.click('#tab-diff');
  const diff = await page.locator('.diff-view').textContent();
  assert.match(diff, /replicaCount/);
  assert.ok(!diff.includes(SENSITIVE), 'the Diff masks it');

  await page.check('#reveal-secrets');
  assert.ok((await page.locator('.diff-view').textContent()).includes(SENSITIVE), 'shown in the Diff when asked');
  await page.click('#tab-edit-yaml');
  await waitForModule(page);
  assert.ok((await page.locator('#yaml-view-text').inputValue()).includes(SENSITIVE), 'shown in Edit YAML when asked');
  await page.click('#tab-values-yaml');
  const revealed = await page.locator('#export-preview').textContent();
  assert.ok(revealed.includes(SENSITIVE) && !revealed.startsWith('@preview'), 'the real file when asked');
  await context.close();
});

test('masked previews are not copied and start with a line that makes them fail', async () => {
  const { context, page } = await openApp(browser, served.url);
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(served.url).origin });
  // A complete GES answers file (exports are allowed), then the user's own secret value.
  await pickChart(page, 'ges');
  await page.click('#tab-import');
  await page.fill('#import-paste', readFileSync('core/tests/scenarios/ges.answers.yaml', 'utf8'));
  await page.click('#import-button');
  await page.locator('.import-report').waitFor();
  await page.locator('.field[data-path="ges-secrets/DB-USER"] input').fill(SECRET);
  await page.click('#tab-commands-sh');
  const script = await page.locator('#export-preview').textContent();
  assert.ok(script.startsWith("echo 'preview with redacted secrets: download the real file' >&2; exit 1\n"), script.slice(0, 120));
  assert.ok(!script.includes(SECRET));
  assert.equal(await page.locator('#copy-file').isDisabled(), false, 'no error blocks Copy here');
  await page.click('#copy-file');
  await page.locator('#copy-refused').waitFor();

  await page.click('#tab-commands-ps1');
  assert.match(await page.locator('#export-preview').textContent(), /^throw 'preview with redacted secrets/);
  await page.click('#tab-secrets-yaml');
  assert.match(await page.locator('#export-preview').textContent(), /^@preview/);

  await page.check('#reveal-secrets');
  await page.click('#tab-commands-sh');
  const real = await page.locator('#export-preview').textContent();
  assert.ok(real.includes(SECRET) && !real.startsWith('echo'), 'the real script when shown');
  await page.click('#copy-file');
  assert.equal(await page.locator('#copy-refused').count(), 0);
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), real, 'Copy hands out the real script');
  await context.close();
});

test('a share link holds no secret and no sensitive value once decompressed, and is cleared from the URL once applied', async () => {
  const { context, page } = await openApp(browser, served.url);
  await fillIxn(page);
  await revealField(page, 'tenant.id');
  await field(page, 'tenant.id').locator('input').fill('9350e2fc-a1dd-4c65-8d40-1f75a2e080dd');
  await page.click('#share-link');
  const url = await page.locator('#share-url').inputValue();
  const json = decodeShareLink(url);
  assert.match(json, /9350e2fc-a1dd-4c65-8d40-1f75a2e080dd/, 'the decoded link holds the ordinary values');
  assert.ok(!json.includes(SENSITIVE), `no sensitive value in ${json}`);
  assert.ok(!json.includes(SECRET), `no secret in ${json}`);
  await context.close();

  const fresh = await browser.newContext();
  const other = await fresh.newPage();
  await other.goto(url);
  await other.waitForSelector('.chart-button[data-chart="ixn"][aria-pressed="true"]');
  await revealField(other, 'tenant.id');
  assert.equal(await field(other, 'tenant.id').locator('input').inputValue(), '9350e2fc-a1dd-4c65-8d40-1f75a2e080dd');
  assert.equal(await other.evaluate(() => location.hash), '', 'the fragment is cleared once applied');
  // A later edit survives a reload: the link is not applied again over it.
  await field(other, 'tenant.id').locator('input').fill('11111111-2222-4333-8444-555555555555');
  await other.waitForTimeout(500);
  await other.reload();
  await other.waitForSelector('.chart-button');
  await pickChart(other, 'ixn');
  await revealField(other, 'tenant.id');
  assert.equal(await field(other, 'tenant.id').locator('input').inputValue(), '11111111-2222-4333-8444-555555555555');
  await fresh.close();
});

test('an answers file for an unknown chart is refused and changes nothing', async () => {
  const { context, page } = await openApp(browser, served.url);
  await pickChart(page, 'middleware');
  await field(page, 'autoscaling.maxReplicas').locator('input').fill('6');
  await page.click('#tab-import');
  await page.fill('#import-paste', 'chart: zzz\nvalues:\n  autoscaling:\n    maxReplicas: 2\n');
  await page.click('#import-button');
  const refusal = page.locator('.import-panel .yaml-error');
  await refusal.waitFor();
  assert.match(await refusal.textContent(), /zzz/);
  assert.equal(await page.locator('.chart-button[data-chart="middleware"]').getAttribute('aria-pressed'), 'true');
  assert.equal(await field(page, 'autoscaling.maxReplicas').locator('input').inputValue(), '6');
  await context.close();
});

test('a plain credential in a tenant secret reference is masked and not kept; the prefilled file path is', async () => {
  const { context, page } = await openApp(browser, served.url);
  await pickChart(page, 'tenant');
  await revealField(page, 'tenant.secrets.pgdb.pwd.secretName');
  await revealField(page, 'tenant.svcpwdSecretName');
  const pgdb = field(page, 'tenant.secrets.pgdb.pwd.secretName').locator('input');
  const prefilled = await pgdb.inputValue();
  assert.match(prefilled, /^\/opt\/genesys\//, 'the guide\u2019s file path is prefilled');
  await field(page, 'tenant.svcpwdSecretName').locator('input').fill('plain-svc-pw-3');
  await page.click('#tab-values-yaml');
  const preview = await page.locator('#export-preview').textContent();
  assert.ok(!preview.includes('plain-svc-pw-3'), 'the plain credential is masked');
  assert.ok(preview.includes(prefilled), 'a file path is shown');
  await page.waitForTimeout(500);
  const stored = await page.evaluate(() => JSON.stringify({ ...localStorage }));
  assert.ok(!stored.includes('plain-svc-pw-3'), 'not in the draft');
  await page.reload();
  await page.waitForSelector('.chart-button');
  await pickChart(page, 'tenant');
  await revealField(page, 'tenant.svcpwdSecretName');
  await revealField(page, 'tenant.secrets.pgdb.pwd.secretName');
  assert.equal(await field(page, 'tenant.svcpwdSecretName').locator('input').inputValue(), '');
  assert.equal(await field(page, 'tenant.secrets.pgdb.pwd.secretName').locator('input').inputValue(), prefilled, 'the prefilled path survives the reload');
  await context.close();
});
