// The wasm's stack (build.rs sets its size): small, because the page holds all of it from the start,
// and first in linear memory, so an overflow traps below address 0 instead of overwriting data.
// The deepest input the boundary accepts, through every entry point and every export, and sealing,
// must use at most a quarter of it. harness.mjs paints the stack before the wasm's main runs and
// reads back how deep it went.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { assertStackHeadroom, openApp, startSuite, stopSuite, waitForModule, wasmLayout } from './harness.mjs';

const CERT = readFileSync('core/tests/fixtures/sealed/cert.pem', 'utf8');
// The boundary refuses values nested deeper than 120 levels (input.rs): 119 maps and a leaf get in.
const DEEPEST = 119;

let browser;
let served;
before(async () => ({ browser, served } = await startSuite()));
after(() => stopSuite({ browser, served }));

/** `maps` nested maps (`k0:` … under `indent` spaces), the innermost holding `leaf: 1`. */
function nested(maps, indent = 0) {
  const lines = Array.from({ length: maps }, (_, depth) => `${' '.repeat(indent + 2 * depth)}k${depth}:`);
  lines.push(`${' '.repeat(indent + 2 * maps)}leaf: 1`);
  return `${lines.join('\n')}\n`;
}

async function previewOf(page, tab) {
  await page.click(tab);
  return page.locator('#export-preview').textContent();
}

test('the stack is first in linear memory and no larger than 512 KiB', () => {
  const { stackBytes, dataStart } = wasmLayout();
  assert.ok(stackBytes > 0, 'the stack pointer was found');
  assert.ok(dataStart >= stackBytes, `data starts at ${dataStart}, inside the stack (${stackBytes} bytes)`);
  assert.ok(stackBytes <= 512 * 1024, `the stack is ${stackBytes} bytes; the page holds every byte of it`);
});

test('the deepest accepted input uses at most a quarter of the stack', async () => {
  const used = [];
  const { context, page, errors } = await openApp(browser, `${served.url}?chart=ixn`);
  used.push(['start-up', await assertStackHeadroom(page, 'start-up')]);

  // One level more is refused: DEEPEST is the limit, not a guess below it.
  await page.click('#tab-edit-yaml');
  await waitForModule(page);
  await page.fill('#yaml-view-text', nested(DEEPEST + 1));
  await page.locator('.yaml-view .yaml-error').waitFor();
  await page.fill('#yaml-view-text', nested(DEEPEST));
  assert.equal(await page.locator('.yaml-view .yaml-error').count(), 0, 'the deepest input is accepted');
  assert.match(await previewOf(page, '#tab-values-yaml'), /^ +leaf: 1$/m);
  for (const tab of ['#tab-diff', '#tab-secrets-yaml', '#tab-sealed-secrets-yaml', '#tab-commands-sh', '#tab-commands-ps1', '#tab-values-schema-json']) {
    await page.click(tab);
  }
  await page.click('#share-link');
  const link = await page.locator('#share-url').inputValue();
  // The draft is written a moment after the change; wait for it before the reload reads it back.
  await page.waitForFunction(() => Object.keys(localStorage).some((key) => localStorage.getItem(key).includes('k118')));
  used.push(['Edit YAML, every export, share link, draft', await assertStackHeadroom(page, 'Edit YAML and exports')]);

  await page.reload();
  assert.match(await previewOf(page, '#tab-values-yaml'), /^ +leaf: 1$/m, 'the draft came back');
  used.push(['the draft read at start-up', await assertStackHeadroom(page, 'draft')]);

  await page.click('#tab-import');
  await page.fill('#import-paste', nested(DEEPEST));
  await page.click('#import-button');
  await page.waitForSelector('.import-report');
  used.push(['import', await assertStackHeadroom(page, 'import')]);

  // An environment file with the deepest values, under environment → charts → ixn → values.
  await page.click('#open-environment');
  const file = `environment: deep\ncharts:\n  ixn:\n    values:\n${nested(DEEPEST, 6)}`;
  await page.setInputFiles('#env-open-file', { name: 'deep.yaml', mimeType: 'text/yaml', buffer: Buffer.from(file) });
  assert.match(await page.locator('#env-opened').textContent(), /^Opened /);
  for (const tab of ['#plan-tab-install-sh', '#plan-tab-install-ps1', '#plan-tab-report', '#plan-tab-environment']) {
    await page.click(tab);
  }
  used.push(['environment plan', await assertStackHeadroom(page, 'environment')]);

  // Sealing: RSA-OAEP with a 4096-bit key, in the page.
  await page.click('.chart-button[data-chart="middleware"]');
  await page.locator('.field[data-path="genesys-integration-secrets/client-secret"] textarea, .field[data-path="genesys-integration-secrets/client-secret"] input').first().fill('sealed-value');
  await page.click('#tab-sealed-secrets-yaml');
  await page.fill('#sealing-cert', CERT);
  await page.locator('#sealing-cert-info').waitFor();
  await page.waitForFunction(() => document.querySelector('#export-preview')?.textContent.includes('encryptedData'));
  used.push(['sealing', await assertStackHeadroom(page, 'sealing')]);
  await context.close();

  const opened = await openApp(browser, link);
  assert.match(await previewOf(opened.page, '#tab-values-yaml'), /^ +leaf: 1$/m, 'the link carried the values');
  used.push(['share link opened', await assertStackHeadroom(opened.page, 'share link')]);
  await opened.context.close();

  assert.deepEqual(errors.filter((error) => /unreachable|panicked|RuntimeError/.test(error)), []);
  const { stackBytes } = wasmLayout();
  console.log(`stack used of ${stackBytes} bytes: ${used.map(([what, bytes]) => `${what} ${bytes}`).join('; ')}`);
});
