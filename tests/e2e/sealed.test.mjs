// End-to-end: SealedSecrets sealed in the page. Paste the controller's certificate, see what it is,
// pick a scope, download sealed-secrets.yaml and open it again here with Node's OpenSSL and the
// test key (the controller's scheme); refusals for a bad certificate; the certificate stays across a
// reload; the page makes no request while doing any of it; and the offline single file seals too.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { isOnDemandFile, openApp, openOfflineFile, openSealed, outputPath, startSuite, stopSuite } from './harness.mjs';

const FIXTURES = 'core/tests/fixtures/sealed';
const CERT = readFileSync(`${FIXTURES}/cert.pem`, 'utf8');
const KEY = readFileSync(`${FIXTURES}/key.pem`, 'utf8');

let browser;
let served;
before(async () => ({ browser, served } = await startSuite()));
after(() => stopSuite({ browser, served }));

/** The controller's opening, with the test key. */
const open = (base64, label) => openSealed(base64, label, KEY);

test('a pasted certificate seals the secrets in the page, and no request leaves it', async () => {
  const { context, page, requests, errors } = await openApp(browser, served.url);
  await page.waitForLoadState('networkidle');
  const atLoad = requests.length;
  await page.click('.chart-button[data-chart="middleware"]');
  // A single-line input: no line break (the core's tests and the Python opener cover those).
  const secret = 'it\'s "$HOME" `id` é \\ ü';
  await page.locator('.field[data-path="genesys-integration-secrets/client-secret"] textarea, .field[data-path="genesys-integration-secrets/client-secret"] input').first().fill(secret);

  await page.click('#tab-sealed-secrets-yaml');
  assert.match(await page.locator('#export-preview').textContent(), /Give the sealed-secrets controller's certificate/);
  await page.fill('#sealing-cert', CERT);
  const info = page.locator('#sealing-cert-info');
  await info.waitFor();
  const shown = await info.textContent();
  assert.match(shown, /CN=sealed-secret/);
  assert.match(shown, /2036-11-27/);
  assert.match(shown, /B2:2F:DA:57/);
  assert.match(shown, /RSA 4096 bits, SHA256:NX0SbApYHj9M2LL8eNS5eUOctsmtXWgMr1MppJDFe0U/);
  await page.selectOption('#seal-scope', 'namespace-wide');
  await page.waitForFunction(() => document.querySelector('#export-preview')?.textContent.includes('sealedsecrets.bitnami.com/namespace-wide'));
  await page.screenshot({ path: outputPath('sealed-secrets.png'), fullPage: false });

  const download = page.waitForEvent('download');
  await page.click('#download-file');
  const file = await download;
  assert.equal(file.suggestedFilename(), 'sealed-secrets.yaml');
  const text = readFileSync(await file.path(), 'utf8');
  assert.equal(text, await page.locator('#export-preview').textContent(), 'the download is the preview, byte for byte');
  assert.match(text, /^kind: SealedSecret$/m);
  assert.ok(!text.includes('s3cret') && !text.includes('$HOME'), 'nothing in the clear');
  const namespace = text.match(/^ {2}namespace: "?([-a-z0-9]+)"?$/m)[1];
  const sealed = text.match(/^ {4}client-secret: "?([A-Za-z0-9+/=]+)"?$/m)[1];
  assert.equal(open(sealed, namespace), secret, 'opened with the namespace-wide label');
  assert.throws(() => open(sealed, `${namespace}-other`), 'another namespace cannot open it');

  // The commands apply the sealed file; "download all" holds it.
  await page.click('#tab-commands-sh');
  assert.match(await page.locator('#export-preview').textContent(), /kubectl apply -f "\$SCRIPT_DIR"\/sealed-secrets\.yaml/);
  const zip = page.waitForEvent('download');
  await page.click('#download-all');
  assert.ok(readFileSync(await (await zip).path()).includes('sealed-secrets.yaml'));

  const network = (url) => !url.startsWith('data:') && !url.startsWith('blob:');
  // The tools module (sealing's code) and the chart's file come from the page's own files, once.
  assert.deepEqual(requests.slice(atLoad).filter(network).filter((url) => !isOnDemandFile(url)), [], 'sealing and downloading made no other request');
  assert.ok(requests.filter(network).every((url) => url.startsWith(served.url)), 'every request stays on the app origin');

  // The certificate is public: it stays across a reload.
  await page.reload();
  await page.waitForSelector('.chart-button');
  await page.click('#tab-sealed-secrets-yaml');
  await page.locator('#sealing-cert-info').waitFor();
  assert.match(await page.inputValue('#sealing-cert'), /BEGIN CERTIFICATE/);

  // Refusals, with the reason.
  for (const [name, reason] of [['expired-cert.pem', /expired on 2001-01-01/], ['ec-cert.pem', /not RSA/]]) {
    await page.fill('#sealing-cert', readFileSync(`${FIXTURES}/${name}`, 'utf8'));
    const error = page.locator('#sealing-cert-error');
    await error.waitFor();
    assert.match(await error.textContent(), reason);
    assert.match(await page.locator('#export-preview').textContent(), /The certificate is refused/);
  }
  await page.fill('#sealing-cert', '');

  assert.deepEqual(requests.slice(atLoad).filter(network).filter((url) => !url.startsWith(served.url)), [], 'nothing leaves the page');
  assert.deepEqual(errors, [], 'no console errors');
  await context.close();
});

test('the offline single file seals from file:// with the network blocked', async () => {
  const { context, page, refused: requests, errors } = await openOfflineFile(browser);
  await page.click('.chart-button[data-chart="middleware"]');
  await page.locator('.field[data-path="genesys-integration-secrets/client-secret"] input').first().fill('offline-secret');
  await page.click('#tab-sealed-secrets-yaml');
  await page.fill('#sealing-cert', CERT);
  await page.locator('#sealing-cert-info').waitFor();
  const text = await page.locator('#export-preview').textContent();
  const namespace = text.match(/^ {2}namespace: "?([-a-z0-9]+)"?$/m)[1];
  const name = text.match(/^ {2}name: "?([-a-z0-9.]+)"?$/m)[1];
  const sealed = text.match(/^ {4}client-secret: "?([A-Za-z0-9+/=]+)"?$/m)[1];
  assert.equal(open(sealed, `${namespace}/${name}`), 'offline-secret', 'strict by default');
  assert.deepEqual(requests.filter((url) => !url.startsWith('file:') && !url.startsWith('data:')), []);
  assert.deepEqual(errors, []);
  await context.close();
});
