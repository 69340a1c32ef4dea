// The hostile-input corpus (tests/hostile/*.yaml) through the page's own entry points: Edit YAML,
// Import and share links. After each case the page is alive, the earlier state is intact, the message
// is on screen and the wasm has used at most a quarter of its stack (harness.mjs). The same files are
// run natively by cli/tests/hostile.rs.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { deflateRawSync } from 'node:zlib';
import { startStaticServer } from '../../scripts/static-server.mjs';
import { assertStackHeadroom, launchBrowser, openApp, pickChart, revealField, serveDist, waitForModule } from './harness.mjs';

const CORPUS = 'tests/hostile';
const MARKER = 'hostileMarker: 7';

let browser;
let served;
let host;

before(async () => {
  browser = await launchBrowser();
  served = await serveDist();
  // A foreign host page on its own port (another origin) frames the app for the set-values cases.
  host = await startStaticServer({ root: 'tests/e2e/host', basePath: '/' });
});

after(async () => {
  await browser?.close();
  served?.server.close();
  host?.server.close();
});

// The corpus is YAML; its cases use a small, regular subset, read here with the page's own
// reader's rules unnecessary: every field the browser runner needs is a plain `key: value` line
// or a block `input: |`, so a line reader is enough and keeps the test free of a YAML package.
function readCase(file) {
  const text = readFileSync(`${CORPUS}/${file}`, 'utf8');
  const field = (name) => {
    const line = text.split('\n').find((l) => l.startsWith(`${name}:`));
    if (!line) return undefined;
    let value = line.slice(name.length + 1).trim();
    if (value.startsWith('"')) value = JSON.parse(value);
    else if (value.startsWith("'")) value = value.slice(1, -1).replaceAll("''", "'");
    return value;
  };
  let input = field('input');
  if (input === '|') {
    const lines = text.split('\n');
    const start = lines.findIndex((l) => l.startsWith('input: |')) + 1;
    const body = [];
    for (const line of lines.slice(start)) {
      if (line && !line.startsWith('  ')) break;
      body.push(line.slice(2));
    }
    input = body.join('\n').replace(/\n*$/, '\n');
  }
  // A case whose input is a file of the repository (a certificate fixture).
  const inputFile = field('input_file');
  if (inputFile) input = readFileSync(inputFile, 'utf8');
  const generate = field('generate');
  if (generate) {
    const [, kind, n] = generate.match(/kind: ([a-z-]+), n: (\d+)/);
    input = generated(kind, Number(n));
  }
  return { file, entry: field('entry'), chart: field('chart') ?? 'ixn', input, encoding: field('encoding'), outcome: field('outcome'), message: field('message') };
}

/** The bytes a Windows tool would have written for a case's text (cli/tests/hostile.rs does the same). */
function encoded(encoding, input) {
  const text = input.replaceAll('\n', '\r\n');
  const utf16 = (littleEndian) => {
    const bytes = Buffer.alloc(text.length * 2);
    for (let i = 0; i < text.length; i++) {
      if (littleEndian) bytes.writeUInt16LE(text.charCodeAt(i), i * 2);
      else bytes.writeUInt16BE(text.charCodeAt(i), i * 2);
    }
    return bytes;
  };
  switch (encoding) {
    case 'utf-8-bom':
      return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]);
    case 'utf-16le':
      return Buffer.concat([Buffer.from([0xff, 0xfe]), utf16(true)]);
    case 'utf-16be':
      return Buffer.concat([Buffer.from([0xfe, 0xff]), utf16(false)]);
    case 'utf-16le-nobom':
      return utf16(true);
    default:
      throw new Error(`unknown encoding ${encoding}`);
  }
}

function generated(kind, n) {
  switch (kind) {
    case 'aliases':
      return `a: &a [${Array(n).fill('x').join(',')}]\nb: [${Array(n).fill('*a').join(',')}]\n`;
    case 'nested':
      return Array.from({ length: n }, (_, depth) => `${'  '.repeat(depth)}k${depth}:\n`).join('');
    case 'large':
      return `a: ${'x'.repeat(n)}\n`;
    case 'long-key':
      return `? ${'k'.repeat(n)}\n: 1\n`;
    case 'env-aliases':
      return `environment: x\ncharts:\n  ixn:\n    values:\n      a: &a [${Array(n).fill('x').join(',')}]\n      b: [${Array(n).fill('*a').join(',')}]\n`;
    case 'template-aliases':
      return `chart: ixn\nvalues:\n  ixnService:\n    volumes: |\n      a: &a [${Array(n).fill('x').join(',')}]\n      b: [${Array(n).fill('*a').join(',')}]\n`;
    // Unit-group cases (entry `group`) run natively only (cli/tests/hostile.rs); their inputs are
    // still built here, so every case file reads.
    case 'group-units':
      return `group: g\nunits:\n${Array.from({ length: n }, (_, i) => `  - {name: u${i}, region: r, role: secondary, cluster: {context: c}}\n`).join('')}`;
    case 'group-nested':
      return `group: g\nunits:\n  - {name: a, region: r, role: primary, cluster: {context: c}}\ntenants:\n  - {name: t, units: {a: {charts: {ixn: {values: ${'{a: '.repeat(n)}1${'}'.repeat(n)}}}}}}\n`;
    case 'large-message':
      return JSON.stringify({ type: 'pecfg:set-values', chart: 'ixn', values: { a: 'x'.repeat(n) } });
    default:
      throw new Error(`unknown generator ${kind}`);
  }
}

const cases = readdirSync(CORPUS)
  .filter((file) => file.endsWith('.yaml'))
  .sort()
  .map(readCase);

async function previewText(page) {
  await page.click('#tab-values-yaml');
  return page.locator('#export-preview').textContent();
}

/**
 * One page per chart for a whole group of cases (a page load per case would double the run);
 * before each case it is given the earlier state again: one override set through Edit YAML.
 */
function pagesByChart() {
  const pages = new Map();
  return {
    async withState(chart) {
      if (!pages.has(chart)) {
        const opened = await openApp(browser, served.url);
        await pickChart(opened.page, chart);
        pages.set(chart, opened);
      }
      const opened = pages.get(chart);
      await opened.page.click('#tab-edit-yaml');
      await opened.page.fill('#yaml-view-text', `${MARKER}\n`);
      assert.match(await previewText(opened.page), /hostileMarker: 7/);
      return opened;
    },
    async close() {
      for (const { context } of pages.values()) await context.close();
    },
  };
}

/** The page still answers: an edit made after the case is applied. */
async function stillAlive(page) {
  await page.click('#tab-edit-yaml');
  await waitForModule(page);
  await page.fill('#yaml-view-text', 'hostileMarker: 8\n');
  assert.match(await previewText(page), /hostileMarker: 8/, 'the page still applies edits');
}

const traps = (errors) => errors.filter((e) => /unreachable|panicked|RuntimeError/.test(e));

describe('Edit YAML refuses hostile text and keeps what was there', () => {
  const pages = pagesByChart();
  after(() => pages.close());
  for (const item of cases.filter((c) => c.entry === 'edit-yaml' || c.entry === 'import-values')) {
    test(item.file, async () => {
      const { page, errors } = await pages.withState(item.chart);
      await page.click('#tab-edit-yaml');
      await waitForModule(page);
      await page.fill('#yaml-view-text', item.input);
      if (item.outcome === 'refused') {
        const shown = page.locator('.yaml-view .yaml-error');
        await shown.waitFor();
        if (item.message) assert.ok((await shown.textContent()).includes(item.message), `${await shown.textContent()} should say ${item.message}`);
        assert.equal(await page.locator('#yaml-view-text').inputValue(), item.input, 'the text stays in the editor');
        assert.match(await previewText(page), /hostileMarker: 7/, 'the earlier state is intact');
      } else {
        assert.equal(await page.locator('.yaml-view .yaml-error').count(), 0);
      }
      await stillAlive(page);
      assert.deepEqual(traps(errors), [], 'no trap');
      await assertStackHeadroom(page, item.file);
    });
  }
});

describe('Import refuses hostile files and keeps what was there', () => {
  const pages = pagesByChart();
  after(() => pages.close());
  for (const item of cases.filter((c) => c.entry === 'import-values')) {
    test(item.file, async () => {
      const { page, errors } = await pages.withState(item.chart);
      await page.click('#tab-import');
      if (item.encoding) {
        // As the file a Windows tool saved: the page decodes it as the CLI does.
        await page.setInputFiles('#import-file', { name: item.file, mimeType: 'text/yaml', buffer: encoded(item.encoding, item.input) });
      } else {
        await page.fill('#import-paste', item.input);
        await page.click('#import-button');
      }
      await page.waitForSelector('.import-report, .import-panel .yaml-error');
      if (item.outcome === 'refused') {
        const shown = await page.locator('.import-panel .yaml-error').textContent();
        if (item.message) assert.ok(shown.includes(item.message), `${shown} should say ${item.message}`);
        assert.match(await previewText(page), /hostileMarker: 7/, 'the earlier state is intact');
      } else {
        assert.equal(await page.locator('.import-panel .yaml-error').count(), 0);
      }
      await stillAlive(page);
      assert.deepEqual(traps(errors), [], 'no trap');
      await assertStackHeadroom(page, item.file);
    });
  }
});

describe('share links: a refused link leaves the page working and says why', () => {
  for (const item of cases.filter((c) => c.entry === 'share-link')) {
    test(item.file, async () => {
      const fragment = `v1.${deflateRawSync(Buffer.from(item.input)).toString('base64url')}`;
      const { context, page, errors } = await openApp(browser, `${served.url}#${fragment}`);
      if (item.outcome === 'refused') {
        const notice = page.locator('#share-notice');
        await notice.waitFor();
        if (item.message) assert.ok((await notice.textContent()).includes(item.message), await notice.textContent());
      }
      await pickChart(page, 'ixn');
      await stillAlive(page);
      assert.deepEqual(traps(errors), [], 'no trap');
      await assertStackHeadroom(page, item.file);
      await context.close();
    });
  }
});

describe('environment links: a refused one says why, an accepted one never shows a smuggled secret', () => {
  for (const item of cases.filter((c) => c.entry === 'environment-link')) {
    test(item.file, async () => {
      const fragment = `e1.${deflateRawSync(Buffer.from(item.input)).toString('base64url')}`;
      const { context, page, errors } = await openApp(browser, `${served.url}#${fragment}`);
      if (item.outcome === 'refused') {
        const notice = page.locator('#share-notice');
        await notice.waitFor();
        if (item.message) assert.ok((await notice.textContent()).includes(item.message), await notice.textContent());
      } else {
        await page.waitForSelector('#env-name');
        const text = readFileSync(`${CORPUS}/${item.file}`, "utf8");
        const never = (text.match(/^never: \[(.*)\]$/m)?.[1] ?? '').split(',').map((word) => word.trim()).filter(Boolean);
        const shown = await page.evaluate(() => [...document.querySelectorAll('input')].map((input) => input.value).join('\n') + document.body.innerText);
        for (const word of never) assert.ok(!shown.includes(word), `${word} reached the page`);
      }
      await pickChart(page, 'ixn');
      await stillAlive(page);
      assert.deepEqual(traps(errors), [], 'no trap');
      await assertStackHeadroom(page, item.file);
      await context.close();
    });
  }
});

describe('environment files opened in the page: refused ones say why and change nothing', () => {
  for (const item of cases.filter((c) => c.entry === 'environment')) {
    test(item.file, async () => {
      const { context, page, errors } = await openApp(browser, served.url);
      await page.click('#open-environment');
      await page.fill('#env-name', 'before-open');
      await page.setInputFiles('#env-open-file', { name: item.file, mimeType: 'text/yaml', buffer: Buffer.from(item.input) });
      const opened = page.locator('#env-opened');
      await opened.waitFor();
      const said = await opened.textContent();
      if (item.outcome === 'refused') {
        assert.match(said, /^Not opened: /);
        if (item.message) assert.ok(said.includes(item.message), said);
        assert.equal(await page.inputValue('#env-name'), 'before-open', 'nothing changed');
      } else {
        assert.match(said, /^Opened /);
        if (item.outcome === 'blocked') assert.equal(await page.locator('#plan-download').isDisabled(), true);
      }
      await pickChart(page, 'ixn');
      await stillAlive(page);
      assert.deepEqual(traps(errors), [], 'no trap');
      await assertStackHeadroom(page, item.file);
      await context.close();
    });
  }
});

describe('set-values from a foreign host: refused messages are answered and change nothing', () => {
  for (const item of cases.filter((c) => c.entry === 'set-values')) {
    test(item.file, async () => {
      const context = await browser.newContext();
      const page = await context.newPage();
      const origin = new URL(host.url).origin;
      const src = `${served.url}?chart=${item.chart}&origin=${encodeURIComponent(origin)}`;
      await page.goto(`${host.url}host.html?src=${encodeURIComponent(src)}`);
      await page.waitForFunction(() => window.received.some((m) => m.data?.type === 'pecfg:ready'));
      const frame = page.frameLocator('#app');
      // The earlier state, set by the host itself.
      await page.evaluate((chart) => window.sendToApp({ type: 'pecfg:set-values', chart, values: { hostileMarker: 7 } }), item.chart);
      await frame.locator('#tab-values-yaml').click();
      await frame.locator('#export-preview', { hasText: 'hostileMarker: 7' }).waitFor();
      await page.evaluate((text) => window.sendToApp(JSON.parse(text)), item.input);
      if (item.outcome === 'refused') {
        await page.waitForFunction(() => window.received.some((m) => m.data?.type === 'pecfg:error'));
        const error = (await page.evaluate(() => window.received)).find((m) => m.data?.type === 'pecfg:error');
        if (item.message) assert.ok(error.data.message.includes(item.message), error.data.message);
        assert.match(await frame.locator('#export-preview').textContent(), /hostileMarker: 7/, 'the earlier state is intact');
      }
      // Still alive: the next message is applied.
      await page.evaluate((chart) => window.sendToApp({ type: 'pecfg:set-values', chart, values: { hostileMarker: 8 } }), item.chart);
      await frame.locator('#export-preview', { hasText: 'hostileMarker: 8' }).waitFor();
      await context.close();
    });
  }
});

test('the corpus is read', () => {
  assert.ok(cases.filter((c) => c.entry === 'edit-yaml').length >= 5);
  assert.ok(cases.every((c) => c.input), 'every case has an input');
});

test('markup typed into a value stays text in the preview, set in place or written whole', async () => {
  const { context, page, errors } = await openApp(browser, served.url);
  await pickChart(page, 'ixn');
  await page.click('#tab-values-yaml');
  const path = 'ixnService.ixnServer.db.host';
  await revealField(page, path);
  await page.focus(`.field[data-path="${path}"] input`);
  // Key by key: the first keystroke writes the line whole, the rest set its text in place.
  const markup = '<img src=x id=smuggled></span><b>';
  for (const key of markup) await page.keyboard.press(key);
  await page.waitForFunction((text) => document.querySelector('#export-preview').textContent.includes(text), markup);
  assert.equal(await page.locator('#export-preview img, #export-preview b, #smuggled').count(), 0, 'no element came out of the value');
  // Through the editor, with a newline in it: the line is written whole from the escaped text.
  await page.click('#tab-edit-yaml');
  await waitForModule(page);
  await page.fill('#yaml-view-text', 'ixnService:\n  ixnServer:\n    db:\n      host: "a\\n</span><img src=x id=smuggled>"\n');
  await page.click('#tab-values-yaml');
  await page.waitForFunction(() => document.querySelector('#export-preview').textContent.includes('</span><img src=x id=smuggled>'));
  assert.equal(await page.locator('#export-preview img, #smuggled').count(), 0, 'no element came out of the editor');
  assert.deepEqual(traps(errors), [], 'no trap');
  await context.close();
});
