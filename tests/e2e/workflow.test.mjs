// End-to-end workflows: live validation with the summary, import of the guides' sample files and of
// typos, the YAML view in both directions, drafts across reloads, share links without secrets, and
// the Mirror tab against `pecfg images`.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { openApp, pickChart, revealField, startSuite, stopSuite, waitForModule } from './harness.mjs';

let browser;
let served;
before(async () => ({ browser, served } = await startSuite()));
after(() => stopSuite({ browser, served }));

const field = (page, path) => page.locator(`.field[data-path="${path}"]`);

async function importText(page, text) {
  await page.click('#tab-import');
  await page.fill('#import-paste', text);
  await page.click('#import-button');
  await page.waitForSelector('.import-report, .import-panel .yaml-error');
}

test('a bad value shows inline, in the summary, blocks exports, and the summary link focuses the field', async () => {
  const { context, page } = await openApp(browser, served.url);
  // Middleware's defaults have no error, so the one rule broken here is all that blocks.
  await pickChart(page, 'middleware');
  await field(page, 'autoscaling.minReplicas').locator('input').fill('11');
  const inline = field(page, 'autoscaling.minReplicas').locator('.message.error');
  await inline.waitFor();
  assert.match(await inline.textContent(), /minReplicas.*11.*more than.*maxReplicas/);
  const entry = page.locator('.summary-entry.error', { hasText: 'autoscaling.minReplicas' });
  await entry.waitFor();
  assert.equal(await page.locator('#download-all').isDisabled(), true, 'exports wait for the errors to be fixed');
  assert.match(await page.locator('.blocked-reason').textContent(), /error/);
  await entry.locator('button').click();
  // The jump focuses the field once it is laid out (two frames later).
  await page.waitForFunction(() => document.activeElement?.id === 'field-autoscaling-minReplicas');
  await field(page, 'autoscaling.minReplicas').locator('input').fill('3');
  await page.waitForFunction(() => !document.querySelector('.field[data-path="autoscaling.minReplicas"] .message.error'));
  assert.equal(await page.locator('#download-all').isDisabled(), false);
  await context.close();
});

describe('importing the guides\u2019 sample files reports no unknown key', () => {
  const samples = [
    ['ixn', 'tests/fixtures/ixn-override_values.yaml', 'replicaCount', '1'],
    ['tenant', 'tests/fixtures/tenant-values.yaml', null, null],
    ['tenant-monitor', 'tests/fixtures/tenant-monitor-values.yaml', 'tenant.logging.volume.logClaimSize', '5'],
  ];
  for (const [chart, file, path, shown] of samples) {
    test(chart, async () => {
      const { context, page } = await openApp(browser, served.url);
      await pickChart(page, chart);
      await importText(page, readFileSync(file, 'utf8'));
      assert.equal(await page.locator('.import-panel .yaml-error').count(), 0);
      const unknown = await page.locator('.report-unknown li').allTextContents();
      assert.deepEqual(unknown, [], 'every key of the sample is in the catalog');
      if (path) await revealField(page, path);
      if (path) assert.equal(await field(page, path).locator('input').first().inputValue(), shown);
      assert.ok((await page.locator('.field.changed').count()) > 0, 'the form shows the imported values');
      await context.close();
    });
  }
});

test('importing a file with typos suggests the right keys and keeps the unknown ones', async () => {
  const { context, page } = await openApp(browser, served.url);
  await pickChart(page, 'middleware');
  await importText(page, 'autoscaling:\n  maxReplica: 4\nreplicas: 3\ngenesys:\n  polling_interval_second: 30\n');
  const report = (await page.locator('.report-unknown').textContent()).replace(/\s+/g, ' ');
  // The same line `pecfg import` prints (the core's report lines).
  assert.match(report, /autoscaling\.maxReplica: kept as it is \(did you mean `autoscaling\.maxReplicas`\?\)/);
  assert.match(report, /genesys\.polling_interval_second: kept as it is \(did you mean `genesys\.polling_interval_seconds`\?\)/);
  await page.click('#tab-values-yaml');
  assert.match(await page.locator('#export-preview').textContent(), /maxReplica: 4/, 'unknown keys are exported verbatim');
  await context.close();
});

test('an imported value Helm reads as another type is explained as the CLI explains it, with the fix as written', async () => {
  // `sid: 0100` is the number 64 for Helm (YAML 1.1 octal): the release became ixn-64 silently,
  // and the only message said to write "64".
  const text = `tenant:\n  id: ${'9350e2fc-a1dd-4c65-8d40-1f75a2e080dd'}\n  sid: 0100\n`;
  const dir = mkdtempSync(join(tmpdir(), 'pecfg-import-'));
  writeFileSync(join(dir, 'old-values.yaml'), text);
  const printed = execFileSync('cargo', ['run', '-q', '-p', 'pecfg', '--', 'import', 'ixn', join(dir, 'old-values.yaml')], { encoding: 'utf8' });
  const explanation = printed.split('\n').find((line) => line.includes('tenant.sid'));
  assert.ok(explanation, printed);
  assert.match(explanation, /read by Helm as the number 64/);
  assert.match(explanation, /write "0100"/);
  const { context, page } = await openApp(browser, served.url);
  await pickChart(page, 'ixn');
  await importText(page, text);
  const report = (await page.locator('.import-report').innerText()).replace(/\s+/g, ' ');
  const sentence = explanation.replace(/^retyped /, '').replace(/\s+/g, ' ').trim();
  assert.ok(report.includes(sentence), `the page explains as the CLI: ${sentence}\n${report}`);
  await revealField(page, 'tenant.sid');
  const shown = await page.locator('body').innerText();
  assert.ok(!shown.includes('write "64"'), 'no message suggests the wrong fix');
  await context.close();
});

test('the YAML view and the form stay in sync both ways', async () => {
  const { context, page } = await openApp(browser, served.url);
  await pickChart(page, 'middleware');
  await page.click('#tab-edit-yaml');
  await waitForModule(page);
  await page.fill('#yaml-view-text', 'autoscaling:\n  minReplicas: 3\n');
  assert.equal(await field(page, 'autoscaling.minReplicas').locator('input').inputValue(), '3');
  await page.fill('#yaml-view-text', 'autoscaling:\n  minReplicas: [oops\n');
  assert.match(await page.locator('.yaml-view .yaml-error').textContent(), /line \d+, column \d+/);
  assert.equal(await page.locator('#yaml-view-text').inputValue(), 'autoscaling:\n  minReplicas: [oops\n', 'the text is kept');
  assert.equal(await field(page, 'autoscaling.minReplicas').locator('input').inputValue(), '3', 'nothing is applied');
  await page.fill('#yaml-view-text', 'autoscaling:\n  minReplicas: 3\n');
  await field(page, 'autoscaling.maxReplicas').locator('input').fill('9');
  assert.match(await page.locator('#yaml-view-text').inputValue(), /maxReplicas: 9/);
  // Changes made above a field's path reach it: the form is fed from the paths that changed.
  const status = (path) => field(page, path).locator('.field-status').getAttribute('data-status');
  await page.fill('#yaml-view-text', 'autoscaling:\n  minReplicas: 5\n  maxReplicas: 7\n');
  assert.equal(await field(page, 'autoscaling.minReplicas').locator('input').inputValue(), '5');
  assert.equal(await field(page, 'autoscaling.maxReplicas').locator('input').inputValue(), '7');
  await page.fill('#yaml-view-text', 'autoscaling: null\n');
  assert.equal(await status('autoscaling.minReplicas'), 'default', 'a null map above deletes the field\'s override');
  assert.equal(await status('autoscaling.maxReplicas'), 'default');
  assert.equal(await field(page, 'autoscaling.maxReplicas').locator('input').inputValue(), '');
  await page.fill('#yaml-view-text', 'autoscaling:\n  maxReplicas: 12\n');
  assert.equal(await field(page, 'autoscaling.maxReplicas').locator('input').inputValue(), '12');
  assert.equal(await status('autoscaling.minReplicas'), 'default', 'the sibling the text no longer names');
  assert.equal(await field(page, 'autoscaling.minReplicas').locator('input').inputValue(), '');
  await context.close();
});

test('drafts survive a reload without secret values; start over forgets them', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(served.url);
  await page.waitForSelector('.chart-button');
  await pickChart(page, 'middleware');
  await field(page, 'autoscaling.maxReplicas').locator('input').fill('11');
  await page.locator('.field[data-path="genesys-integration-secrets/client-secret"] input').fill('top-secret-value-1');
  await page.reload();
  await page.waitForSelector('.chart-button');
  await pickChart(page, 'middleware');
  assert.equal(await field(page, 'autoscaling.maxReplicas').locator('input').inputValue(), '11');
  assert.equal(await page.locator('.field[data-path="genesys-integration-secrets/client-secret"] input').inputValue(), '');
  // Said where it happens: the restored form says its secret values did not come back.
  assert.match(await page.locator('#restore-notice').innerText(), /restored from this browser\. Secret values are never stored/);
  const stored = await page.evaluate(() => JSON.stringify({ ...localStorage }));
  assert.ok(!stored.includes('top-secret-value-1'), 'no secret in localStorage');
  await page.click('#start-over');
  await page.reload();
  await page.waitForSelector('.chart-button');
  await pickChart(page, 'middleware');
  assert.equal(await field(page, 'autoscaling.maxReplicas').locator('input').inputValue(), '');
  assert.equal(await page.locator('#restore-notice').count(), 0, 'no draft, no notice');
  await context.close();
});

test('a share link restores the state in a fresh browser and never carries a secret', async () => {
  const { context, page } = await openApp(browser, served.url);
  await pickChart(page, 'ixn');
  await revealField(page, 'tenant.id');
  await field(page, 'tenant.id').locator('input').fill('9350e2fc-a1dd-4c65-8d40-1f75a2e080dd');
  await field(page, 'tenant.sid').locator('input').fill('100');
  await page.locator('.field[data-path="kafka-shared-secret/kafka-secrets/password"] input').fill('kafka-secret-pw-9');
  await page.click('#share-link');
  const url = await page.locator('#share-url').inputValue();
  assert.ok(!url.includes('kafka-secret-pw-9'));
  // The link is compressed, so look inside: base64url, then raw deflate.
  const decoded = inflateRawSync(Buffer.from(url.split('#v1.')[1], 'base64url')).toString('utf8');
  assert.match(decoded, /9350e2fc-a1dd-4c65-8d40-1f75a2e080dd/);
  assert.ok(!decoded.includes('kafka-secret-pw-9'), decoded);
  await context.close();

  const fresh = await browser.newContext();
  const other = await fresh.newPage();
  await other.goto(url);
  await other.waitForSelector('.chart-button[data-chart="ixn"][aria-pressed="true"]');
  await revealField(other, 'tenant.id');
  assert.equal(await field(other, 'tenant.id').locator('input').inputValue(), '9350e2fc-a1dd-4c65-8d40-1f75a2e080dd');
  assert.equal(await other.locator('.field[data-path="kafka-shared-secret/kafka-secrets/password"] input').inputValue(), '');
  // The IXN release follows the chart's own short id, tenant.sid (the guide's ixn-100).
  assert.match(await other.locator('#field-release').getAttribute('placeholder'), /ixn-100/);
  await fresh.close();
});

test('the Mirror tab writes pecfg images\u2019s bytes: images.txt, mirror.sh and mirror.ps1 of the same answers', async () => {
  const answers = 'core/tests/scenarios/ixn.answers.yaml';
  const target = 'mirror.example.org/genesys';
  const dir = mkdtempSync(join(tmpdir(), 'pecfg-images-'));
  execFileSync('cargo', ['run', '-q', '-p', 'pecfg', '--', 'images', 'ixn', '--answers', answers, '--target-registry', target, '--out', dir], { encoding: 'utf8' });
  const { context, page } = await openApp(browser, served.url);
  await pickChart(page, 'ixn');
  await importText(page, readFileSync(answers, 'utf8'));
  assert.equal(await page.locator('.import-panel .yaml-error').count(), 0);
  await page.click('#tab-mirror');
  await page.fill('#mirror-target', target);
  await page.waitForFunction((target) => document.querySelector('#mirror-report')?.textContent.includes(target), target);
  for (const name of ['images.txt', 'mirror.sh', 'mirror.ps1']) {
    const download = page.waitForEvent('download');
    await page.click(`#mirror-${name.replace('.', '-')}`);
    const saved = await download;
    assert.equal(saved.suggestedFilename(), name);
    assert.equal(readFileSync(await saved.path(), 'utf8'), readFileSync(join(dir, name), 'utf8'), `${name} differs from pecfg images --out`);
  }
  assert.match(readFileSync(join(dir, 'images.txt'), 'utf8'), /^pureengage-docker-staging\.jfrog\.io\/ixn\/interaction_server:100\.0\.100\.0011$/m, 'the scenario\u2019s images are listed');
  await context.close();
});
