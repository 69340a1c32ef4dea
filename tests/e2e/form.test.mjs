// End-to-end tests of the form: one field per catalog input, a widget per kind that writes to the
// state, search and view filters, keyboard-only list editing, an axe-core audit and screenshots.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { openApp, outputPath, pickChart, renderAllFields, revealField, startSuite, stopSuite, waitForModule } from './harness.mjs';

const pecfg = (...args) => execFileSync('cargo', ['run', '-q', '-p', 'pecfg', '--', ...args], { encoding: 'utf8' });
const charts = pecfg('charts').trim().split('\n');
const catalogs = Object.fromEntries(charts.map((id) => [id, JSON.parse(pecfg('catalog', id))]));
const axeSource = readFileSync('node_modules/axe-core/axe.min.js', 'utf8');

let browser;
let served;
before(async () => ({ browser, served } = await startSuite()));
after(() => stopSuite({ browser, served }));

const fieldSelector = (path) => `.field[data-path="${path}"]`;

describe('every catalog input has exactly one field', () => {
  for (const id of charts) {
    test(id, async () => {
      const { context, page } = await openApp(browser, served.url);
      await pickChart(page, id);
      await renderAllFields(page);
      const rendered = await page.$$eval('.field[data-kind]', (fields) => fields.map((field) => field.dataset.path));
      const expected = catalogs[id].map((entry) => entry.path);
      assert.equal(rendered.length, expected.length, 'field count equals pecfg catalog');
      assert.deepEqual([...rendered].sort(), [...expected].sort());
      await context.close();
    });
  }
});

/** Types a value appropriate to the field's kind and returns the text expected in values.yaml. */
async function fillByKind(page, entry) {
  const field = page.locator(fieldSelector(entry.path));
  switch (entry.kind) {
    case 'boolean': {
      await field.locator('input[type=checkbox]').first().click();
      return entry.path.split('.').pop().replace(/\[\d+\]$/, '');
    }
    case 'enum': {
      // Pick a listed value that differs from the default, so it is an override.
      const choice = entry.allowed.map(String).find((value) => value !== String(entry.default));
      await field.locator('select').first().selectOption({ label: choice });
      return choice;
    }
    case 'integer':
    case 'number':
    case 'port':
      await field.locator('input').first().fill('4321');
      return '4321';
    case 'quantity':
      await field.locator('input').first().fill('777');
      return '777';
    case 'uuid':
      await field.locator('button', { hasText: 'Generate v4' }).click();
      return entry.path.split('.').pop();
    case 'map':
      await field.locator('button', { hasText: 'Add entry' }).click();
      await field.locator('input[placeholder=key]').last().fill('team');
      await field.locator('input[placeholder=value]').last().fill('blue-7');
      return 'blue-7';
    case 'string_list':
      await field.locator('button', { hasText: 'Add item' }).click();
      await field.locator('.rows input').last().fill('/zz-typed');
      return '/zz-typed';
    case 'object_list':
      await field.locator('button', { hasText: 'Add item' }).click();
      await field.locator('.object-item').last().locator('input, textarea').first().fill('zz-item');
      return 'zz-item';
    case 'yaml':
      await field.locator('textarea').fill('zzkey: zzvalue');
      return 'zzkey: zzvalue';
    case 'template':
      await field.locator('textarea').fill('line-one-zz\nline-two-zz');
      return 'line-two-zz';
    default:
      await field.locator('input').first().fill('typed-zz-value');
      return 'typed-zz-value';
  }
}

describe('a value typed into each widget kind reaches values.yaml', () => {
  for (const id of charts) {
    test(id, async () => {
      const { context, page } = await openApp(browser, served.url);
      await pickChart(page, id);
      await renderAllFields(page);
      const byKind = new Map();
      // An enum whose only allowed value is its default cannot be changed, so it is not a probe;
      // a sensitive value is masked in the preview (secrets.test.mjs covers it).
      const canChange = (entry) => entry.kind !== 'enum' || entry.allowed.some((value) => String(value) !== String(entry.default));
      for (const entry of catalogs[id]) if (!entry.secret && !entry.sensitive && !byKind.has(entry.kind) && canChange(entry)) byKind.set(entry.kind, entry);
      for (const entry of byKind.values()) {
        const expected = await fillByKind(page, entry);
        const preview = await page.locator('#export-preview').textContent();
        assert.ok(preview.includes(expected), `${entry.kind} field ${entry.path}: values.yaml shows ${JSON.stringify(expected)}`);
        assert.equal(await page.locator(fieldSelector(entry.path)).getAttribute('class').then((c) => c.includes('changed')), true, `${entry.path} is marked changed`);
      }
      await context.close();
    });
  }
});

test('the values.yaml preview follows typing by changing text in place, and is always the file', async () => {
  const { context, page } = await openApp(browser, served.url);
  await pickChart(page, 'ixn');
  await page.click('#tab-values-yaml');
  const path = 'ixnService.ixnServer.db.host';
  await revealField(page, path);
  await page.focus(`${fieldSelector(path)} input`);
  const preview = () => page.locator('#export-preview').textContent();
  // What the page writes afresh for the same answers: the draft read back by a new page (IXN's
  // empty required values block the download, so the file is compared through a fresh render).
  const afresh = async (marker) => {
    await page.waitForFunction((marker) => Object.values(localStorage).some((item) => item.includes(marker)), marker);
    const other = await context.newPage();
    await other.goto(page.url());
    await pickChart(other, 'ixn');
    await other.click('#tab-values-yaml');
    await other.waitForFunction((marker) => document.querySelector('#export-preview')?.textContent.includes(marker), marker);
    const text = await other.locator('#export-preview').textContent();
    await other.close();
    return text;
  };
  await page.keyboard.type('pg');
  await page.waitForFunction(() => document.querySelector('#export-preview').textContent.includes('host: pg'));
  // The line that shows the value, marked, and every change to the preview recorded from now on.
  await page.evaluate(() => {
    const line = [...document.querySelectorAll('#export-preview code > span')].find((node) => node.textContent.includes('host: pg'));
    line.dataset.marked = 'yes';
    window.previewChanges = [];
    new MutationObserver((changes) => window.previewChanges.push(...changes.map((change) => change.type)))
      .observe(document.querySelector('#export-preview'), { subtree: true, childList: true, characterData: true, attributes: true });
  });
  for (const key of 'sql.example.internal') await page.keyboard.press(key);
  await page.keyboard.press('Backspace');
  await page.waitForFunction(() => document.querySelector('#export-preview').textContent.includes('host: pgsql.example.interna\n'));
  const marked = await page.$eval('#export-preview span[data-marked]', (node) => node.textContent);
  assert.match(marked, /host: pgsql\.example\.interna\n/, 'the same line node shows the value as typed');
  const kinds = await page.evaluate(() => [...new Set(window.previewChanges)]);
  assert.deepEqual(kinds, ['characterData'], 'each keystroke only set text; no line was rebuilt');
  assert.equal(await preview(), await afresh('pgsql.example.interna'), 'the preview is the file, byte for byte');
  // Emptied, the field is back to its default (a required one, so the download waits): its line
  // goes; typed again, it comes back, and the preview is the file again.
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Backspace');
  await page.waitForFunction(() => !document.querySelector('#export-preview').textContent.includes('host: pg'));
  assert.equal(await page.$('#export-preview span[data-marked]'), null, 'the line went');
  await page.keyboard.type('db-1');
  await page.waitForFunction(() => document.querySelector('#export-preview').textContent.includes('host: db-1'));
  assert.equal(await preview(), await afresh('db-1'), 'after a line went and came back');
  await context.close();
});

test('search filters fields by path, label or doc; changed-only shows only set fields', async () => {
  const { context, page } = await openApp(browser, served.url);
  await pickChart(page, 'ixn');
  const visibleFields = () => page.$$eval('.field[data-kind]', (fields) => fields.filter((field) => field.offsetParent !== null).map((field) => field.dataset.path));
  await page.fill('#field-search', 'replicaCount');
  const found = await visibleFields();
  assert.ok(found.length >= 1 && found.every((path) => path.toLowerCase().includes('replicacount') || true));
  assert.ok(found.some((path) => path.endsWith('replicaCount')));
  assert.ok(found.length < catalogs.ixn.length / 4, 'search hides most fields');
  await page.fill('#field-search', '');
  const port = catalogs.ixn.find((entry) => entry.kind === 'port');
  // Reached as a user does: its section from the table of contents (the form renders a block of
  // fields as it comes near the viewport).
  await page.click(`.toc button[data-section="${port.section}"]`);
  await page.locator(fieldSelector(port.path)).locator('input').fill('7120');
  await page.check('#changed-only');
  assert.deepEqual(await visibleFields(), [port.path]);
  await page.uncheck('#changed-only');
  await context.close();
});

// Every field is its own <form> (autofill then reads one field's controls per keystroke, not the
// page's); Enter in a lone input would submit it, which must do nothing: no navigation, no reload,
// the value kept.
test('Enter in a field, the search box or the namespace submits nothing and keeps the value', async () => {
  const { context, page } = await openApp(browser, served.url);
  await pickChart(page, 'middleware');
  const before = page.url();
  // A submission the page did not cancel would meet the CSP's form-action 'none'.
  await page.evaluate(() => {
    window.__violations = [];
    document.addEventListener('securitypolicyviolation', (event) => window.__violations.push(event.violatedDirective));
  });
  let navigated = false;
  page.on('framenavigated', (frame) => { if (frame === page.mainFrame()) navigated = true; });
  const max = page.locator(fieldSelector('autoscaling.maxReplicas')).locator('input');
  await max.fill('11');
  await max.press('Enter');
  await page.fill('#field-search', 'replicas');
  await page.press('#field-search', 'Enter');
  await page.fill('#field-namespace', 'genesys-mw');
  await page.press('#field-namespace', 'Enter');
  await page.waitForTimeout(300);
  assert.equal(navigated, false, 'the page did not navigate');
  assert.deepEqual(await page.evaluate(() => window.__violations), [], 'no submission reached the CSP');
  assert.equal(page.url(), before);
  assert.equal(await max.inputValue(), '11');
  assert.equal(await page.locator('#field-search').inputValue(), 'replicas');
  assert.equal(await page.locator('#field-namespace').inputValue(), 'genesys-mw');
  assert.equal(await max.evaluate((input) => input.form?.classList.contains('field')), true, 'the input belongs to its field\'s form');
  await context.close();
});

// The checks summary lists the first 50 findings (errors first) until asked for all: a chart
// with hundreds would otherwise keep a row per finding in the page while the user types.
test('the checks summary shows the first 50 findings, then all of them on request', async () => {
  const { context, page } = await openApp(browser, served.url);
  await pickChart(page, 'ixn');
  const wrong = catalogs.ixn.filter((entry) => ['integer', 'port', 'boolean', 'quantity'].includes(entry.kind) && !entry.path.includes('['));
  assert.ok(wrong.length > 60, 'enough fields to break');
  const values = {};
  for (const { path } of wrong) {
    const keys = path.split('.');
    let node = values;
    for (const key of keys.slice(0, -1)) node = node[key] ??= {};
    node[keys.at(-1)] = 'not-a-value';
  }
  await page.click('#tab-edit-yaml');
  await waitForModule(page);
  // JSON is YAML: the editor reads it through the same boundary.
  await page.fill('#yaml-view-text', JSON.stringify(values));
  const total = Number((await page.locator('#checks .error-count').textContent()).match(/\d+/)[0]) + Number((await page.locator('#checks .warning-count').textContent()).match(/\d+/)[0]);
  assert.ok(total > 60, `many findings (${total})`);
  assert.equal(await page.locator('.summary-entry').count(), 50);
  assert.equal(await page.locator('.summary-entry.error').count(), 50, 'errors come first');
  const more = page.locator('.summary-more');
  assert.match(await more.textContent(), new RegExp(`Show all ${total} checks \\(${total - 50} more\\)`));
  await more.click();
  assert.equal(await page.locator('.summary-entry').count(), total);
  assert.equal(await more.getAttribute('aria-expanded'), 'true');
  await more.click();
  assert.equal(await page.locator('.summary-entry').count(), 50);
  await context.close();
});

// section_view.rs renders a section's fields a block at a time as they come near the viewport;
// whatever leads to a field elsewhere in the form must render it first.
test('fields render as they come near; the table of contents, the checks summary and the search reach any field', async () => {
  const { context, page } = await openApp(browser, served.url);
  await pickChart(page, 'ixn');
  const present = () => page.$$eval('.field[data-kind]', (fields) => fields.map((field) => field.dataset.path));
  const atLoad = await present();
  assert.ok(atLoad.length > 0 && atLoad.length < catalogs.ixn.length / 2, `${atLoad.length} fields rendered at load`);
  assert.ok(await page.locator('.field-block[data-pending]').count() > 0, 'the rest wait as placeholders');

  await page.click('.toc button[data-section="ixnNode-redis"]');
  const redis = page.locator('#section-ixnNode-redis .field').first();
  await redis.waitFor();
  const box = await redis.boundingBox();
  assert.ok(box && box.y >= 0 && box.y < 900, `the section's first field is on screen (y ${box?.y})`);

  assert.equal(await page.locator('#field-tenant-id').count(), 0, 'tenant.id is not rendered yet');
  await page.locator('.summary-entry button', { has: page.locator('code', { hasText: /^tenant\.id$/ }) }).click();
  await page.waitForFunction(() => document.activeElement?.id === 'field-tenant-id');
  await page.keyboard.type('9350e2fc-a1dd-4c65-8d40-1f75a2e080dd');

  await page.fill('#field-search', 'ixnVQNode');
  const wanted = catalogs.ixn.filter((entry) => entry.path.toLowerCase().includes('ixnvqnode')).map((entry) => entry.path).sort();
  await page.waitForFunction((count) => document.querySelectorAll('.field[data-path*="ixnVQNode"]').length >= count, wanted.length);
  const shown = await page.$$eval('.field[data-kind]', (fields) => fields.filter((field) => field.offsetParent !== null).map((field) => field.dataset.path));
  for (const path of wanted) assert.ok(shown.includes(path), `the search shows ${path}`);
  await page.fill('#field-search', '');

  // Scrolled through, every field is there, and what was typed is kept.
  await renderAllFields(page);
  assert.equal((await present()).length, catalogs.ixn.length);
  assert.equal(await page.locator('#field-tenant-id').inputValue(), '9350e2fc-a1dd-4c65-8d40-1f75a2e080dd');
  await context.close();
});

test('a boolean without a value shows "not set" as validation sees it, not false', async () => {
  // IXN's "Chart creates DB secret" fields are required and have no default: the switch showed
  // false while the check said "has no value", until it was ticked and unticked.
  const { context, page } = await openApp(browser, served.url);
  await pickChart(page, 'ixn');
  await page.click('#tab-values-yaml');
  for (const path of ['ixnService.ixnServer.secrets.db.enabled', 'ixnService.ixnNode.secrets.db.enabled']) {
    await revealField(page, path);
    const field = page.locator(fieldSelector(path));
    const box = field.locator('input[type=checkbox]');
    await field.locator('.message.error', { hasText: 'has no value' }).waitFor();
    assert.equal((await field.locator('.switch-text').textContent()).trim(), 'not set', `${path} shows no value`);
    // Neither on nor off: a checkbox in the mixed state (what assistive technology reads), not a switch at false.
    assert.notEqual(await box.getAttribute('aria-checked'), 'false');
    assert.equal(await box.evaluate((input) => input.indeterminate), true);
    await box.click();
    assert.equal((await field.locator('.switch-text').textContent()).trim(), 'true');
    await box.click();
    assert.equal((await field.locator('.switch-text').textContent()).trim(), 'false');
    assert.equal(await box.getAttribute('aria-checked'), 'false');
    assert.equal(await field.locator('.message.error', { hasText: 'has no value' }).count(), 0, `${path} holds false now`);
  }
  assert.match(await page.locator('#export-preview').textContent(), /enabled: false/);
  await context.close();
});

test('keyboard only: add and remove a list item', async () => {
  const { context, page } = await openApp(browser, served.url);
  await pickChart(page, 'middleware');
  const path = 'genesys.oauth_scopes';
  const field = page.locator(fieldSelector(path));
  const before = await field.locator('.rows li').count();
  await field.locator('button', { hasText: 'Add item' }).focus();
  await page.keyboard.press('Enter');
  assert.equal(await field.locator('.rows li').count(), before + 1);
  await page.keyboard.press('Shift+Tab');
  await page.keyboard.press('Shift+Tab');
  await page.keyboard.type('genesys_cloud.chat');
  assert.match(await page.locator('#export-preview').textContent(), /genesys_cloud\.chat/);
  await page.keyboard.press('Tab');
  await page.keyboard.press('Space');
  assert.equal(await field.locator('.rows li').count(), before);
  await context.close();
});

describe('list rows are keyed: removing one row keeps the other rows\' elements, values and focus', () => {
  // The first chart's parameter of each list kind (the catalog says which); the rows are added,
  // filled, and the first one removed while the last one's input has the focus.
  const kinds = { string_list: 'Add item', map: 'Add entry', object_list: 'Add item' };
  for (const [kind, addLabel] of Object.entries(kinds)) {
    const [chart, entry] = charts
      .flatMap((id) => catalogs[id].map((entry) => [id, entry]))
      .find(([, entry]) => entry.kind === kind && !entry.secret && !entry.sensitive);
    test(`${kind} (${chart}: ${entry.path})`, async () => {
      const { context, page } = await openApp(browser, served.url);
      await pickChart(page, chart);
      await revealField(page, entry.path);
      const field = page.locator(fieldSelector(entry.path));
      const rows = field.locator('.rows > li');
      const before = await rows.count();
      for (const text of ['zz-first', 'zz-second', 'zz-third']) {
        await field.locator('button.add-button', { hasText: addLabel }).click();
        await rows.last().locator('input, textarea').first().fill(text);
      }
      assert.equal(await rows.count(), before + 3);
      const last = await rows.last().locator('input, textarea').first().elementHandle();
      await last.focus();
      // Removed through the DOM, so the focus stays where the user left it.
      await rows.nth(before).locator('button', { hasText: 'Remove' }).evaluate((button) => button.click());
      assert.equal(await rows.count(), before + 2);
      assert.equal(await last.evaluate((input) => input.isConnected), true, 'the last row is the same element');
      assert.equal(await last.evaluate((input) => input.value), 'zz-third');
      assert.equal(await last.evaluate((input) => document.activeElement === input), true, 'it keeps the focus');
      // Its label and number follow its new place.
      const removeLabel = await rows.last().locator('.small-button', { hasText: 'Remove' }).getAttribute('aria-label');
      assert.match(removeLabel, new RegExp(` ${before + 2} of `));
      const preview = await page.locator('#export-preview').textContent();
      assert.ok(!preview.includes('zz-first') && preview.includes('zz-second') && preview.includes('zz-third'), preview);
      await context.close();
    });
  }
});

describe('accessibility audit (axe-core) and screenshots', () => {
  for (const id of charts) {
    test(id, async () => {
      for (const colorScheme of ['light', 'dark']) {
        // bypassCSP lets the audit script in; the app itself runs under its own CSP in the other tests.
        const context = await browser.newContext({ colorScheme, bypassCSP: true, viewport: { width: 1400, height: 900 } });
        const page = await context.newPage();
        await page.goto(served.url);
        await page.waitForSelector('.chart-button');
        await pickChart(page, id);
        await page.screenshot({ path: outputPath(`form-${id}-${colorScheme}.png`) });
        // Every field is audited, not only the blocks rendered near the top.
        await renderAllFields(page);
        await page.evaluate(axeSource);
        const results = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
        const serious = results.violations.filter((violation) => ['serious', 'critical'].includes(violation.impact));
        assert.deepEqual(
          serious.map((violation) => `${violation.id}: ${violation.help} (${violation.nodes.length} nodes, e.g. ${violation.nodes[0]?.target})`),
          [],
          `${id} ${colorScheme}: no serious or critical violations`,
        );
        await context.close();
      }
    });
  }
});

test('narrow screens: the form fits 320 px without horizontal scrolling', async () => {
  const context = await browser.newContext({ viewport: { width: 320, height: 800 } });
  const page = await context.newPage();
  await page.goto(served.url);
  await page.waitForSelector('.chart-button');
  await pickChart(page, 'ixn');
  await renderAllFields(page);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  await page.screenshot({ path: outputPath('form-ixn-320px.png') });
  assert.ok(overflow <= 0, `page is ${overflow}px wider than the viewport`);
  await context.close();
});

// Issue 30: with "Required and essentials only" on, a finding's field ended 1,000 px off screen,
// and the first table-of-contents jump hid the section's heading under the sticky bars.
test('at 1024x768 a finding and the table of contents land on screen, below the sticky checks bar and toolbar', async () => {
  const { context, page } = await openApp(browser, served.url);
  await page.setViewportSize({ width: 1024, height: 768 });
  await pickChart(page, 'ixn');
  const stickyBottom = async () => Math.max(...await page.$$eval('#checks-bar, .toolbar', (bars) => bars.map((bar) => bar.getBoundingClientRect().bottom)));

  // The first jump on a fresh page.
  await page.click('.toc button[data-section="ixnNode-redis"]');
  const heading = page.locator('#section-ixnNode-redis > summary');
  await page.waitForTimeout(600);
  const headingBox = await heading.boundingBox();
  const bars = await stickyBottom();
  assert.ok(headingBox && headingBox.y >= bars - 1 && headingBox.y < 768, `the heading (y ${headingBox?.y}) is below the sticky bars (${bars}) and on screen`);

  // Every error's jump with essentials only on, including fields the filter hides.
  await page.check('#essentials-only');
  const entries = page.locator('.summary-entry.error button');
  const count = await entries.count();
  assert.ok(count >= 3, `${count} errors listed`);
  for (const index of [count - 1, Math.floor(count / 2), 0]) {
    await page.check('#essentials-only').catch(() => {});
    const button = entries.nth(index);
    const path = await button.locator('code').first().textContent();
    await button.click();
    await page.waitForFunction(() => document.activeElement?.closest('.field'));
    await page.waitForTimeout(600);
    const box = await page.evaluate(() => {
      const rect = document.activeElement.getBoundingClientRect();
      return { top: rect.top, bottom: rect.bottom };
    });
    assert.ok(box.top >= (await stickyBottom()) - 1 && box.bottom <= 768, `${path}: the focused input (${box.top}..${box.bottom}) is on screen below the bars`);
  }
  await context.close();
});
