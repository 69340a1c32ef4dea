// End-to-end (issue 30): what an operator trying the page hit — destructive buttons with no way
// back, "Save answers" out of sight and saving what pecfg render then refused without a hint,
// guide citations by hashed file name, "1 errors".
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { openApp, pickChart, revealField, startSuite, stopSuite } from './harness.mjs';

let browser;
let served;
before(async () => ({ browser, served } = await startSuite()));
after(() => stopSuite({ browser, served }));

const input = (page, path) => page.locator(`.field[data-path="${path}"] input`).first();

test('Reset chart and Start over say what they did and can be undone', async () => {
  const { context, page, errors } = await openApp(browser, served.url);
  await pickChart(page, 'middleware');
  await input(page, 'autoscaling.maxReplicas').fill('9');
  for (const button of ['#reset-chart', '#start-over']) {
    await page.click(button);
    await page.locator('#undo-notice').waitFor();
    assert.equal(await input(page, 'autoscaling.maxReplicas').inputValue(), '', `${button} reset the form`);
    await page.click('#undo-button');
    assert.equal(await input(page, 'autoscaling.maxReplicas').inputValue(), '9', `Undo after ${button} brought the answer back`);
    assert.equal(await page.locator('#undo-notice').count(), 0, 'the notice goes with the Undo');
  }
  assert.deepEqual(errors, []);
  await context.close();
});

test('Save answers sits with the exports, and its file says which credentials it leaves out for pecfg render', async () => {
  const { context, page } = await openApp(browser, served.url);
  await pickChart(page, 'ixn');
  const path = 'ixnService.ixnNode.secrets.db.password';
  await revealField(page, path);
  await input(page, path).fill('node-pass-55');
  const button = page.locator('#save-answers');
  assert.equal(await button.evaluate((element) => Boolean(element.closest('.layout-export'))), true, 'in the export panel');
  await page.click('#tab-values-yaml');
  assert.ok(await button.isVisible(), 'visible without opening Import');
  const download = page.waitForEvent('download');
  await button.click();
  const file = await download;
  assert.equal(file.suggestedFilename(), 'ixn-answers.yaml');
  const text = readFileSync(await file.path(), 'utf8');
  assert.ok(!text.includes('node-pass-55'), 'no credential in the file');
  assert.match(text, /no secret value is saved here/);
  assert.match(text.replace(/\n# /g, ' '), /Credentials given as values are left out too: add them under `values:` before `pecfg render`: [^.]*ixnService\.ixnNode\.secrets\.db\.password/);
  await context.close();
});

test('a citation names the guide by its title, with the file and lines on hover', async () => {
  const { context, page } = await openApp(browser, served.url);
  await pickChart(page, 'ixn');
  const citations = await page.$$eval('.field .field-source[title]', (spans) => spans.slice(0, 20).map((span) => ({ text: span.textContent, title: span.title })));
  assert.ok(citations.length > 0);
  for (const { text, title } of citations) {
    assert.ok(!/[0-9a-f]{16}\.txt/.test(text), `the visible citation names no hashed file: ${text}`);
    assert.match(text, /(guide|Setting up|private edition)/i, `a guide's title: ${text}`);
    assert.match(title, /\.txt:\d+/, `the file and lines on hover: ${title}`);
  }
  await context.close();
});

test('counts agree in number: "1 error", never "1 errors"', async () => {
  const { context, page } = await openApp(browser, served.url);
  for (const chart of ['ges', 'ixn', 'middleware', 'tenant', 'tenant-monitor']) {
    await pickChart(page, chart);
    const text = await page.locator('#checks-bar').innerText();
    assert.ok(!/\b1 (errors|warnings)\b/.test(text) && !/\((s)\)/.test(text), `${chart}: ${text}`);
    const [errors, warnings] = [...text.matchAll(/(\d+) (errors?|warnings?)/g)].map((match) => [Number(match[1]), match[2]]);
    for (const [count, word] of [errors, warnings].filter(Boolean)) assert.equal(word.endsWith('s'), count !== 1, `${chart}: ${count} ${word}`);
  }
  await context.close();
});
